/**
 * Block elements: one spec per element type (where it may appear, its fields and any
 * cross-field rule), and `validateElement`, which applies them.
 */
import {
  bool,
  type Ctx,
  check,
  checkArray,
  checkFields,
  checkId,
  checkImageSource,
  checkInitialOptions,
  checkOptions,
  confirm,
  custom,
  int,
  isObj,
  nonEmpty,
  type Obj,
  oneOf,
  plain,
  type Rules,
  show,
  str,
  Where,
} from './block-kit-checks.ts'

/** Where an element sits: in an actions block, as a section accessory, in an input block, in a context block. */
export type Position = 'actions' | 'accessory' | 'input' | 'context'

const POSITION_NAMES: Record<Position, string> = {
  actions: 'in an actions block',
  accessory: 'as a section accessory',
  input: 'in an input block',
  context: 'in a context block',
}

interface ElementSpec {
  readonly positions: readonly Position[]
  /** Interactive elements carry an `action_id` (optional: Slack generates one when absent). */
  readonly interactive: boolean
  readonly rules: Rules
  readonly check?: (el: Obj, where: Where) => void
}

// Field groups shared by many elements (the mixins of @slack/types).
const confirmable = { confirm } as const
const focusable = { focus_on_load: bool() } as const
const placeholdable = { placeholder: plain(150) } as const
const dispatchable = { dispatch_action_config: check(checkDispatchConfig) } as const
const stringList = check((where, field, value) => {
  const list = checkArray(where, field, value, 0, Number.MAX_SAFE_INTEGER) ?? []
  list.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') where.problem(`${field}[${i}] must be a non-empty string, got ${show(v)}`)
  })
})

function checkDispatchConfig(where: Where, field: string, value: unknown): void {
  if (!isObj(value)) {
    where.problem(`${field} must be an object { trigger_actions_on }, got ${show(value)}`)
    return
  }
  checkFields(where, value, { trigger_actions_on: custom() }, field)
  const list = checkArray(where, `${field}.trigger_actions_on`, value.trigger_actions_on, 1, 2) ?? []
  list.forEach((t, i) => {
    if (t !== 'on_enter_pressed' && t !== 'on_character_entered')
      where.problem(`${field}.trigger_actions_on[${i}] must be "on_enter_pressed" or "on_character_entered", got ${show(t)}`)
  })
}

const CONVERSATION_TYPES = ['im', 'mpim', 'private', 'public']

function checkConversationFilter(where: Where, field: string, value: unknown): void {
  if (!isObj(value)) {
    where.problem(`${field} must be a conversation filter object, got ${show(value)}`)
    return
  }
  checkFields(where, value, { include: custom(), exclude_external_shared_channels: bool(), exclude_bot_users: bool() }, field)
  if (value.include === undefined && value.exclude_external_shared_channels === undefined && value.exclude_bot_users === undefined) {
    where.problem(`${field} must set include, exclude_external_shared_channels or exclude_bot_users`)
  }
  const include = checkArray(where, `${field}.include`, value.include, 1, CONVERSATION_TYPES.length) ?? []
  include.forEach((t, i) => {
    if (typeof t !== 'string' || !CONVERSATION_TYPES.includes(t))
      where.problem(`${field}.include[${i}] must be one of ${CONVERSATION_TYPES.map((c) => `"${c}"`).join(', ')}, got ${show(t)}`)
  })
}

// ---------------------------------------------------------------------------
// Cross-field checks

/** static_select / multi_static_select: `options` (1–100) or `option_groups` (1–100), initial option(s) among them. */
function checkStaticMenu(multi: boolean) {
  return (el: Obj, where: Where): void => {
    let values: Set<string> | undefined
    if (el.options !== undefined && el.option_groups !== undefined) where.problem('set either options or option_groups, not both')
    else if (el.options === undefined && el.option_groups === undefined) where.problem('options (or option_groups) is required')
    if (el.options !== undefined) values = checkOptions(where, 'options', el.options, 1, 100, {})
    if (el.option_groups !== undefined) {
      const grouped = new Set<string>()
      values = grouped
      const groups = checkArray(where, 'option_groups', el.option_groups, 1, 100) ?? []
      for (const [i, group] of groups.entries()) {
        const field = `option_groups[${i}]`
        if (!isObj(group)) {
          where.problem(`${field} must be an option group object { label, options }, got ${show(group)}`)
          continue
        }
        checkFields(where, group, { label: plain(75, true), options: custom(true) }, field)
        if (group.options !== undefined) for (const v of checkOptions(where, `${field}.options`, group.options, 1, 100, {})) grouped.add(v)
      }
    }
    const initial = multi ? 'initial_options' : 'initial_option'
    checkInitialOptions(where, initial, el[initial], multi, values, {})
  }
}

