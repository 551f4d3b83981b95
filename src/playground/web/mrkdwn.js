// Slack text rendering: mrkdwn, plain_text, rich_text and the `markdown` block.
// Everything is built as DOM nodes; server text is never parsed as HTML.
import { h } from './dom.js'
import { emojiFor, emojify } from './emoji.js'

/** Name lookups, set by app.js: user(id) → display name | null, channel(id) → name | null, openChannel(id). */
const resolver = { user: () => null, channel: () => null, openChannel: null }
export function setResolver(r) {
  Object.assign(resolver, r)
}

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&' }
/** Slack's three entities, decoded exactly once ("&amp;lt;" → "&lt;"). */
export const decodeEntities = (s) => String(s).replace(/&(?:lt|gt|amp);/g, (m) => ENTITIES[m])

const WORD = /[\p{L}\p{N}]/u
const SPACE = /\s/
const TAGS = { '*': ['strong', 'mk-bold'], _: ['em', 'mk-italic'], '~': ['s', 'mk-strike'] }
const EMOJI_RE = /:([a-z0-9_+'-]+):(?::skin-tone-\d:)?/iy
const URL_RE = /https?:\/\/[^\s<>]+/iy

// ---------------------------------------------------------------------------------------------
// Text objects
// ---------------------------------------------------------------------------------------------

/** A Slack text object ({type:'plain_text'|'mrkdwn', text}) or a bare string → a span. */
export function renderText(obj, cls = '') {
  if (obj === undefined || obj === null) return h('span', { class: cls })
  if (typeof obj === 'string') return h('span', { class: `mk ${cls}` }, renderMrkdwn(obj))
  if (obj.type === 'mrkdwn') return h('span', { class: `mk ${cls}` }, renderMrkdwn(obj.text ?? ''))
  return h('span', { class: `pt ${cls}` }, plainText(obj))
}

/** The string of a plain_text object with :emoji: replaced (unless emoji: false). */
export function plainText(obj) {
  if (obj === undefined || obj === null) return ''
  if (typeof obj === 'string') return obj
  const t = String(obj.text ?? '')
  return obj.emoji === false ? t : emojify(t)
}

// ---------------------------------------------------------------------------------------------
// mrkdwn
// ---------------------------------------------------------------------------------------------

/** mrkdwn → DocumentFragment (inline nodes + <pre>/<blockquote> blocks; the container uses pre-wrap). */
export function renderMrkdwn(text) {
  const frag = document.createDocumentFragment()
  const src = String(text ?? '')
  const chunks = []
  let last = 0
  for (const m of src.matchAll(/```([\s\S]*?)```/g)) {
    chunks.push({ pre: false, s: src.slice(last, m.index) })
    chunks.push({ pre: true, s: m[1] })
    last = m.index + m[0].length
  }
  chunks.push({ pre: false, s: src.slice(last) })
  chunks.forEach((c, i) => {
    if (c.pre) {
      frag.append(h('pre', { class: 'mk-pre' }, codeText(c.s.replace(/^\n/, '').replace(/\n$/, ''))))
      return
    }
    let s = c.s
    // A newline next to a block element would show as an empty line.
    if (i > 0) s = s.replace(/^\n/, '')
    if (i < chunks.length - 1) s = s.replace(/\n$/, '')
    if (s) renderQuotes(s, frag)
  })
  return frag
}

function renderQuotes(s, out) {
  const lines = s.split('\n')
  const plain = []
  const flush = () => {
    if (plain.length) out.append(inline(plain.join('\n')))
    plain.length = 0
  }
  const Q3 = /^(?:>>>|&gt;&gt;&gt;) ?/
  const Q1 = /^(?:>|&gt;) ?/
  let i = 0
  while (i < lines.length) {
    const line = lines[i]
    const m3 = Q3.exec(line)
    if (m3) {
      flush()
      const rest = [line.slice(m3[0].length), ...lines.slice(i + 1)].join('\n')
      out.append(h('blockquote', { class: 'mk-quote' }, inline(rest)))
      return
    }
    if (Q1.test(line)) {
      flush()
      const q = []
      while (i < lines.length && Q1.test(lines[i]) && !Q3.test(lines[i])) {
        q.push(lines[i].replace(Q1, ''))
        i++
      }
      out.append(h('blockquote', { class: 'mk-quote' }, inline(q.join('\n'))))
      continue
    }
    plain.push(line)
    i++
  }
  flush()
}

function inline(s) {
  const frag = document.createDocumentFragment()
  parseInline(s, frag, 0)
  return frag
}

function canOpen(s, i) {
  const next = s[i + 1]
  if (next === undefined || SPACE.test(next) || next === s[i]) return false
  return i === 0 || !WORD.test(s[i - 1])
}

function findClose(s, i, c) {
  for (let j = i + 2; j < s.length; j++) {
    const d = s[j]
    if (d === '\n') return -1
    if (d === '<') {
      const e = s.indexOf('>', j + 1)
      if (e > j) {
        j = e
        continue
      }
    }
    if (d === '`') {
      const e = s.indexOf('`', j + 1)
      if (e > j) {
        j = e
        continue
      }
    }
    if (d === c && !SPACE.test(s[j - 1]) && (j + 1 === s.length || !WORD.test(s[j + 1]))) return j
  }
  return -1
}

function parseInline(s, out, depth) {
  let buf = ''
  const flush = () => {
    if (buf) out.append(document.createTextNode(decodeEntities(buf)))
    buf = ''
  }
  let i = 0
  while (i < s.length) {
    const c = s[i]
    if (c === '<') {
      const end = s.indexOf('>', i + 1)
      if (end > i + 1 && !s.slice(i + 1, end).includes('\n')) {
        flush()
        out.append(token(s.slice(i + 1, end)))
        i = end + 1
        continue
      }
    } else if (c === '`') {
      const end = s.indexOf('`', i + 1)
      if (end > i + 1 && !s.slice(i + 1, end).includes('\n')) {
        flush()
        out.append(h('code', { class: 'mk-code' }, codeText(s.slice(i + 1, end))))
        i = end + 1
        continue
      }
    } else if (TAGS[c] && depth < 8 && canOpen(s, i)) {
      const end = findClose(s, i, c)
      if (end > 0) {
        flush()
        const [tag, cls] = TAGS[c]
        const el = h(tag, { class: cls })
        parseInline(s.slice(i + 1, end), el, depth + 1)
        out.append(el)
        i = end + 1
        continue
      }
    } else if (c === ':') {
      EMOJI_RE.lastIndex = i
      const m = EMOJI_RE.exec(s)
      const u = m && emojiFor(m[1])
      if (u) {
        flush()
        out.append(h('span', { class: 'mk-emoji', title: `:${m[1]}:` }, u))
        i += m[0].length
        continue
      }
    } else if ((c === 'h' || c === 'H') && (i === 0 || !WORD.test(s[i - 1]))) {
      URL_RE.lastIndex = i
      const m = URL_RE.exec(s)
      if (m) {
        const url = m[0].replace(/[.,;:!?)\]'"*_~]+$/, '')
        if (/^https?:\/\/./i.test(url)) {
          flush()
          const u = decodeEntities(url)
          out.append(link(u, u))
          i += url.length
          continue
        }
      }
    }
    buf += c
    i++
  }
  flush()
}

/** Inside `code` and ```pre```: no formatting, but <…> tokens still resolve (as in Slack) to plain text. */
function codeText(s) {
  const out = s.replace(/<([^<>\n]+)>/g, (_m, inner) => tokenText(inner))
  return decodeEntities(out)
}

function splitToken(inner) {
  const bar = inner.indexOf('|')
  return bar >= 0 ? [inner.slice(0, bar), inner.slice(bar + 1)] : [inner, null]
}

function tokenText(inner) {
  const [target, label] = splitToken(inner)
  if (target[0] === '@') return `@${resolver.user(target.slice(1)) ?? (label ?? target.slice(1)).replace(/^@/, '')}`
  if (target[0] === '#') return `#${resolver.channel(target.slice(1)) ?? label ?? target.slice(1)}`
  if (target[0] === '!') {
    const cmd = target.slice(1)
    if (['here', 'channel', 'everyone'].includes(cmd)) return `@${cmd}`
    return label ?? ''
  }
  return label ?? target.replace(/^mailto:/i, '')
}

function token(inner) {
  const [target, label] = splitToken(inner)
  const first = target[0]
  if (first === '@') {
    const id = target.slice(1)
    const name = resolver.user(id) ?? (label ? decodeEntities(label).replace(/^@/, '') : id)
    return h('span', { class: 'mk-mention', 'data-user-id': id }, `@${name}`)
  }
  if (first === '#') {
    const id = target.slice(1)
    const name = resolver.channel(id) ?? (label ? decodeEntities(label) : id)
    return h(
      'span',
      {
        class: 'mk-channel',
        'data-channel-id': id,
        role: 'link',
        onclick: () => resolver.openChannel?.(id),
      },
      `#${name}`,
    )
  }
  if (first === '!') {
    const cmd = target.slice(1)
    if (['here', 'channel', 'everyone'].includes(cmd)) return h('span', { class: 'mk-mention mk-broadcast' }, `@${cmd}`)
    if (cmd.startsWith('subteam^')) return h('span', { class: 'mk-mention' }, label ? decodeEntities(label) : '@group')
    if (cmd.startsWith('date^')) {
      const [, ts, fmt, url] = cmd.split('^')
      const text = formatSlackDate(ts, fmt, label)
      return url ? link(decodeEntities(url), text) : h('span', { class: 'mk-date' }, text)
    }
    return document.createTextNode(label ? decodeEntities(label) : '')
  }
  const url = decodeEntities(target)
  const text = label !== null ? emojify(decodeEntities(label)) : url.replace(/^mailto:/i, '')
  return link(url, text)
}

function link(url, text) {
  if (/^(https?:|mailto:)/i.test(url)) {
    return h('a', { class: 'mk-link', href: url, target: '_blank', rel: 'noopener noreferrer' }, text)
  }
  // Slack would turn this into a link too; we refuse to make non-http targets clickable.
  return h('span', { class: 'mk-link mk-link-bad', title: `Link target “${url}” is not a URL` }, text)
}

function formatSlackDate(ts, fmt = '{date_short}', fallback) {
  const d = new Date(Number(ts) * 1000)
  if (Number.isNaN(d.getTime())) return fallback ? decodeEntities(fallback) : ''
  const time = d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })
  const map = {
    date_num: d.toISOString().slice(0, 10),
    date: d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric' }),
    date_short: d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: d.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    time,
    time_secs: d.toLocaleTimeString('en-US'),
  }
  map.date_pretty = map.date
  map.date_short_pretty = map.date_short
  map.date_long_pretty = map.date_long
  map.ago = time
  return decodeEntities(fmt).replace(/\{(\w+)\}/g, (m, k) => map[k] ?? m)
}

