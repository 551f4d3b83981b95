// Talking to the playground server (POST /playground/api/*) and the toast banners.
import { h } from './dom.js'

/** The playground root ("/playground/"), derived from where this module is served ("/playground/static/api.js"). */
export const BASE = new URL('../', import.meta.url)
export const apiUrl = (path) => new URL(`api/${path}`, BASE).toString()
export const eventsUrl = () => new URL('events', BASE).toString()

/**
 * POST JSON; resolves to the server's answer ({ ok: true } or { ok: false, error }).
 * Failures (an { ok: false } answer, an HTTP error, no server) are shown as an error toast.
 */
export async function post(path, body) {
  let data
  try {
    const res = await fetch(apiUrl(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    try {
      data = await res.json()
    } catch {
      data = { ok: false, error: `HTTP ${res.status} ${res.statusText}`.trim() }
    }
    if (!res.ok && (data === null || typeof data !== 'object' || data.ok !== false)) data = { ok: false, error: `HTTP ${res.status}` }
  } catch (err) {
    data = { ok: false, error: `server unreachable (${err.message})` }
  }
  if (data?.ok !== true) {
    const error = typeof data?.error === 'string' ? data.error : JSON.stringify(data?.error ?? 'failed')
    toast({ level: 'error', text: `${path}: ${error}` })
    return { ok: false, error }
  }
  return data
}

let toastRoot = null
const MAX_TOASTS = 5

/** { level: 'error' | 'info', text } → a dismissable banner; info banners fade after 8 s. */
export function toast({ level = 'info', text = '' }) {
  toastRoot ??= document.getElementById('toasts')
  if (!toastRoot) return
  const lvl = level === 'error' ? 'error' : 'info'
  const el = h(
    'div',
    { class: `toast toast-${lvl}`, 'data-testid': 'toast', 'data-level': lvl, role: lvl === 'error' ? 'alert' : 'status' },
    h('span', { class: 'toast-icon', 'aria-hidden': 'true' }, lvl === 'error' ? '!' : 'i'),
    h('span', { class: 'toast-text' }, String(text)),
    h(
      'button',
      { type: 'button', class: 'toast-close', 'data-testid': 'toast-close', 'aria-label': 'Dismiss', onclick: () => el.remove() },
      '×',
    ),
  )
  toastRoot.append(el)
  while (toastRoot.children.length > MAX_TOASTS) toastRoot.firstElementChild.remove()
  if (lvl === 'info') setTimeout(() => el.remove(), 8000)
  return el
}