/** external_select / multi_external_select: initial option(s) are well-formed (their options live on the app's server). */
function checkExternalMenu(multi: boolean) {
  return (el: Obj, where: Where): void => {
    const initial = multi ? 'initial_options' : 'initial_option'
    checkInitialOptions(where, initial, el[initial], multi, undefined, {})
  }
}

/** checkboxes (multi) / radio_buttons: 1–10 options, mrkdwn allowed, initial option(s) among them. */
function checkChoices(multi: boolean) {
  return (el: Obj, where: Where): void => {
    const values = el.options === undefined ? undefined : checkOptions(where, 'options', el.options, 1, 10, { mrkdwn: true })
    const initial = multi ? 'initial_options' : 'initial_option'
    checkInitialOptions(where, initial, el[initial], multi, values, { mrkdwn: true })
  }
}

function checkOverflow(el: Obj, where: Where): void {
  if (el.options !== undefined) checkOptions(where, 'options', el.options, 1, 5, { url: true })
}

function checkDatepicker(el: Obj, where: Where): void {
  const d = el.initial_date
  if (d === undefined) return
  const m = typeof d === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(d) : null
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
  if (!m || !date || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) {
    where.problem(`initial_date must be a date in YYYY-MM-DD format, got ${show(d)}`)
  }
}

function checkTimepicker(el: Obj, where: Where): void {
  const t = el.initial_time
  if (t !== undefined && (typeof t !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(t)))
    where.problem(`initial_time must be a time in HH:mm format (00:00–23:59), got ${show(t)}`)
}

function checkPlainTextInput(el: Obj, where: Where): void {
  const { min_length: min, max_length: max, initial_value: initial } = el
  if (typeof min === 'number' && typeof max === 'number' && min > max)
    where.problem(`min_length (${min}) must not exceed max_length (${max})`)
  const limit = typeof max === 'number' ? max : 3000
  if (typeof initial === 'string' && Array.from(initial).length > limit) {
    where.problem(
      `initial_value must be at most ${limit} characters${typeof max === 'number' ? ' (max_length)' : ''}, got ${Array.from(initial).length}`,
    )
  }
}

function checkNumberInput(el: Obj, where: Where): void {
  const decimals = el.is_decimal_allowed === true
  const numbers: Record<string, number> = {}
  for (const field of ['initial_value', 'min_value', 'max_value'] as const) {
    const raw = el[field]
    if (raw === undefined) continue
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN
    if (!Number.isFinite(n)) where.problem(`${field} must be a number written as a string, got ${show(raw)}`)
    else if (!decimals && !Number.isInteger(n))
      where.problem(`${field} must be a whole number when is_decimal_allowed is false, got "${String(raw)}"`)
    else numbers[field] = n
  }
  const { initial_value: initial, min_value: min, max_value: max } = numbers
  if (min !== undefined && max !== undefined && min > max) where.problem(`min_value (${min}) must not exceed max_value (${max})`)
  if (initial !== undefined && ((min !== undefined && initial < min) || (max !== undefined && initial > max)))
    where.problem(`initial_value (${initial}) must be between min_value and max_value`)
}

// ---------------------------------------------------------------------------
// Specs

const MENU: readonly Position[] = ['actions', 'accessory', 'input']
const menu = (rules: Rules, checkFn?: (el: Obj, where: Where) => void): ElementSpec => ({
  positions: MENU,
  interactive: true,
  rules: { ...confirmable, ...focusable, ...placeholdable, ...rules },
  check: checkFn,
})
const multiMenu = (rules: Rules, checkFn?: (el: Obj, where: Where) => void): ElementSpec =>
  menu({ max_selected_items: int(1), ...rules }, checkFn)
const textInput = (rules: Rules, checkFn?: (el: Obj, where: Where) => void): ElementSpec => ({
  positions: ['input'],
  interactive: true,
  rules: { ...dispatchable, ...focusable, ...placeholdable, ...rules },
  check: checkFn,
})

