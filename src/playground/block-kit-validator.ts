/**
 * Checks messages and views the way Slack does before accepting them (Block Kit limits from
 * @slack/types and docs/shared reference §2.6), so the playground can reject what Slack would
 * reject with `invalid_blocks`. Pure: no I/O, returns human-readable problems (empty = valid),
 * each prefixed with where it is, e.g. `blocks[3] (section): text must be 1–3000 characters, got 3120`.
 *
 * Blocks are described by data (`BLOCKS`), elements in ./block-kit-elements.ts, and the shared
 * field rules and composition objects in ./block-kit-checks.ts.
 */
import {
  bool,
  type Ctx,
  checkArray,
  checkFields,
  checkId,
  checkImageSource,
  checkText,
  custom,
  isObj,
  newCtx,
  nonEmpty,
  type Obj,
  plain,
  type Rules,
  type Surface,
  show,
  str,
  text,
  Where,
} from './block-kit-checks.ts'
import { unknownType, validateElement } from './block-kit-elements.ts'

const MAX_MESSAGE_BLOCKS = 50
const MAX_VIEW_BLOCKS = 100
/** The markdown block limit is cumulative over all markdown blocks of one message. */
const MAX_MARKDOWN_CHARS = 12_000

interface BlockSpec {
  readonly rules: Rules
  /** Surfaces the block may appear on; all when absent. */
  readonly surfaces?: readonly Surface[]
  readonly check?: (block: Obj, where: Where) => void
}

// ---------------------------------------------------------------------------
// Block checks

function checkSection(b: Obj, where: Where): void {
  if (b.text === undefined && b.fields === undefined) where.problem('text or fields is required')
  const fields = checkArray(where, 'fields', b.fields, 1, 10) ?? []
  for (const [i, f] of fields.entries()) checkText(where, `fields[${i}]`, f, { max: 2000 })
  if (b.accessory !== undefined) validateElement(where.ctx, `${where.path}.accessory`, b.accessory, 'accessory')
}

function checkContext(b: Obj, where: Where): void {
  const elements = checkArray(where, 'elements', b.elements, 1, 10) ?? []
  elements.forEach((el, i) => {
    if (isObj(el) && (el.type === 'plain_text' || el.type === 'mrkdwn')) checkText(where, `elements[${i}]`, el, { max: 3000 })
    else validateElement(where.ctx, `${where.path}.elements[${i}]`, el, 'context')
  })
}

function checkActions(b: Obj, where: Where): void {
  const elements = checkArray(where, 'elements', b.elements, 1, 25) ?? []
  for (const [i, el] of elements.entries()) validateElement(where.ctx, `${where.path}.elements[${i}]`, el, 'actions')
}

function checkInput(b: Obj, where: Where): void {
  if (b.element !== undefined) validateElement(where.ctx, `${where.path}.element`, b.element, 'input')
}

/** Rich text containers and the inline elements they hold, with each one's required field. */
const RICH_TEXT_CONTAINERS = ['rich_text_section', 'rich_text_list', 'rich_text_quote', 'rich_text_preformatted']
const RICH_TEXT_INLINE: Record<string, string> = {
  text: 'text',
  link: 'url',
  emoji: 'name',
  user: 'user_id',
  usergroup: 'usergroup_id',
  channel: 'channel_id',
  team: 'team_id',
  broadcast: 'range',
  date: 'format',
  color: 'value',
}

function checkRichText(b: Obj, where: Where): void {
  const containers = checkArray(where, 'elements', b.elements, 1, Number.MAX_SAFE_INTEGER) ?? []
  for (const [i, c] of containers.entries()) {
    const field = `elements[${i}]`
    if (!isObj(c) || typeof c.type !== 'string' || !RICH_TEXT_CONTAINERS.includes(c.type)) {
      where.problem(`${field} must be one of ${RICH_TEXT_CONTAINERS.join(', ')}, got ${isObj(c) ? show(c.type) : show(c)}`)
      continue
    }
    const items = checkArray(where, `${field}.elements`, c.elements, 0, Number.MAX_SAFE_INTEGER) ?? []
    if (c.elements === undefined) where.problem(`${field}.elements is required`)
    if (c.type === 'rich_text_list') {
      if (c.style !== 'bullet' && c.style !== 'ordered') where.problem(`${field}.style must be "bullet" or "ordered", got ${show(c.style)}`)
      items.forEach((s, j) => {
        if (!isObj(s) || s.type !== 'rich_text_section') where.problem(`${field}.elements[${j}] must be a rich_text_section`)
        else checkRichTextInline(where, `${field}.elements[${j}]`, s.elements)
      })
    } else {
      checkRichTextInline(where, field, c.elements)
    }
  }
}

function checkRichTextInline(where: Where, field: string, value: unknown): void {
  const items = Array.isArray(value) ? value : []
  for (const [k, el] of items.entries()) {
    const name = `${field}.elements[${k}]`
    const required = isObj(el) && typeof el.type === 'string' ? RICH_TEXT_INLINE[el.type] : undefined
    if (!isObj(el) || required === undefined) {
      where.problem(
        `${name} must be a rich text element (${Object.keys(RICH_TEXT_INLINE).join(', ')}), got ${isObj(el) ? show(el.type) : show(el)}`,
      )
      continue
    }
    if (el[required] === undefined) where.problem(`${name}.${required} is required`)
  }
}

