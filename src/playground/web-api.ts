import { isObj } from './block-kit-checks.ts'
import { validateMessage, validateView } from './block-kit-validator.ts'
import { APP_ID, BOT_ID, BOT_USER_ID, type PgUser, type PgView, TEAM } from './model.ts'
import type { createRateLimiter } from './rate-limiter.ts'
import type { WorkspaceState } from './workspace-state.ts'

export type ApiResult = { status?: number; headers?: Record<string, string>; body: Record<string, unknown> }
type Args = Record<string, unknown>
type Method = (args: Args) => ApiResult | Promise<ApiResult>

const ok = (body: Record<string, unknown> = {}): ApiResult => ({ body: { ok: true, ...body } })
const fail = (error: string, extra: Record<string, unknown> = {}): ApiResult => ({ body: { ok: false, error, ...extra } })

const TRIGGER_TTL_MS = 3000
const MAX_VIEW_STACK = 3

/** Slack's user object for a playground person. Like Slack, Slackbot is `is_bot: false` (Promoly knows it by its id). */
function slackUser(u: PgUser): Record<string, unknown> {
  return {
    id: u.id,
    team_id: u.teamId ?? TEAM.id,
    name: u.name,
    real_name: u.realName,
    deleted: false,
    is_bot: Boolean(u.isBot) && u.id !== 'USLACKBOT',
    is_admin: Boolean(u.isAdmin),
    is_owner: Boolean(u.isOwner),
    is_primary_owner: Boolean(u.isOwner),
    is_restricted: Boolean(u.isRestricted),
    is_ultra_restricted: Boolean(u.isUltraRestricted),
    ...(u.isStranger ? { is_stranger: true } : {}),
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

function blocksOf(args: Args): unknown[] | undefined {
  return Array.isArray(args.blocks) ? args.blocks : undefined
}

/** `invalid_blocks` with Slack's `errors` list, or undefined when the message is valid. */
function checkMessage(args: Args): ApiResult | undefined {
  const problems = validateMessage({ text: args.text, blocks: args.blocks })
  if (problems.length === 0) return undefined
  const noContent = problems.some((p) => /needs non-empty `?text`? or `?blocks`?/.test(p))
  return fail(noContent ? 'no_text' : 'invalid_blocks', {
    errors: problems,
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  })
}

/** The view when Slack would accept it, else `invalid_blocks` with Slack's `errors` list. */
function checkView(view: unknown): { view: Record<string, unknown> } | ApiResult {
  const problems = validateView(view)
  if (problems.length === 0 && isObj(view)) return { view }
  return fail('invalid_blocks', { errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } })
}

/**
 * The subset of Slack's Web API Promoly calls, with Slack's answers and errors. Unknown methods
 * answer `unknown_method`, as Slack does.
 */
export function createWebApi(
  state: WorkspaceState,
  limiter: ReturnType<typeof createRateLimiter>,
  filesBaseUrl: () => string,
): Record<string, Method> {
  function buildView(view: Record<string, unknown>, id: string, previous?: PgView): Record<string, unknown> {
    return {
      ...view,
      id,
      team_id: TEAM.id,
      app_id: APP_ID,
      bot_id: BOT_ID,
      app_installed_team_id: TEAM.id,
      hash: `${Date.now()}.${Math.random().toString(36).slice(2, 10)}`,
      root_view_id: (previous?.view.root_view_id as string | undefined) ?? id,
      previous_view_id: null,
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      external_id: view.external_id ?? '',
      clear_on_close: Boolean(view.clear_on_close),
      notify_on_close: Boolean(view.notify_on_close),
      state: { values: {} },
    }
  }

  function useTrigger(triggerId: unknown): { user: string } | ApiResult {
    const id = str(triggerId)
    if (!id) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } })
    const t = state.triggers.get(id)
    if (!t) return fail('invalid_trigger_id')
    if (t.used || Date.now() - t.createdAt > TRIGGER_TTL_MS) return fail('expired_trigger_id')
    t.used = true
    return { user: t.user }
  }

  function findView(args: Args): PgView | undefined {
    const id = str(args.view_id)
    const external = str(args.external_id)
    return state.views.find((v) => (id && v.id === id) || (external && v.view.external_id === external))
  }

  return {
    'api.test': (args) => ok({ args }),
    'auth.test': () =>
      ok({
        url: `https://${TEAM.domain}.slack.com/`,
        team: TEAM.name,
        user: 'promoly',
        team_id: TEAM.id,
        user_id: BOT_USER_ID,
        bot_id: BOT_ID,
        is_enterprise_install: false,
      }),

    'chat.postMessage': (args) => {
      const channel = state.resolveChannel(String(args.channel ?? ''))
      if (!channel) return fail('channel_not_found')
      const invalid = checkMessage(args)
      if (invalid) return invalid
      const limited = limiter.take(`post:${channel.id}`)
      if (!limited.ok)
        return { status: 429, headers: { 'retry-after': String(limited.retryAfterSeconds) }, body: { ok: false, error: 'ratelimited' } }
      const threadTs = str(args.thread_ts)
      if (threadTs && !state.findMessage(channel.id, threadTs)) return fail('thread_not_found')
      const m = state.botMessage(channel.id, { text: String(args.text ?? ''), blocks: blocksOf(args), threadTs })
      return ok({
        channel: channel.id,
        ts: m.ts,
        message: { type: 'message', text: m.text, user: BOT_USER_ID, bot_id: BOT_ID, ts: m.ts, blocks: m.blocks, thread_ts: m.threadTs },
      })
    },

    'chat.postEphemeral': (args) => {
      const channel = state.resolveChannel(String(args.channel ?? ''))
      if (!channel) return fail('channel_not_found')
      const user = str(args.user)
      if (!user || !state.user(user)) return fail('user_not_found')
      const invalid = checkMessage(args)
      if (invalid) return invalid
      const m = state.botMessage(channel.id, {
        text: String(args.text ?? ''),
        blocks: blocksOf(args),
        threadTs: str(args.thread_ts),
        visibleTo: user,
      })
      return ok({ message_ts: m.ts })
    },

    'chat.update': (args) => {
      const channel = state.resolveChannel(String(args.channel ?? ''))
      if (!channel) return fail('channel_not_found')
      const ts = str(args.ts)
      const existing = ts ? state.findMessage(channel.id, ts) : undefined
      if (!existing) return fail('message_not_found')
      if (existing.user !== BOT_USER_ID) return fail('cant_update_message')
      const invalid = checkMessage({ text: args.text ?? existing.text, blocks: args.blocks ?? existing.blocks })
      if (invalid) return invalid
      const m = state.updateMessage(channel.id, existing.ts, {
        text: String(args.text ?? existing.text),
        blocks: blocksOf(args) ?? existing.blocks,
      })
      if (!m) return fail('message_not_found')
      return ok({ channel: channel.id, ts: m.ts, text: m.text, message: { text: m.text, blocks: m.blocks } })
    },

    'chat.delete': (args) => {
      const channel = state.resolveChannel(String(args.channel ?? ''))
      if (!channel) return fail('channel_not_found')
      const ts = str(args.ts)
      const existing = ts ? state.findMessage(channel.id, ts) : undefined
      if (!existing) return fail('message_not_found')
      if (existing.user !== BOT_USER_ID) return fail('cant_delete_message')
      state.deleteMessage(channel.id, existing.ts)
      return ok({ channel: channel.id, ts: existing.ts })
    },

    'views.open': (args) => {
      const checked = checkView(args.view)
      if ('body' in checked) return checked
      const trigger = useTrigger(args.trigger_id)
      if ('body' in trigger) return trigger
      const id = state.id('V')
      const pg: PgView = { id, view: buildView(checked.view, id), user: trigger.user }
      state.setViews([...state.views.filter((v) => v.user !== trigger.user), pg])
      return ok({ view: pg.view })
    },

    'views.push': (args) => {
      const checked = checkView(args.view)
      if ('body' in checked) return checked
      const trigger = useTrigger(args.trigger_id)
      if ('body' in trigger) return trigger
      const mine = state.views.filter((v) => v.user === trigger.user)
      if (mine.length === 0) return fail('not_found')
      if (mine.length >= MAX_VIEW_STACK) return fail('push_limit_reached')
      const id = state.id('V')
      const pg: PgView = { id, view: buildView(checked.view, id, mine[0]), user: trigger.user }
      state.setViews([...state.views, pg])
      return ok({ view: pg.view })
    },

    'views.update': (args) => {
      const checked = checkView(args.view)
      if ('body' in checked) return checked
      const existing = findView(args)
      if (!existing) return fail('not_found')
      if (str(args.hash) && args.hash !== existing.view.hash) return fail('hash_conflict')
      const updated: PgView = { id: existing.id, view: buildView(checked.view, existing.id, existing), user: existing.user }
      state.setViews(state.views.map((v) => (v.id === existing.id ? updated : v)))
      return ok({ view: updated.view })
    },

    'users.info': (args) => {
      const u = state.user(String(args.user ?? ''))
      if (!u) return fail('user_not_found')
      return ok({
        user: {
          ...slackUser(u),
          tz: 'Europe/Berlin',
          tz_label: 'Central European Time',
          tz_offset: 3600,
          profile: { real_name: u.realName, display_name: u.name },
        },
      })
    },

    // Paged like Slack: `limit` (up to 1000; none = everyone), an opaque `cursor`, `response_metadata.next_cursor`.
    'users.list': (args) => {
      const limit = args.limit === undefined ? 0 : Number(args.limit)
      if (!Number.isInteger(limit) || limit < 0 || limit > 1000) return fail('invalid_limit')
      const all = state.users
      const size = limit || all.length
      const cursor = str(args.cursor)
      const from = cursor ? Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1] ?? Number.NaN) : 0
      if (!Number.isInteger(from)) return fail('invalid_cursor')
      const next = from + size < all.length ? Buffer.from(`offset:${from + size}`).toString('base64') : ''
      return ok({
        members: all.slice(from, from + size).map((u) => slackUser(u)),
        cache_ts: Math.floor(Date.now() / 1000),
        response_metadata: { next_cursor: next },
      })
    },

    'conversations.info': (args) => {
      const c = state.channel(String(args.channel ?? ''))
      if (!c) return fail('channel_not_found')
      return ok({
        channel: {
          id: c.id,
          name: c.name,
          is_channel: c.kind === 'channel',
          is_im: c.kind === 'im',
          is_archived: false,
          is_member: true,
          user: c.user,
        },
      })
    },

    // Everyone but Slackbot is in the playground's channels; a DM holds its person and the bot. Paged like
    // Slack: `limit` (1–1000, default 100) and an opaque base64 cursor in response_metadata.next_cursor.
    'conversations.members': (args) => {
      const c = state.channel(String(args.channel ?? ''))
      if (!c) return fail('channel_not_found')
      const limit = args.limit === undefined || args.limit === '' ? 100 : Number(args.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail('invalid_limit')
      const cursor = str(args.cursor)
      const from = cursor ? Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1] ?? Number.NaN) : 0
      if (!Number.isInteger(from)) return fail('invalid_cursor')
      const members =
        c.kind === 'im'
          ? [c.user, BOT_USER_ID].filter((u): u is string => Boolean(u))
          : state.users.filter((u) => u.id !== 'USLACKBOT').map((u) => u.id)
      const next = from + limit < members.length ? Buffer.from(`offset:${from + limit}`).toString('base64') : ''
      return ok({ members: members.slice(from, from + limit), response_metadata: { next_cursor: next } })
    },

    'conversations.open': (args) => {
      const [user, ...others] = String(args.users ?? '')
        .split(',')
        .filter(Boolean)
      if (user === undefined || others.length > 0) return fail('invalid_arguments')
      const c = state.resolveChannel(user)
      if (!c) return fail('user_not_found')
      return ok({ channel: { id: c.id } })
    },

    'conversations.replies': (args) => {
      const c = state.channel(String(args.channel ?? ''))
      if (!c) return fail('channel_not_found')
      const ts = str(args.ts)
      const msgs = state.messages.filter((m) => m.channel === c.id && !m.ephemeral && (m.ts === ts || m.threadTs === ts))
      if (msgs.length === 0) return fail('thread_not_found')
      return ok({
        messages: msgs.map((m) => ({
          type: 'message',
          user: m.user,
          text: m.text,
          ts: m.ts,
          thread_ts: m.threadTs,
          blocks: m.blocks,
          bot_id: m.botId,
        })),
        has_more: false,
      })
    },

    'conversations.history': (args) => {
      const c = state.channel(String(args.channel ?? ''))
      if (!c) return fail('channel_not_found')
      const msgs = state.messages.filter((m) => m.channel === c.id && !m.ephemeral && (!m.threadTs || m.threadTs === m.ts)).reverse()
      return ok({
        messages: msgs
          .slice(0, Number(args.limit ?? 100))
          .map((m) => ({ type: 'message', user: m.user, text: m.text, ts: m.ts, blocks: m.blocks, bot_id: m.botId })),
        has_more: false,
      })
    },

    'assistant.threads.setStatus': (args) => {
      const channel = str(args.channel_id)
      if (!channel || !state.channel(channel)) return fail('channel_not_found')
      state.emit({ type: 'status', data: { channel, threadTs: str(args.thread_ts), text: String(args.status ?? '') } })
      return ok()
    },
    'assistant.threads.setSuggestedPrompts': (args) =>
      str(args.channel_id) && state.channel(String(args.channel_id)) ? ok() : fail('channel_not_found'),
    'assistant.threads.setTitle': (args) =>
      str(args.channel_id) && state.channel(String(args.channel_id)) ? ok() : fail('channel_not_found'),

    // File uploads (files.uploadV2 in @slack/web-api): get an upload URL, POST the bytes, complete.
    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename)
      const length = Number(args.length)
      if (!filename || !Number.isFinite(length) || length <= 0) return fail('invalid_arguments')
      const id = state.id('F')
      state.files.set(id, { name: filename, mimetype: 'application/octet-stream', bytes: Buffer.alloc(0) })
      return ok({ upload_url: `${filesBaseUrl()}/upload/${id}`, file_id: id })
    },
    'files.completeUploadExternal': (args) => {
      const files = (typeof args.files === 'string' ? JSON.parse(args.files) : args.files) as
        | Array<{ id: string; title?: string }>
        | undefined
      if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments')
      const shared: Array<{ id: string; name: string; title: string; url: string; mimetype: string }> = []
      for (const f of files) {
        const file = state.files.get(f.id)
        if (!file || file.bytes.length === 0) return fail('file_not_found')
        shared.push({
          id: f.id,
          name: file.name,
          title: f.title ?? file.name,
          url: `${filesBaseUrl()}/files/${f.id}/${encodeURIComponent(file.name)}`,
          mimetype: file.mimetype,
        })
      }
      const channelId = str(args.channel_id)
      const channel = channelId ? state.resolveChannel(channelId) : undefined
      if (channelId && !channel) return fail('channel_not_found')
      if (channel) {
        state.addMessage({
          channel: channel.id,
          user: BOT_USER_ID,
          botId: BOT_ID,
          text: String(args.initial_comment ?? ''),
          threadTs: str(args.thread_ts),
          files: shared,
        })
      }
      return ok({ files: shared.map((s) => ({ id: s.id, name: s.name, title: s.title, mimetype: s.mimetype, url_private: s.url })) })
    },
  }
}
