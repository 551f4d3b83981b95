/**
 * Shared machinery of the Block Kit validator: where problems are collected, the
 * data-driven field rules, and the composition objects (text, option, confirmation
 * dialog, image source) that blocks and elements have in common.
 *
 * Lengths are counted in Unicode code points, not UTF-16 units.
 */

export type Surface = 'message' | 'modal' | 'home'

export type Obj = Record<string, unknown>

/** One validation run over a message or a view. */
export interface Ctx {
  readonly surface: Surface
  readonly problems: string[]
  /** block_id / action_id → path of the first object that used it. */
  readonly blockIds: Map<string, string>
  readonly actionIds: Map<string, string>
  /** Path of the element that set `focus_on_load`, if any (views only). */
  focusOnLoad: string | undefined
}

export function newCtx(surface: Surface): Ctx {
  return { surface, problems: [], blockIds: new Map(), actionIds: new Map(), focusOnLoad: undefined }
}

/** The object problems are reported against: `blocks[3] (section)`, `blocks[2].elements[1] (button)`, `view`. */
export class Where {
  readonly label: string
  constructor(
    readonly ctx: Ctx,
    readonly path: string,
    type?: string,
  ) {
    this.label = type === undefined ? path : `${path} (${type})`
  }

  problem(message: string): void {
    this.ctx.problems.push(`${this.label}: ${message}`)
  }
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const chars = (s: string): number => Array.from(s).length
/** A short description of a bad value for problem texts (long strings are cut). */
export const show = (v: unknown): string =>
  typeof v === 'string'
    ? JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v)
    : Array.isArray(v)
      ? 'an array'
      : v === null
        ? 'null'
        : typeof v
const sub = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field)

// ---------------------------------------------------------------------------
// Field rules

export type Rule =
  | { kind: 'string'; required?: boolean; min?: number; max?: number }
  | { kind: 'boolean'; required?: boolean }
  | { kind: 'integer'; required?: boolean; min?: number; max?: number }
  | { kind: 'enum'; required?: boolean; values: readonly string[] }
  | { kind: 'text'; required?: boolean; max: number; plain?: boolean }
  | { kind: 'confirm'; required?: boolean }
  /** Known field validated by its own function. */
  | { kind: 'check'; required?: boolean; check: (where: Where, field: string, value: unknown) => void }
  /** Known field validated by the block's or element's cross-field check. */
  | { kind: 'custom'; required?: boolean }

export type Rules = Readonly<Record<string, Rule>>

export const str = (max: number, required = false): Rule => ({ kind: 'string', max, required })
export const nonEmpty = (max: number, required = false): Rule => ({ kind: 'string', min: 1, max, required })
export const bool = (required = false): Rule => ({ kind: 'boolean', required })
export const int = (min?: number, max?: number): Rule => ({ kind: 'integer', min, max })
export const oneOf = (...values: string[]): Rule => ({ kind: 'enum', values })
/** A `plain_text` or `mrkdwn` text object. */
export const text = (max: number, required = false): Rule => ({ kind: 'text', max, required })
/** A text object that Slack requires to be `plain_text`. */
export const plain = (max: number, required = false): Rule => ({ kind: 'text', max, plain: true, required })
export const confirm: Rule = { kind: 'confirm' }
export const check = (fn: (where: Where, field: string, value: unknown) => void, required = false): Rule => ({
  kind: 'check',
  check: fn,
  required,
})
export const custom = (required = false): Rule => ({ kind: 'custom', required })

/**
 * Checks every rule against `obj` (required fields, types, lengths) and reports fields no rule
 * knows: Slack rejects unknown properties. `prefix` names nested objects (`confirm`, `options[2]`).
 * `type` is always allowed; callers check it.
 */
export function checkFields(where: Where, obj: Obj, rules: Rules, prefix = ''): void {
  for (const key of Object.keys(obj)) {
    if (key !== 'type' && !(key in rules)) where.problem(prefix ? `${prefix} has unknown field "${key}"` : `unknown field "${key}"`)
  }
  for (const [key, rule] of Object.entries(rules)) {
    const value = obj[key]
    const field = sub(prefix, key)
    if (value === undefined) {
      if (rule.required) where.problem(`${field} is required`)
      continue
    }
    checkValue(where, field, value, rule)
  }
}

