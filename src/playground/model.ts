/** What the local Slack workspace holds: people, channels, messages, open modals. */

export interface PgUser {
  id: string
  name: string
  realName: string
  isBot?: boolean
  isAdmin?: boolean
  isOwner?: boolean
  /** A multi-channel guest (users.info `is_restricted`); Promoly refuses guests. */
  isRestricted?: boolean
  /** A single-channel guest (`is_ultra_restricted`). */
  isUltraRestricted?: boolean
  /** Someone of another organisation seen through a shared channel (`is_stranger`). */
  isStranger?: boolean
  /** Their home team; default: the playground's. */
  teamId?: string
  color?: string
}

export interface PgChannel {
  id: string
  name: string
  kind: 'channel' | 'im'
  label: string
  /** For a DM: the person on the other side of the bot. */
  user?: string
}

export interface PgMessage {
  channel: string
  ts: string
  threadTs?: string
  user: string
  text: string
  blocks?: unknown[]
  /** Ephemeral (chat.postEphemeral, ephemeral responses): only `visibleTo` sees it. */
  ephemeral?: boolean
  visibleTo?: string
  edited?: boolean
  replyCount?: number
  /** Bot messages carry the bot id like Slack's. */
  botId?: string
  /** Files shared with the message (files.completeUploadExternal): images show inline, like Slack's. */
  files?: Array<{ id: string; name: string; title?: string; url: string; mimetype: string }>
}

export interface PgView {
  id: string
  /** The view as Promoly sent it, plus the fields Slack adds (id, hash, team_id, app_id …). */
  view: Record<string, unknown>
  errors?: Record<string, string>
  /** Who the modal belongs to (the user whose trigger opened it). */
  user: string
}

export interface PgTeam {
  id: string
  name: string
  domain: string
}

export const TEAM: PgTeam = { id: 'T0PLAYGRND', name: 'Promoly Playground', domain: 'promoly-playground' }
export const APP_ID = 'A0PROMOLY1'
export const BOT_ID = 'B0PROMOLY1'
export const BOT_USER_ID = 'U0PROMOLY1'
export const YOU = 'U0YOU00001'
const TEAMMATE = 'U0ALEX0001'
/** A multi-channel guest: Promoly answers them with a polite refusal and no data. */
const GUEST = 'U0GUEST001'

export function defaultUsers(): PgUser[] {
  return [
    { id: YOU, name: 'you', realName: 'You (workspace admin)', isAdmin: true, isOwner: true, color: '#2bac76' },
    { id: TEAMMATE, name: 'alex', realName: 'Alex Rivera', color: '#e8912d' },
    { id: GUEST, name: 'casey', realName: 'Casey Lee (guest from the client)', isRestricted: true, color: '#4a154b' },
    { id: BOT_USER_ID, name: 'promoly', realName: 'Promoly', isBot: true, color: '#1d2b4f' },
    { id: 'USLACKBOT', name: 'slackbot', realName: 'Slackbot', isBot: true, color: '#611f69' },
  ]
}

export function defaultChannels(): PgChannel[] {
  return [
    { id: 'D0PROMOLY1', name: 'promoly', kind: 'im', label: 'Promoly', user: YOU },
    { id: 'C0GENERAL1', name: 'general', kind: 'channel', label: '#general' },
    { id: 'C0ADS00001', name: 'ads-performance', kind: 'channel', label: '#ads-performance' },
    { id: 'C0CLIENTS1', name: 'client-acme', kind: 'channel', label: '#client-acme' },
  ]
}
