// Promoly playground: a Slack-like client for the local Slack emulator.
// Live state arrives over SSE (GET /playground/events); actions are JSON POSTs (see api.js).

import { eventsUrl, post, toast } from './api.js'
import { closeMenus, renderBlocks, setDirectory } from './blocks.js'
import { clear, colorFor, fmtDay, fmtTime, h, initials, tsDate } from './dom.js'
import { createModals } from './modal.js'
import { renderMrkdwn, setResolver } from './mrkdwn.js'
import {
  addMessage,
  applySnapshot,
  botUser,
  deleteMessage,
  displayName,
  isReply,
  key,
  replaceMessage,
  repliesOf,
  replyCount,
  state,
  user,
} from './state.js'

const $ = (id) => document.getElementById(id)
const ui = {
  teamName: $('team-name'),
  channelList: $('channel-list'),
  dmList: $('dm-list'),
  header: $('conv-header'),
  messages: $('messages'),
  messagesInner: $('messages-inner'),
  status: $('status'),
  composer: $('composer'),
  composerSend: $('composer-send'),
  threadPane: $('thread-pane'),
  threadChannel: $('thread-channel'),
  threadClose: $('thread-close'),
  threadScroll: $('thread-scroll'),
  threadInner: $('thread-inner'),
  threadStatus: $('thread-status'),
  threadComposer: $('thread-composer'),
  threadSend: $('thread-send'),
  connection: $('connection'),
  modalLayer: $('modal-layer'),
}

// ---------------------------------------------------------------------------------------------
// Lookups for the renderers
// ---------------------------------------------------------------------------------------------

setResolver({
  user: (id) => (state.users.has(id) ? displayName(id) : null),
  channel: (id) => {
    const c = state.channelById.get(id)
    return c ? (c.kind === 'channel' ? c.name : c.label || c.name) : null
  },
  openChannel: (id) => state.channelById.has(id) && selectChannel(id),
})
setDirectory({
  users: () => [...state.users.values()],
  channels: () => state.channels,
  currentChannel: () => state.selected,
})

const dispatchAction = (container, blockId, action) => post('action', { container, blockId, action })

const modals = createModals({
  layer: ui.modalLayer,
  post,
  dispatchAction,
  appIcon: () => {
    const b = botUser('Promoly')
    return { name: b ? b.realName || b.name : 'Promoly', color: b?.color || '#4a154b' }
  },
})

function channelLabel(c) {
  return c.kind === 'channel' ? c.name : c.label || c.name
}

/** The user on the other side of a DM (the bot for "Promoly"). */
function dmPeer(c) {
  const label = c.label || c.name
  return [...state.users.values()].find((u) => u.id !== state.you && (u.realName === label || u.name === label)) ?? botUser(label)
}

function avatar(userId, size = 'md') {
  const u = user(userId)
  const name = u ? u.realName || u.name : userId
  return h(
    'div',
    {
      class: `avatar avatar-${size}${u?.isBot ? ' avatar-bot' : ''}`,
      style: { background: u?.color || colorFor(userId ?? '?') },
      'aria-hidden': 'true',
    },
    initials(name),
  )
}

// ---------------------------------------------------------------------------------------------
// Sidebar
// ---------------------------------------------------------------------------------------------

function renderSidebar() {
  ui.teamName.textContent = state.team?.name || 'Playground'
  clear(ui.channelList)
  clear(ui.dmList)
  const chans = state.channels.filter((c) => c.kind !== 'im').sort((a, b) => a.name.localeCompare(b.name))
  const ims = state.channels.filter((c) => c.kind === 'im')
  for (const c of chans) ui.channelList.append(h('li', null, sidebarItem(c)))
  for (const c of ims) ui.dmList.append(h('li', null, sidebarItem(c)))
}