function checkValue(where: Where, field: string, value: unknown, rule: Rule): void {
  switch (rule.kind) {
    case 'string':
      if (typeof value !== 'string') {
        where.problem(`${field} must be a string, got ${show(value)}`)
        return
      }
      checkLength(where, field, value, rule.min ?? 0, rule.max)
      return
    case 'boolean':
      if (typeof value !== 'boolean') where.problem(`${field} must be true or false, got ${show(value)}`)
      return
    case 'integer':
      checkInteger(where, field, value, rule.min, rule.max)
      return
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value))
        where.problem(`${field} must be ${rule.values.map((v) => `"${v}"`).join(' or ')}, got ${show(value)}`)
      return
    case 'text':
      checkText(where, field, value, { max: rule.max, plain: rule.plain })
      return
    case 'confirm':
      checkConfirm(where, field, value)
      return
    case 'check':
      rule.check(where, field, value)
      return
    case 'custom':
      return
  }
}

function checkLength(where: Where, field: string, value: string, min: number, max?: number): void {
  const n = chars(value)
  if (max === undefined) {
    if (n < min) where.problem(`${field} must be at least ${min} characters, got ${n}`)
  } else if (n < min || n > max) {
    where.problem(min > 0 ? `${field} must be ${min}–${max} characters, got ${n}` : `${field} must be at most ${max} characters, got ${n}`)
  }
}

function checkInteger(where: Where, field: string, value: unknown, min?: number, max?: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    where.problem(`${field} must be an integer, got ${show(value)}`)
    return
  }
  if (min !== undefined && max !== undefined && (value < min || value > max))
    where.problem(`${field} must be between ${min} and ${max}, got ${value}`)
  else if (min !== undefined && value < min) where.problem(`${field} must be at least ${min}, got ${value}`)
  else if (max !== undefined && value > max) where.problem(`${field} must be at most ${max}, got ${value}`)
}

/** Returns the array (whatever its length, so its items can still be checked) or undefined. */
export function checkArray(where: Where, field: string, value: unknown, min: number, max: number): unknown[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) {
    where.problem(`${field} must be an array, got ${show(value)}`)
    return undefined
  }
  if (value.length < min || value.length > max) {
    where.problem(
      min > 0
        ? `${field} must have ${min}–${max} items, got ${value.length}`
        : `${field} must have at most ${max} items, got ${value.length}`,
    )
  }
  return value
}

/** `block_id` (unique in the message or view) or `action_id` (unique in its block): 1–255 characters. */
export function checkId(where: Where, field: 'block_id' | 'action_id', value: unknown): void {
  if (value === undefined) return
  if (typeof value !== 'string') {
    where.problem(`${field} must be a string, got ${show(value)}`)
    return
  }
  checkLength(where, field, value, 1, 255)
  const seen = field === 'block_id' ? where.ctx.blockIds : where.ctx.actionIds
  const first = seen.get(value)
  if (first !== undefined) where.problem(`duplicate ${field} "${value}" (also used by ${first})`)
  else seen.set(value, where.path)
}

// ---------------------------------------------------------------------------
// Composition objects

const TEXT_KEYS = { plain_text: ['emoji'], mrkdwn: ['verbatim'] } as const

/** A text object `{ type: 'plain_text' | 'mrkdwn', text }` of 1–`max` characters. */
export function checkText(where: Where, field: string, value: unknown, opts: { max: number; plain?: boolean }): void {
  if (!isObj(value)) {
    where.problem(`${field} must be a text object { type, text }, got ${show(value)}`)
    return
  }
  const type = value.type
  if (type === undefined) {
    where.problem(`${field}.type is required`)
    return
  }
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    where.problem(`${field}.type must be "plain_text" or "mrkdwn", got ${show(type)}`)
    return
  }
  if (opts.plain && type === 'mrkdwn') where.problem(`${field} must be plain_text, not mrkdwn`)
  const flag = TEXT_KEYS[type][0]
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'text' && key !== flag) where.problem(`${field} has unknown field "${key}"`)
  }
  if (value[flag] !== undefined && typeof value[flag] !== 'boolean')
    where.problem(`${field}.${flag} must be true or false, got ${show(value[flag])}`)
  if (value.text === undefined) {
    where.problem(`${field}.text is required`)
    return
  }
  if (typeof value.text !== 'string') {
    where.problem(`${field}.text must be a string, got ${show(value.text)}`)
    return
  }
  checkLength(where, field, value.text, 1, opts.max)
}

