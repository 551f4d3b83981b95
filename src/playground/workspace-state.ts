import { randomBytes } from 'node:crypto'
import {
  BOT_ID,
  BOT_USER_ID,
  defaultChannels,
  defaultUsers,
  type PgChannel,
  type PgMessage,
  type PgUser,
  type PgView,
  TEAM,
  YOU,
} from './model.ts'

export type PgEvent =
  | { type: 'message'; data: PgMessage }
  | { type: 'message_changed'; data: PgMessage }
  | { type: 'message_deleted'; data: { channel: string; ts: string } }
  | { type: 'views'; data: { stack: PgView[] } }
  | { type: 'status'; data: { channel: string; threadTs?: string; text: string } }
  | { type: 'toast'; data: { level: 'error' | 'info'; text: string } }

export interface ResponseUrlTarget {
  channel: string
  user: string
  /** The message an interaction came from (replace_original / delete_original act on it). */
  messageTs?: string
  messageEphemeral?: boolean
  threadTs?: string
  uses: number
  createdAt: number
}

export interface TriggerInfo {
  user: string
  createdAt: number
  used: boolean
}

/** The in-memory Slack workspace: the single source of what the page shows. */
export class WorkspaceState {
  readonly team = TEAM
  readonly users: PgUser[] = defaultUsers()
  readonly channels: PgChannel[] = defaultChannels()
  readonly messages: PgMessage[] = []
  views: PgView[] = []
  readonly responseUrls = new Map<string, ResponseUrlTarget>()
  readonly triggers = new Map<string, TriggerInfo>()
  readonly files = new Map<string, { name: string; mimetype: string; bytes: Buffer }>()
  private listeners = new Set<(e: PgEvent) => void>()
  private lastTs = 0
  private seq = 0

  subscribe(listener: (e: PgEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(e: PgEvent): void {
    for (const l of this.listeners) l(e)
  }

  snapshot() {
    return {
      team: this.team,
      you: YOU,
      users: this.users,
      channels: this.channels,
      messages: this.messages.filter(visibleToYou),
      views: this.views.filter((v) => v.user === YOU),
    }
  }

  /** Slack timestamps: seconds.microseconds, strictly increasing. */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastTs + 1)
    this.lastTs = micros
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`
  }

  id(prefix: string): string {
    return `${prefix}${(++this.seq).toString(36).toUpperCase().padStart(6, '0')}${randomBytes(2).toString('hex').toUpperCase()}`
  }

  user(id: string): PgUser | undefined {
    return this.users.find((u) => u.id === id)
  }

  channel(id: string): PgChannel | undefined {
    return this.channels.find((c) => c.id === id)
  }

  /** A channel id, or a user id meaning "the DM between the bot and that user". */
  resolveChannel(idOrUser: string): PgChannel | undefined {
    const direct = this.channel(idOrUser)
    if (direct) return direct
    const user = this.user(idOrUser)
    if (!user || user.isBot) return undefined
    let dm = this.channels.find((c) => c.kind === 'im' && c.user === user.id)
    if (!dm) {
      dm = { id: `D${user.id.slice(1)}`, name: user.name, kind: 'im', label: `Promoly ↔ ${user.realName}`, user: user.id }
      this.channels.push(dm)
    }
    return dm
  }

  findMessage(channel: string, ts: string): PgMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts)
  }

  addMessage(m: Omit<PgMessage, 'ts'> & { ts?: string }): PgMessage {
    const message: PgMessage = { ...m, ts: m.ts ?? this.nextTs() }
    this.messages.push(message)
    // The server keeps every thread's reply count (Slack's reply_count: ephemeral replies never count); the
    // browser shows it as sent and never counts on its own, so a reply is counted once.
    if (message.threadTs && message.threadTs !== message.ts && !message.ephemeral) {
      const parent = this.findMessage(message.channel, message.threadTs)
      if (parent) {
        parent.replyCount = (parent.replyCount ?? 0) + 1
        this.emit({ type: 'message_changed', data: parent })
      }
    }
    if (visibleToYou(message)) this.emit({ type: 'message', data: message })
    return message
  }

  updateMessage(channel: string, ts: string, patch: Partial<PgMessage>): PgMessage | undefined {
    const m = this.findMessage(channel, ts)
    if (!m) return undefined
    Object.assign(m, patch, { edited: true })
    if (visibleToYou(m)) this.emit({ type: 'message_changed', data: m })
    return m
  }

  deleteMessage(channel: string, ts: string): boolean {
    const i = this.messages.findIndex((m) => m.channel === channel && m.ts === ts)
    if (i < 0) return false
    const [m] = this.messages.splice(i, 1)
    if (m && visibleToYou(m)) this.emit({ type: 'message_deleted', data: { channel, ts } })
    if (m?.threadTs && m.threadTs !== m.ts && !m.ephemeral) {
      const parent = this.findMessage(channel, m.threadTs)
      if (parent?.replyCount) {
        parent.replyCount -= 1
        this.emit({ type: 'message_changed', data: parent })
      }
    }
    return true
  }

  botMessage(channel: string, content: { text: string; blocks?: unknown[]; threadTs?: string; visibleTo?: string }): PgMessage {
    return this.addMessage({
      channel,
      user: BOT_USER_ID,
      botId: BOT_ID,
      text: content.text,
      blocks: content.blocks,
      threadTs: content.threadTs,
      ...(content.visibleTo ? { ephemeral: true, visibleTo: content.visibleTo } : {}),
    })
  }

  /** Slack-side notices (e.g. "/promoly failed with the error …"), shown only to you. */
  slackbotNotice(channel: string, text: string): void {
    this.addMessage({ channel, user: 'USLACKBOT', text, ephemeral: true, visibleTo: YOU })
  }

  newTrigger(user: string): string {
    const id = `${Date.now()}.${Math.floor(Math.random() * 1e10)}.${randomBytes(16).toString('hex')}`
    this.triggers.set(id, { user, createdAt: Date.now(), used: false })
    return id
  }

  newResponseUrl(target: Omit<ResponseUrlTarget, 'uses' | 'createdAt'>): string {
    const id = randomBytes(12).toString('hex')
    this.responseUrls.set(id, { ...target, uses: 0, createdAt: Date.now() })
    return id
  }

  setViews(stack: PgView[]): void {
    this.views = stack
    this.emit({ type: 'views', data: { stack: stack.filter((v) => v.user === YOU) } })
  }
}

function visibleToYou(m: PgMessage): boolean {
  return !m.visibleTo || m.visibleTo === YOU
}