function sidebarItem(c) {
  const active = c.id === state.selected
  const unread = state.unread.get(c.id) ?? 0
  const peer = c.kind === 'im' ? dmPeer(c) : null
  return h(
    'button',
    {
      type: 'button',
      class: `sb-item${active ? ' active' : ''}${unread ? ' unread' : ''}`,
      'data-testid': 'channel-link',
      'data-channel': c.id,
      'data-name': c.name,
      'data-label': channelLabel(c),
      'data-kind': c.kind,
      'data-unread': unread ? 'true' : undefined,
      'aria-current': active ? 'page' : undefined,
      onclick: () => selectChannel(c.id),
    },
    c.kind === 'im' ? avatar(peer?.id ?? c.id, 'xs') : h('span', { class: 'sb-hash', 'aria-hidden': 'true' }, '#'),
    h('span', { class: 'sb-label' }, channelLabel(c)),
    peer?.isBot && h('span', { class: 'badge-app badge-app-sb' }, 'APP'),
    unread > 0 &&
      (c.kind === 'im'
        ? h('span', { class: 'sb-badge', 'data-testid': 'unread' }, String(unread))
        : h('span', { class: 'sb-dot', 'data-testid': 'unread' })),
  )
}

// ---------------------------------------------------------------------------------------------
// Conversation
// ---------------------------------------------------------------------------------------------

const drafts = new Map()
let stick = true
let threadStick = true

