// The page's copy of the emulator state, fed by the SSE stream.
import { cmpTs } from './dom.js'

export const state = {
  ready: false,
  team: { id: '', name: '' },
  you: null,
  /** @type {Map<string, {id, name, realName, isBot?, color?}>} */
  users: new Map(),
  /** @type {Array<{id, name, kind: 'channel'|'im', label}>} */
  channels: [],
  channelById: new Map(),
  /** channel|ts → message */
  byKey: new Map(),
  /** channel → top-level messages (thread parents included), sorted by ts */
  top: new Map(),
  /** channel|threadTs → replies, sorted by ts */
  replies: new Map(),
  /** the modal stack */
  views: [],
  /** channel|threadTs → status text */
  statuses: new Map(),
  /** channel → number of unread top-level messages */
  unread: new Map(),
  selected: null,
  /** the open thread: { channel, ts } */
  thread: null,
}

export const key = (channel, ts) => `${channel}|${ts}`
export const isReply = (m) => !!m.threadTs && m.threadTs !== m.ts

function insertSorted(list, m) {
  let i = list.length
  while (i > 0 && cmpTs(list[i - 1].ts, m.ts) > 0) i--
  list.splice(i, 0, m)
  return i
}

function listFor(m) {
  if (isReply(m)) {
    const k = key(m.channel, m.threadTs)
    if (!state.replies.has(k)) state.replies.set(k, [])
    return state.replies.get(k)
  }
  if (!state.top.has(m.channel)) state.top.set(m.channel, [])
  return state.top.get(m.channel)
}

export function applySnapshot(s) {
  state.team = s.team ?? { id: '', name: '' }
  state.you = s.you ?? null
  state.users = new Map((s.users ?? []).map((u) => [u.id, u]))
  state.channels = s.channels ?? []
  state.channelById = new Map(state.channels.map((c) => [c.id, c]))
  state.byKey = new Map()
  state.top = new Map()
  state.replies = new Map()
  for (const m of s.messages ?? []) {
    state.byKey.set(key(m.channel, m.ts), m)
    listFor(m).push(m)
  }
  for (const l of state.top.values()) l.sort((a, b) => cmpTs(a.ts, b.ts))
  for (const l of state.replies.values()) l.sort((a, b) => cmpTs(a.ts, b.ts))
  state.views = s.views ?? []
  state.statuses = new Map()
  for (const id of [...state.unread.keys()]) if (!state.channelById.has(id)) state.unread.delete(id)
  state.ready = true
}

/** A new message. Returns { replaced, parent, index, list } (parent: the thread parent whose count moved). */
export function addMessage(m) {
  const k = key(m.channel, m.ts)
  const old = state.byKey.get(k)
  if (old) {
    replaceMessage(m)
    return { replaced: true, parent: null }
  }
  state.byKey.set(k, m)
  const list = listFor(m)
  const index = insertSorted(list, m)
  // The parent's count comes from the server (message_changed), which counts each reply once.
  const parent = isReply(m) ? (state.byKey.get(key(m.channel, m.threadTs)) ?? null) : null
  return { replaced: false, parent, index, list }
}

/** Replaces a message in place (message_changed). Returns the stored message, or null when unknown. */
export function replaceMessage(m) {
  const k = key(m.channel, m.ts)
  const old = state.byKey.get(k)
  if (!old) return null
  const list = listFor(old)
  const i = list.indexOf(old)
  // A thread parent keeps the reply count it has when the update does not carry one.
  const merged = { ...m }
  if (merged.replyCount === undefined && old.replyCount !== undefined) merged.replyCount = old.replyCount
  if (isReply(old) !== isReply(merged) || old.threadTs !== merged.threadTs) {
    if (i >= 0) list.splice(i, 1)
    state.byKey.set(k, merged)
    insertSorted(listFor(merged), merged)
  } else {
    if (i >= 0) list[i] = merged
    state.byKey.set(k, merged)
  }
  return merged
}

export function deleteMessage({ channel, ts }) {
  const k = key(channel, ts)
  const old = state.byKey.get(k)
  if (!old) return null
  state.byKey.delete(k)
  const list = listFor(old)
  const i = list.indexOf(old)
  if (i >= 0) list.splice(i, 1)
  return old
}

export const repliesOf = (channel, ts) => state.replies.get(key(channel, ts)) ?? []

/** Replies shown on a parent: the larger of the server's count and the replies we hold. */
export function replyCount(m) {
  const local = repliesOf(m.channel, m.ts).filter((r) => !r.ephemeral).length
  return Math.max(m.replyCount ?? 0, local)
}

export function user(id) {
  return state.users.get(id) ?? null
}

export function displayName(id) {
  const u = state.users.get(id)
  return u ? u.realName || u.name || id : id
}

export function botUser(label) {
  const bots = [...state.users.values()].filter((u) => u.isBot)
  return (
    bots.find((u) => u.realName === label || u.name === label || u.name?.toLowerCase() === String(label ?? '').toLowerCase()) ??
    bots[0] ??
    null
  )
}
