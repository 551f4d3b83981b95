// Tiny DOM helpers. Server text only ever reaches the page through textContent / text nodes /
// attributes set with setAttribute — never through innerHTML.

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'multiple', 'hidden', 'indeterminate', 'defaultValue', 'defaultChecked'])

/**
 * h('div', { class: 'x', 'data-testid': 'y', onclick: fn }, child, 'text', [more])
 * null / undefined / false props and children are skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag)
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue
      if (k === 'class') el.className = v
      else if (k === 'text') el.textContent = v
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v)
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v)
      else if (PROPS.has(k)) el[k] = v
      else el.setAttribute(k, v === true ? '' : String(v))
    }
  }
  append(el, children)
  return el
}

export function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else if (c instanceof Node) el.append(c)
    else el.append(document.createTextNode(String(c)))
  }
  return el
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove()
  return el
}

/** Two letters for an avatar: "Promoly" → "P", "Ada Lovelace" → "AL". */
export function initials(name) {
  const words = String(name || '?')
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean)
  if (words.length === 0) return '?'
  if (words.length === 1) return [...words[0]][0].toUpperCase()
  return ([...words[0]][0] + [...words[words.length - 1]][0]).toUpperCase()
}

const PALETTE = ['#e01e5a', '#2eb67d', '#ecb22e', '#36c5f0', '#4a154b', '#1264a3', '#e8912d', '#008952', '#9f4ea2', '#c54a26']
export function colorFor(id) {
  let x = 0
  for (const ch of String(id)) x = (x * 31 + ch.charCodeAt(0)) >>> 0
  return PALETTE[x % PALETTE.length]
}

let seq = 0
export const uid = (prefix = 'pg') => `${prefix}-${++seq}`

/** Slack ts ("1712345678.000100") → Date. */
export const tsDate = (ts) => new Date(Math.round(parseFloat(ts) * 1000))
export const cmpTs = (a, b) => parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0)

export function fmtTime(ts) {
  const d = tsDate(ts)
  if (Number.isNaN(d.getTime())) return ''
  return d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })
}

export function fmtDay(ts) {
  const d = tsDate(ts)
  if (Number.isNaN(d.getTime())) return ''
  const today = new Date()
  const y = new Date(today)
  y.setDate(today.getDate() - 1)
  if (d.toDateString() === today.toDateString()) return 'Today'
  if (d.toDateString() === y.toDateString()) return 'Yesterday'
  return d.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric' })
}