function defaultChannel() {
  const fromHash = decodeURIComponent(location.hash.replace(/^#\/?/, ''))
  if (fromHash) {
    const c = state.channels.find((x) => x.id === fromHash || x.name === fromHash || x.label === fromHash)
    if (c) return c.id
  }
  const ims = state.channels.filter((c) => c.kind === 'im')
  return (ims.find((c) => c.label === 'Promoly') ?? ims.find((c) => dmPeer(c)?.isBot) ?? ims[0] ?? state.channels[0])?.id ?? null
}

function selectChannel(id) {
  if (!state.channelById.has(id)) return
  if (state.selected && state.selected !== id) drafts.set(state.selected, ui.composer.value)
  const changed = state.selected !== id
  state.selected = id
  state.unread.delete(id)
  if (changed) {
    closeThread()
    ui.composer.value = drafts.get(id) ?? ''
    autogrow(ui.composer)
  }
  history.replaceState(null, '', `#${encodeURIComponent(id)}`)
  document.body.setAttribute('data-selected-channel', id)
  renderSidebar()
  renderConversation()
  stick = true
  scrollToBottom(ui.messages)
  ui.composer.focus({ preventScroll: true })
}

function renderConversation() {
  const c = state.channelById.get(state.selected)
  clear(ui.header)
  if (c) {
    ui.header.setAttribute('data-channel', c.id)
    if (c.kind === 'im') {
      const peer = dmPeer(c)
      ui.header.append(
        h(
          'div',
          { class: 'ch-title' },
          avatar(peer?.id ?? c.id, 'sm'),
          h('span', { class: 'ch-name' }, channelLabel(c)),
          peer?.isBot && h('span', { class: 'badge-app' }, 'APP'),
        ),
      )
    } else {
      ui.header.append(h('div', { class: 'ch-title' }, h('span', { class: 'ch-hash' }, '#'), h('span', { class: 'ch-name' }, c.name)))
    }
    ui.header.append(h('div', { class: 'ch-tabs' }, h('span', { class: 'ch-tab active' }, '💬 Messages')))
    ui.composer.placeholder = c.kind === 'im' ? `Message ${channelLabel(c)}` : `Message #${c.name}`
    ui.composer.disabled = false
  } else {
    ui.composer.placeholder = 'No conversation'
    ui.composer.disabled = true
  }
  renderMessages()
  renderStatuses()
}

function intro(c) {
  if (c.kind === 'im') {
    const peer = dmPeer(c)
    return h(
      'div',
      { class: 'intro' },
      h(
        'div',
        { class: 'intro-head' },
        avatar(peer?.id ?? c.id, 'xl'),
        h(
          'div',
          null,
          h('div', { class: 'intro-title' }, channelLabel(c), peer?.isBot && h('span', { class: 'badge-app' }, 'APP')),
          peer?.isBot && h('div', { class: 'intro-sub' }, 'Your Meta ads, in Slack'),
        ),
      ),
      h(
        'p',
        { class: 'intro-text' },
        'This is the very beginning of your direct message history with ',
        h('strong', null, channelLabel(c)),
        '. Try ',
        h('code', { class: 'mk-code' }, '/promoly help'),
        ' or just say hi.',
      ),
    )
  }
  return h(
    'div',
    { class: 'intro' },
    h('div', { class: 'intro-title intro-title-channel' }, `# ${c.name}`),
    h(
      'p',
      { class: 'intro-text' },
      'This is the very beginning of the ',
      h('strong', null, `#${c.name}`),
      ' channel. Mention ',
      h('strong', null, '@Promoly'),
      ' or use ',
      h('code', { class: 'mk-code' }, '/promoly'),
      ' here.',
    ),
  )
}

function dayDivider(ts) {
  return h('div', { class: 'day-divider', role: 'separator' }, h('span', { class: 'day-pill' }, fmtDay(ts)))
}

function continues(prev, m, inThread) {
  return (
    !!prev &&
    prev.user === m.user &&
    !prev.ephemeral &&
    !m.ephemeral &&
    parseFloat(m.ts) - parseFloat(prev.ts) < 300 &&
    fmtDay(prev.ts) === fmtDay(m.ts) &&
    (inThread || replyCount(prev) === 0)
  )
}

function renderMessages() {
  clear(ui.messagesInner)
  const c = state.channelById.get(state.selected)
  if (!c) {
    ui.messagesInner.append(
      h('div', { class: 'empty' }, state.ready ? 'No conversation selected.' : 'Connecting to the playground server…'),
    )
    return
  }
  ui.messagesInner.append(intro(c))
  let prev = null
  for (const m of state.top.get(c.id) ?? []) {
    appendMessage(ui.messagesInner, m, prev, false)
    prev = m
  }
}

function appendMessage(container, m, prev, inThread) {
  if (!inThread && (!prev || fmtDay(prev.ts) !== fmtDay(m.ts))) container.append(dayDivider(m.ts))
  container.append(messageEl(m, { compact: continues(prev, m, inThread), inThread }))
}

function messageEl(m, { compact = false, inThread = false, parent = false } = {}) {
  const u = user(m.user)
  const bot = !!u?.isBot
  const container = { type: 'message', channel: m.channel, ts: m.ts, ...(m.ephemeral ? { ephemeral: true } : {}) }
  const ctx = { surface: 'message', dispatch: (blockId, action) => dispatchAction(container, blockId, action) }
  const el = h('div', {
    class: `msg${compact ? ' msg-compact' : ''}${m.ephemeral ? ' msg-ephemeral' : ''}${parent ? ' msg-parent' : ''}`,
    'data-testid': 'message',
    'data-ts': m.ts,
    'data-channel': m.channel,
    'data-user': m.user,
    'data-thread-ts': m.threadTs,
    'data-ephemeral': m.ephemeral ? 'true' : undefined,
    'data-bot': bot ? 'true' : undefined,
  })
  if (m.ephemeral)
    el.append(h('div', { class: 'msg-eph-note' }, h('span', { class: 'eph-eye', 'aria-hidden': 'true' }, '👁'), 'Only visible to you'))
  const gutter = h('div', { class: 'msg-gutter' }, compact ? h('span', { class: 'msg-hover-time' }, fmtTime(m.ts)) : avatar(m.user))
  const content = h('div', { class: 'msg-content' })
  if (!compact) {
    content.append(
      h(
        'div',
        { class: 'msg-meta' },
        h('span', { class: 'msg-name' }, u ? u.realName || u.name : m.user),
        bot && h('span', { class: 'badge-app' }, 'APP'),
        h('span', { class: 'msg-time', title: tsDate(m.ts).toLocaleString('en-US') }, fmtTime(m.ts)),
      ),
    )
  }
  const body = h('div', { class: 'msg-body', 'data-testid': 'message-body' })
  if (Array.isArray(m.blocks) && m.blocks.length) body.append(renderBlocks(m.blocks, ctx))
  else if (m.text || !m.files?.length) body.append(h('div', { class: 'mk msg-text' }, renderMrkdwn(m.text ?? '')))
  if (Array.isArray(m.files) && m.files.length) body.append(filesEl(m.files))
  if (m.edited) body.append(h('span', { class: 'msg-edited' }, '(edited)'))
  content.append(body)
  if (!inThread && !isReply(m)) {
    const n = replyCount(m)
    if (n > 0) content.append(repliesBar(m, n))
  }
  el.append(h('div', { class: 'msg-row' }, gutter, content))
  if (!inThread && !isReply(m) && !m.ephemeral) {
    el.append(
      h(
        'div',
        { class: 'msg-toolbar' },
        h(
          'button',
          {
            type: 'button',
            class: 'tb-btn',
            'data-testid': 'reply-in-thread',
            title: 'Reply in thread',
            'aria-label': 'Reply in thread',
            onclick: () => openThread(m.channel, m.ts),
          },
          '💬',
        ),
      ),
    )
  }
  return el
}

/** Files shared with a message: images inline (with their title, like Slack), anything else as a link. */
function filesEl(files) {
  return h(
    'div',
    { class: 'msg-files', 'data-testid': 'message-files' },
    files.map((f) => {
      const src = sameOriginPath(f.url)
      const title = f.title || f.name
      if (src && String(f.mimetype ?? '').startsWith('image/'))
        return h(
          'figure',
          { class: 'msg-file msg-file-image', 'data-testid': 'message-file' },
          h('figcaption', { class: 'msg-file-title' }, title),
          h('img', { class: 'msg-file-img', src, alt: title, title, loading: 'lazy' }),
        )
      return h(
        'div',
        { class: 'msg-file', 'data-testid': 'message-file' },
        src ? h('a', { href: src, target: '_blank', rel: 'noopener noreferrer' }, `📎 ${title}`) : `📎 ${title}`,
      )
    }),
  )
}

/** A file URL of the playground server as a path on this page's origin (the page may be opened by another host name). */
function sameOriginPath(url) {
  try {
    const u = new URL(String(url ?? ''), location.href)
    return u.pathname.startsWith('/files/') ? u.pathname : undefined
  } catch {
    return undefined
  }
}

function repliesBar(m, n) {
  const replies = repliesOf(m.channel, m.ts)
  const people = [...new Set(replies.map((r) => r.user))].slice(0, 3)
  const last = replies[replies.length - 1]
  return h(
    'button',
    {
      type: 'button',
      class: 'msg-replies',
      'data-testid': 'replies',
      'data-ts': m.ts,
      'data-channel': m.channel,
      'data-count': String(n),
      onclick: () => openThread(m.channel, m.ts),
    },
    people.map((p) => avatar(p, 'xs')),
    h('span', { class: 'replies-count' }, `${n} ${n === 1 ? 'reply' : 'replies'}`),
    last && h('span', { class: 'replies-last' }, `Last reply ${fmtTime(last.ts)}`),
    h('span', { class: 'replies-view' }, 'View thread ›'),
  )
}

/** Re-renders the main-list element(s) of one message in place. */
function refreshMessage(m) {
  const sel = `[data-testid="message"][data-channel="${CSS.escape(m.channel)}"][data-ts="${CSS.escape(m.ts)}"]`
  const el = ui.messagesInner.querySelector(sel)
  if (!el) return false
  el.replaceWith(messageEl(m, { compact: el.classList.contains('msg-compact') }))
  return true
}

// ---------------------------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------------------------

function openThread(channel, ts) {
  closeMenus()
  state.thread = { channel, ts }
  ui.threadPane.hidden = false
  document.body.classList.add('has-thread')
  threadStick = true
  renderThread()
  renderStatuses()
  ui.threadComposer.focus({ preventScroll: true })
}

function closeThread() {
  if (!state.thread) return
  state.thread = null
  ui.threadPane.hidden = true
  ui.threadComposer.value = ''
  document.body.classList.remove('has-thread')
  renderStatuses()
}

function renderThread() {
  if (!state.thread) return
  const { channel, ts } = state.thread
  const parent = state.byKey.get(key(channel, ts))
  if (!parent) return closeThread()
  const c = state.channelById.get(channel)
  ui.threadChannel.textContent = c ? (c.kind === 'channel' ? `#${c.name}` : channelLabel(c)) : channel
  ui.threadPane.setAttribute('data-channel', channel)
  ui.threadPane.setAttribute('data-thread-ts', ts)
  clear(ui.threadInner)
  ui.threadInner.append(messageEl(parent, { inThread: true, parent: true }))
  const replies = repliesOf(channel, ts)
  const n = replyCount(parent)
  ui.threadInner.append(
    h('div', { class: 'thread-divider' }, h('span', null, n ? `${n} ${n === 1 ? 'reply' : 'replies'}` : 'No replies yet')),
  )
  let prev = null
  for (const r of replies) {
    appendMessage(ui.threadInner, r, prev, true)
    prev = r
  }
  ui.threadComposer.placeholder = 'Reply…'
}

// ---------------------------------------------------------------------------------------------
// Status ("Promoly is working…")
// ---------------------------------------------------------------------------------------------

function renderStatuses() {
  clear(ui.status)
  clear(ui.threadStatus)
  const bot = botUser('Promoly')
  const who = bot ? bot.realName || bot.name : 'Promoly'
  for (const [k, text] of state.statuses) {
    if (!text) continue
    const [channel, threadTs] = k.split('|')
    const inOpenThread = threadTs && state.thread && state.thread.channel === channel && state.thread.ts === threadTs
    const line = (where) =>
      h(
        'div',
        {
          class: 'status',
          'data-testid': 'status',
          'data-channel': channel,
          'data-thread-ts': threadTs || undefined,
          'aria-live': 'polite',
        },
        h('span', { class: 'status-dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
        h('strong', null, who),
        h('span', { class: 'status-text' }, text),
        where,
      )
    if (inOpenThread) ui.threadStatus.append(line(null))
    else if (channel === state.selected) {
      ui.status.append(
        line(
          threadTs
            ? h('button', { type: 'button', class: 'status-thread', onclick: () => openThread(channel, threadTs) }, 'in a thread ›')
            : null,
        ),
      )
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Scrolling
// ---------------------------------------------------------------------------------------------

function scrollToBottom(el) {
  el.scrollTop = el.scrollHeight
}
ui.messages.addEventListener('scroll', () => {
  stick = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 80
})
ui.threadScroll.addEventListener('scroll', () => {
  threadStick = ui.threadScroll.scrollHeight - ui.threadScroll.scrollTop - ui.threadScroll.clientHeight < 80
})
// Stay pinned to the newest message when the content grows (new messages, images) and when the
// viewport shrinks (a status line appears, the composer grows).
const pinMain = new ResizeObserver(() => stick && scrollToBottom(ui.messages))
pinMain.observe(ui.messagesInner)
pinMain.observe(ui.messages)
const pinThread = new ResizeObserver(() => threadStick && scrollToBottom(ui.threadScroll))
pinThread.observe(ui.threadInner)
pinThread.observe(ui.threadScroll)

// ---------------------------------------------------------------------------------------------
// Composers
// ---------------------------------------------------------------------------------------------

function autogrow(ta) {
  ta.style.height = 'auto'
  ta.style.height = `${Math.min(ta.scrollHeight, 240)}px`
  const send = ta === ui.composer ? ui.composerSend : ui.threadSend
  send.classList.toggle('ready', ta.value.trim() !== '')
}

async function send(ta, inThread) {
  const text = ta.value.trim()
  if (!text) return
  const channel = inThread ? state.thread?.channel : state.selected
  if (!channel) return
  const threadTs = inThread ? state.thread.ts : undefined
  ta.value = ''
  autogrow(ta)
  if (inThread) threadStick = true
  else stick = true
  if (!inThread) drafts.delete(channel)
  const res = await post('send', { channel, text, ...(threadTs ? { threadTs } : {}) })
  if (!res.ok && ta.value === '') {
    ta.value = text
    autogrow(ta)
  }
}

function wireComposer(ta, btn, inThread) {
  ta.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault()
      void send(ta, inThread)
    }
  })
  ta.addEventListener('input', () => autogrow(ta))
  btn.addEventListener('click', () => send(ta, inThread))
}
wireComposer(ui.composer, ui.composerSend, false)
wireComposer(ui.threadComposer, ui.threadSend, true)
ui.threadClose.addEventListener('click', closeThread)

for (const b of document.querySelectorAll('[data-insert]')) {
  b.addEventListener('click', () => {
    const ta = b.closest('.composer').querySelector('textarea')
    const bot = botUser('Promoly')
    const text = b.getAttribute('data-insert') === 'mention' ? `@${bot ? bot.realName || bot.name : 'Promoly'} ` : '/promoly '
    ta.value = ta.value.startsWith('/') || ta.value === '' ? text : `${ta.value}${ta.value.endsWith(' ') ? '' : ' '}${text}`
    autogrow(ta)
    ta.focus()
    ta.setSelectionRange(ta.value.length, ta.value.length)
  })
}

// ---------------------------------------------------------------------------------------------
// Live state
// ---------------------------------------------------------------------------------------------

function setConnection(s) {
  ui.connection.setAttribute('data-state', s)
  ui.connection.querySelector('.conn-text').textContent = { connecting: 'Connecting…', live: 'Connected', reconnecting: 'Reconnecting…' }[s]
}

function onSnapshot(s) {
  applySnapshot(s)
  if (!state.channelById.has(state.selected)) state.selected = defaultChannel()
  if (state.thread && !state.byKey.has(key(state.thread.channel, state.thread.ts))) closeThread()
  document.body.setAttribute('data-selected-channel', state.selected ?? '')
  renderSidebar()
  renderConversation()
  renderThread()
  stick = true
  scrollToBottom(ui.messages)
  modals.show(state.views)
  document.body.setAttribute('data-ready', 'true')
  setConnection('live')
}

function clearStatusFor(m) {
  const k = `${m.channel}|${isReply(m) ? m.threadTs : ''}`
  if (user(m.user)?.isBot && state.statuses.has(k)) {
    state.statuses.delete(k)
    renderStatuses()
  }
}

function onMessage(m) {
  const r = addMessage(m)
  if (r.replaced) return rerenderFor(state.byKey.get(key(m.channel, m.ts)))
  clearStatusFor(m)
  if (isReply(m)) {
    if (state.thread && state.thread.channel === m.channel && state.thread.ts === m.threadTs) {
      if (m.user === state.you) threadStick = true
      renderThread()
    }
    if (r.parent && m.channel === state.selected) refreshMessage(r.parent)
    return
  }
  if (m.channel === state.selected) {
    if (m.user === state.you) stick = true
    if (r.index === r.list.length - 1) appendMessage(ui.messagesInner, m, r.list[r.index - 1] ?? null, false)
    else renderMessages()
  } else if (m.user !== state.you) {
    state.unread.set(m.channel, (state.unread.get(m.channel) ?? 0) + 1)
    renderSidebar()
  }
}

function rerenderFor(m) {
  if (!m) return
  if (m.channel === state.selected && !isReply(m) && !refreshMessage(m)) renderMessages()
  if (state.thread && state.thread.channel === m.channel && (state.thread.ts === m.ts || state.thread.ts === m.threadTs)) renderThread()
}

function onMessageChanged(m) {
  const stored = replaceMessage(m)
  if (!stored) return onMessage(m)
  // A reply that changed thread, or grouping that changed, is simplest to redraw whole.
  if (m.channel === state.selected && !isReply(stored) && !refreshMessage(stored)) renderMessages()
  if (state.thread && state.thread.channel === m.channel && (state.thread.ts === m.ts || state.thread.ts === stored.threadTs))
    renderThread()
}

function onMessageDeleted(d) {
  const old = deleteMessage(d)
  if (!old) return
  if (old.channel === state.selected) renderMessages()
  if (state.thread && state.thread.channel === old.channel) {
    if (state.thread.ts === old.ts) closeThread()
    else if (state.thread.ts === old.threadTs) renderThread()
  }
}

function onStatus(s) {
  const k = `${s.channel}|${s.threadTs ?? ''}`
  if (s.text) state.statuses.set(k, s.text)
  else state.statuses.delete(k)
  renderStatuses()
}

const handlers = {
  snapshot: onSnapshot,
  message: onMessage,
  message_changed: onMessageChanged,
  message_deleted: onMessageDeleted,
  views: (v) => {
    state.views = v?.stack ?? []
    modals.show(state.views)
  },
  status: onStatus,
  toast: (t) => toast(t),
}

let source = null
let retry = null
function connect() {
  clearTimeout(retry)
  source?.close()
  setConnection(state.ready ? 'reconnecting' : 'connecting')
  source = new EventSource(eventsUrl())
  source.addEventListener('open', () => setConnection('live'))
  source.addEventListener('error', () => {
    setConnection('reconnecting')
    // EventSource retries by itself unless the server answered with an error status.
    if (source.readyState === EventSource.CLOSED) retry = setTimeout(connect, 2000)
  })
  for (const [name, fn] of Object.entries(handlers)) {
    source.addEventListener(name, (e) => {
      let data
      try {
        data = JSON.parse(e.data)
      } catch (err) {
        console.error(`bad ${name} event`, e.data, err)
        return
      }
      try {
        fn(data)
      } catch (err) {
        console.error(`${name} handler failed`, data, err)
        toast({ level: 'error', text: `Playground page error on “${name}”: ${err.message}` })
      }
    })
  }
}

renderMessages()
connect()

// For debugging in the devtools console (and for tests that want to peek).
window.playground = { state, selectChannel, openThread, closeThread, modals }