const ELEMENTS: Readonly<Record<string, ElementSpec>> = {
  button: {
    positions: ['actions', 'accessory'],
    interactive: true,
    rules: {
      ...confirmable,
      text: plain(75, true),
      value: str(2000),
      url: str(3000),
      style: oneOf('primary', 'danger'),
      accessibility_label: str(75),
    },
  },
  static_select: menu({ options: custom(), option_groups: custom(), initial_option: custom() }, checkStaticMenu(false)),
  multi_static_select: multiMenu({ options: custom(), option_groups: custom(), initial_options: custom() }, checkStaticMenu(true)),
  external_select: menu({ initial_option: custom(), min_query_length: int(0) }, checkExternalMenu(false)),
  multi_external_select: multiMenu({ initial_options: custom(), min_query_length: int(0) }, checkExternalMenu(true)),
  users_select: menu({ initial_user: nonEmpty(255) }),
  multi_users_select: multiMenu({ initial_users: stringList }),
  conversations_select: menu({
    initial_conversation: nonEmpty(255),
    default_to_current_conversation: bool(),
    response_url_enabled: bool(),
    filter: check(checkConversationFilter),
  }),
  multi_conversations_select: multiMenu({
    initial_conversations: stringList,
    default_to_current_conversation: bool(),
    filter: check(checkConversationFilter),
  }),
  channels_select: menu({ initial_channel: nonEmpty(255), response_url_enabled: bool() }),
  multi_channels_select: multiMenu({ initial_channels: stringList }),
  overflow: {
    positions: ['actions', 'accessory'],
    interactive: true,
    rules: { ...confirmable, options: custom(true) },
    check: checkOverflow,
  },
  checkboxes: {
    positions: MENU,
    interactive: true,
    rules: { ...confirmable, ...focusable, options: custom(true), initial_options: custom() },
    check: checkChoices(true),
  },
  radio_buttons: {
    positions: MENU,
    interactive: true,
    rules: { ...confirmable, ...focusable, options: custom(true), initial_option: custom() },
    check: checkChoices(false),
  },
  datepicker: menu({ initial_date: custom() }, checkDatepicker),
  timepicker: menu({ initial_time: custom(), timezone: nonEmpty(255) }, checkTimepicker),
  datetimepicker: {
    positions: ['actions', 'input'],
    interactive: true,
    rules: { ...confirmable, ...focusable, initial_date_time: int(0) },
  },
  plain_text_input: textInput(
    { initial_value: str(3000), multiline: bool(), min_length: int(0, 3000), max_length: int(1, 3000) },
    checkPlainTextInput,
  ),
  number_input: textInput(
    { is_decimal_allowed: bool(true), initial_value: custom(), min_value: custom(), max_value: custom() },
    checkNumberInput,
  ),
  email_text_input: textInput({ initial_value: str(3000) }),
  url_text_input: textInput({ initial_value: str(3000) }),
  image: {
    positions: ['accessory', 'context'],
    interactive: false,
    rules: { image_url: str(3000), slack_file: custom(), alt_text: str(2000, true) },
    check: checkImageSource,
  },
}

/** Real Slack block and element types this validator does not model; named so the problem does not read like a Slack rule. */
const NOT_MODELLED = new Set([
  'alert',
  'card',
  'carousel',
  'container',
  'context_actions',
  'data_table',
  'file',
  'plan',
  'table',
  'task_card',
  'video',
  'feedback_buttons',
  'file_input',
  'icon_button',
  'rich_text_input',
  'workflow_button',
])

export function unknownType(kind: 'block' | 'element', type: unknown): string {
  if (type === undefined) return 'type is required'
  if (typeof type === 'string' && NOT_MODELLED.has(type))
    return `${kind} type "${type}" exists in Slack but is not modelled by the playground validator`
  return `unknown ${kind} type ${show(type)}`
}

/** Validates one element at `path` (e.g. `blocks[2].elements[1]`) found at `position`. */
export function validateElement(ctx: Ctx, path: string, el: unknown, position: Position): void {
  if (!isObj(el)) {
    new Where(ctx, path).problem(`must be an element object, got ${show(el)}`)
    return
  }
  const spec = typeof el.type === 'string' ? ELEMENTS[el.type] : undefined
  if (!spec) {
    new Where(ctx, path).problem(unknownType('element', el.type))
    return
  }
  const where = new Where(ctx, path, el.type as string)
  if (!spec.positions.includes(position)) {
    where.problem(
      `${String(el.type)} is not allowed ${POSITION_NAMES[position]} (allowed ${spec.positions.map((p) => POSITION_NAMES[p]).join(', ')})`,
    )
  }
  checkFields(where, el, spec.interactive ? { action_id: custom(), ...spec.rules } : spec.rules)
  if (spec.interactive) checkId(where, 'action_id', el.action_id)
  spec.check?.(el, where)
  if (el.focus_on_load === true && ctx.surface !== 'message') {
    if (ctx.focusOnLoad !== undefined) where.problem(`only one element per view may set focus_on_load (already set by ${ctx.focusOnLoad})`)
    else ctx.focusOnLoad = path
  }
}