const CONFIRM_RULES: Rules = {
  title: plain(100),
  text: text(300, true),
  confirm: plain(30),
  deny: plain(30),
  style: oneOf('primary', 'danger'),
}

/** Confirmation dialog: title ≤ 100, text ≤ 300, confirm/deny ≤ 30. */
function checkConfirm(where: Where, field: string, value: unknown): void {
  if (!isObj(value)) {
    where.problem(`${field} must be a confirmation dialog object, got ${show(value)}`)
    return
  }
  checkFields(where, value, CONFIRM_RULES, field)
}

export interface OptionKind {
  /** Checkboxes and radio buttons accept mrkdwn option text; menus and overflow need plain_text. */
  mrkdwn?: boolean
  /** Overflow options may carry a `url`. */
  url?: boolean
}

/** An option object; returns its value when it has a usable one. */
function checkOption(where: Where, field: string, value: unknown, kind: OptionKind): string | undefined {
  if (!isObj(value)) {
    where.problem(`${field} must be an option object { text, value }, got ${show(value)}`)
    return undefined
  }
  const rules: Record<string, Rule> = {
    text: kind.mrkdwn ? text(75, true) : plain(75, true),
    value: nonEmpty(150, true),
    description: kind.mrkdwn ? text(75) : plain(75),
  }
  if (kind.url) rules.url = str(3000)
  checkFields(where, value, rules, field)
  return typeof value.value === 'string' ? value.value : undefined
}

/** An array of `min`–`max` options; returns the values seen. */
export function checkOptions(where: Where, field: string, value: unknown, min: number, max: number, kind: OptionKind): Set<string> {
  const values = new Set<string>()
  const list = checkArray(where, field, value, min, max) ?? []
  list.forEach((option, i) => {
    const v = checkOption(where, `${field}[${i}]`, option, kind)
    if (v !== undefined) values.add(v)
  })
  return values
}

/** `initial_option` / `initial_options`: valid options whose values are among `values`. */
export function checkInitialOptions(
  where: Where,
  field: string,
  value: unknown,
  multi: boolean,
  values: Set<string> | undefined,
  kind: OptionKind,
): void {
  if (value === undefined) return
  const items: Array<[string, unknown]> = []
  if (multi) {
    const list = checkArray(where, field, value, 0, Number.MAX_SAFE_INTEGER) ?? []
    for (const [i, o] of list.entries()) items.push([`${field}[${i}]`, o])
  } else {
    items.push([field, value])
  }
  for (const [name, option] of items) {
    const v = checkOption(where, name, option, kind)
    if (v !== undefined && values !== undefined && !values.has(v)) where.problem(`${name} (value "${v}") is not one of the options`)
  }
}

/** Image block and image element: exactly one of `image_url` and `slack_file` ({ url } or { id }). */
export function checkImageSource(obj: Obj, where: Where): void {
  const { image_url: url, slack_file: file } = obj
  if (url === undefined && file === undefined) {
    where.problem('image_url (or slack_file) is required')
    return
  }
  if (url !== undefined && file !== undefined) {
    where.problem('only one of image_url and slack_file may be set')
    return
  }
  if (file === undefined) return
  if (!isObj(file)) {
    where.problem(`slack_file must be an object { url } or { id }, got ${show(file)}`)
    return
  }
  checkFields(where, file, { url: str(3000), id: nonEmpty(255) }, 'slack_file')
  if ((file.url === undefined) === (file.id === undefined)) where.problem('slack_file needs exactly one of url and id')
}