// ---------------------------------------------------------------------------
// Block specs

const BLOCKS: Readonly<Record<string, BlockSpec>> = {
  section: { rules: { text: text(3000), fields: custom(), accessory: custom(), expand: bool() }, check: checkSection },
  header: { rules: { text: plain(150, true) } },
  context: { rules: { elements: custom(true) }, check: checkContext },
  divider: { rules: {} },
  image: { rules: { image_url: str(3000), slack_file: custom(), alt_text: str(2000, true), title: plain(2000) }, check: checkImageSource },
  actions: { rules: { elements: custom(true) }, check: checkActions },
  input: {
    rules: { label: plain(2000, true), element: custom(true), hint: plain(2000), optional: bool(), dispatch_action: bool() },
    surfaces: ['modal', 'home'],
    check: checkInput,
  },
  rich_text: { rules: { elements: custom(true) }, check: checkRichText },
  markdown: { rules: { text: nonEmpty(MAX_MARKDOWN_CHARS, true) } },
}

function validateBlocks(ctx: Ctx, blocks: unknown[]): void {
  for (const [i, block] of blocks.entries()) {
    // Slack: an action_id must be unique within its block (rows of a list may share "pause").
    ctx.actionIds.clear()
    const path = `blocks[${i}]`
    if (!isObj(block)) {
      new Where(ctx, path).problem(`must be a block object, got ${show(block)}`)
      continue
    }
    const spec = typeof block.type === 'string' ? BLOCKS[block.type] : undefined
    if (!spec) {
      new Where(ctx, path).problem(unknownType('block', block.type))
      continue
    }
    const where = new Where(ctx, path, block.type as string)
    if (spec.surfaces && !spec.surfaces.includes(ctx.surface)) {
      where.problem(
        `${String(block.type)} blocks are only allowed in ${spec.surfaces.map((s) => (s === 'home' ? 'Home tabs' : `${s}s`)).join(' and ')}, not in ${ctx.surface === 'home' ? 'Home tabs' : `${ctx.surface}s`}`,
      )
    }
    checkFields(where, block, { block_id: custom(), ...spec.rules })
    checkId(where, 'block_id', block.block_id)
    spec.check?.(block, where)
  }
}

// ---------------------------------------------------------------------------
// Surfaces

/** Problems with a `chat.postMessage` / `chat.update` / `respond()` payload; [] when Slack would accept it. */
export function validateMessage(args: { text?: unknown; blocks?: unknown }): string[] {
  const ctx = newCtx('message')
  const where = new Where(ctx, 'message')
  const { text: fallback, blocks } = args
  if (fallback !== undefined && typeof fallback !== 'string') where.problem(`text must be a string, got ${show(fallback)}`)
  const list = checkArray(where, 'blocks', blocks, 0, MAX_MESSAGE_BLOCKS)
  const hasText = typeof fallback === 'string' && fallback.length > 0
  if (!hasText && (list === undefined || list.length === 0)) where.problem('needs non-empty text or blocks')
  if (list) {
    validateBlocks(ctx, list)
    const markdown = list.reduce<number>(
      (sum, b) => sum + (isObj(b) && b.type === 'markdown' && typeof b.text === 'string' ? Array.from(b.text).length : 0),
      0,
    )
    const count = list.filter((b) => isObj(b) && b.type === 'markdown').length
    if (count > 1 && markdown > MAX_MARKDOWN_CHARS)
      where.problem(`markdown blocks may hold at most ${MAX_MARKDOWN_CHARS} characters in total, got ${markdown}`)
  }
  return ctx.problems
}

const VIEW_RULES: Rules = {
  blocks: custom(true),
  title: plain(24),
  submit: plain(24),
  close: plain(24),
  callback_id: str(255),
  private_metadata: str(3000),
  external_id: str(255),
  clear_on_close: bool(),
  notify_on_close: bool(),
  submit_disabled: bool(),
}

/** Problems with a `views.open` / `views.push` / `views.update` (modal) or `views.publish` (home) view. */
export function validateView(view: unknown): string[] {
  if (!isObj(view)) return [`view: must be a view object, got ${show(view)}`]
  const type = view.type
  const surface: Surface = type === 'home' ? 'home' : 'modal'
  const ctx = newCtx(surface)
  const where = new Where(ctx, 'view', typeof type === 'string' ? type : undefined)
  if (type === undefined) where.problem('type is required ("modal" or "home")')
  else if (type !== 'modal' && type !== 'home') where.problem(`type must be "modal" or "home", got ${show(type)}`)
  checkFields(where, view, surface === 'modal' ? { ...VIEW_RULES, title: plain(24, true) } : VIEW_RULES)
  const blocks = checkArray(where, 'blocks', view.blocks, 0, MAX_VIEW_BLOCKS)
  if (blocks) {
    validateBlocks(ctx, blocks)
    if (surface === 'modal' && view.submit === undefined && blocks.some((b) => isObj(b) && b.type === 'input')) {
      where.problem('submit is required when the modal has input blocks')
    }
  }
  return ctx.problems
}