// ---------------------------------------------------------------------------------------------
// rich_text (the block)
// ---------------------------------------------------------------------------------------------

export function renderRichText(block) {
  const root = h('div', { class: 'rt' })
  for (const el of block.elements ?? []) root.append(richElement(el))
  return root
}

function richElement(el) {
  switch (el.type) {
    case 'rich_text_section':
      return h('div', { class: 'rt-section' }, (el.elements ?? []).map(richInline))
    case 'rich_text_preformatted':
      return h(
        'pre',
        { class: 'mk-pre' },
        (el.elements ?? []).map((e) => (e.type === 'text' ? e.text : richInline(e))),
      )
    case 'rich_text_quote':
      return h('blockquote', { class: 'mk-quote' }, (el.elements ?? []).map(richInline))
    case 'rich_text_list': {
      const tag = el.style === 'ordered' ? 'ol' : 'ul'
      return h(
        tag,
        { class: `rt-list rt-indent-${el.indent ?? 0}`, start: el.offset ? el.offset + 1 : undefined },
        (el.elements ?? []).map((item) => h('li', null, (item.elements ?? []).map(richInline))),
      )
    }
    default:
      return h('div', { class: 'rt-section' }, richInline(el))
  }
}

function richInline(e) {
  const style = e.style ?? {}
  let node
  switch (e.type) {
    case 'text':
      node = document.createTextNode(e.text ?? '')
      break
    case 'link':
      node = link(e.url ?? '', e.text || e.url || '')
      break
    case 'user':
      node = h('span', { class: 'mk-mention', 'data-user-id': e.user_id }, `@${resolver.user(e.user_id) ?? e.user_id}`)
      break
    case 'usergroup':
      node = h('span', { class: 'mk-mention' }, `@${e.usergroup_id}`)
      break
    case 'channel':
      node = h(
        'span',
        { class: 'mk-channel', onclick: () => resolver.openChannel?.(e.channel_id) },
        `#${resolver.channel(e.channel_id) ?? e.channel_id}`,
      )
      break
    case 'broadcast':
      node = h('span', { class: 'mk-mention mk-broadcast' }, `@${e.range}`)
      break
    case 'emoji':
      node = h(
        'span',
        { class: 'mk-emoji', title: `:${e.name}:` },
        e.unicode ? String.fromCodePoint(...e.unicode.split('-').map((x) => parseInt(x, 16))) : (emojiFor(e.name) ?? `:${e.name}:`),
      )
      break
    case 'date':
      node = document.createTextNode(formatSlackDate(e.timestamp, e.format, e.fallback))
      break
    case 'color':
      node = h(
        'span',
        { class: 'rt-color' },
        h('span', { class: 'rt-swatch', style: { background: /^#[0-9a-f]{3,8}$/i.test(e.value) ? e.value : 'transparent' } }),
        e.value,
      )
      break
    default:
      node = document.createTextNode(e.text ?? '')
  }
  if (style.code) node = h('code', { class: 'mk-code' }, node)
  if (style.strike) node = h('s', null, node)
  if (style.italic) node = h('em', null, node)
  if (style.bold) node = h('strong', null, node)
  return node
}

// ---------------------------------------------------------------------------------------------
// `markdown` block (standard Markdown, the basics)
// ---------------------------------------------------------------------------------------------

export function renderMarkdown(text) {
  const root = h('div', { class: 'md' })
  const lines = String(text ?? '').split('\n')
  let i = 0
  const para = []
  const flush = () => {
    if (para.length) root.append(h('p', null, mdInline(para.join('\n'))))
    para.length = 0
  }
  while (i < lines.length) {
    const line = lines[i]
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (/^\s*```/.test(line)) {
      flush()
      const code = []
      i++
      while (i < lines.length && !/^\s*```/.test(lines[i])) code.push(lines[i++])
      i++
      root.append(h('pre', { class: 'mk-pre' }, code.join('\n')))
    } else if (heading) {
      flush()
      root.append(h(`h${Math.min(6, heading[1].length + 2)}`, { class: 'md-h' }, mdInline(heading[2])))
      i++
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush()
      root.append(h('hr', { class: 'md-hr' }))
      i++
    } else if (/^\s*>/.test(line)) {
      flush()
      const q = []
      while (i < lines.length && /^\s*>/.test(lines[i])) q.push(lines[i++].replace(/^\s*> ?/, ''))
      root.append(h('blockquote', { class: 'mk-quote' }, mdInline(q.join('\n'))))
    } else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      flush()
      const ordered = /^\s*\d/.test(line)
      const list = h(ordered ? 'ol' : 'ul', { class: 'rt-list' })
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) {
        const indent = /^\s*/.exec(lines[i])[0].length
        const li = h(
          'li',
          { style: indent ? { marginLeft: `${Math.min(indent, 12) * 8}px` } : undefined },
          mdInline(lines[i].replace(/^\s*([-*+]|\d+[.)])\s+/, '')),
        )
        list.append(li)
        i++
      }
      root.append(list)
    } else if (line.trim() === '') {
      flush()
      i++
    } else {
      para.push(line)
      i++
    }
  }
  flush()
  return root
}

function mdInline(s) {
  const frag = document.createDocumentFragment()
  mdParse(s, frag, 0)
  return frag
}

function mdParse(s, out, depth) {
  let buf = ''
  const flush = () => {
    if (buf) out.append(document.createTextNode(decodeEntities(buf)))
    buf = ''
  }
  let i = 0
  while (i < s.length) {
    const rest = s.slice(i)
    if (s[i] === '\\' && i + 1 < s.length) {
      buf += s[i + 1]
      i += 2
      continue
    }
    const code = /^`([^`\n]+)`/.exec(rest)
    if (code) {
      flush()
      out.append(h('code', { class: 'mk-code' }, decodeEntities(code[1])))
      i += code[0].length
      continue
    }
    const mdLink = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(rest)
    if (mdLink) {
      flush()
      out.append(link(decodeEntities(mdLink[2]), decodeEntities(mdLink[1])))
      i += mdLink[0].length
      continue
    }
    const strong = depth < 8 ? /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest) : null
    if (strong) {
      flush()
      const el = h('strong')
      mdParse(strong[2], el, depth + 1)
      out.append(el)
      i += strong[0].length
      continue
    }
    const strike = depth < 8 ? /^~~(?=\S)([\s\S]*?\S)~~/.exec(rest) : null
    if (strike) {
      flush()
      const el = h('s')
      mdParse(strike[1], el, depth + 1)
      out.append(el)
      i += strike[0].length
      continue
    }
    const atWordStart = i === 0 || !WORD.test(s[i - 1])
    const em = depth < 8 && atWordStart ? /^([*_])(?=\S)([^\n]*?\S)\1(?![\p{L}\p{N}])/u.exec(rest) : null
    if (em) {
      flush()
      const el = h('em')
      mdParse(em[2], el, depth + 1)
      out.append(el)
      i += em[0].length
      continue
    }
    const emoji = s[i] === ':' ? /^:([a-z0-9_+'-]+):/i.exec(rest) : null
    if (emoji && emojiFor(emoji[1])) {
      flush()
      out.append(h('span', { class: 'mk-emoji', title: emoji[0] }, emojiFor(emoji[1])))
      i += emoji[0].length
      continue
    }
    const url = atWordStart ? /^<?(https?:\/\/[^\s<>]+?)>?(?=[.,;:!?)]*(\s|$))/i.exec(rest) : null
    if (url) {
      flush()
      const u = decodeEntities(url[1])
      out.append(link(u, u))
      i += url[0].length
      continue
    }
    buf += s[i]
    i++
  }
  flush()
}
