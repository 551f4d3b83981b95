// The modal layer: shows the top of the view stack, keeps what the user typed across view
// updates (as Slack does for unchanged block_id/action_id pairs), validates like Slack's client
// and submits view.state.values.

import { closeMenus, isConfirmOpen, renderBlocks } from './blocks.js'
import { clear, h, initials } from './dom.js'
import { plainText } from './mrkdwn.js'

const REQUIRED = 'Please complete this required field.'

/**
 * layer: the element that hosts the overlay.
 * post(path, body): the API helper.
 * dispatchAction(container, blockId, action): posts a block action.
 * appIcon(): { name, color } for the header icon.
 */
export function createModals({ layer, post, dispatchAction, appIcon }) {
  /** @type {null | { id, sig, overlay, dialog, body, title, icon, footer, view, errors }} */
  let cur = null
  const saved = new Map() // viewId → Map(block|action → state)
  let clientErrors = {}
  let busy = false

  const stateKey = (b, a) => `${b}\u0000${a}`

  function roots() {
    return cur ? [...cur.body.querySelectorAll('[data-state-root]')] : []
  }

  function snapshotState() {
    const m = new Map()
    for (const r of roots()) m.set(stateKey(r.__pg.blockId, r.__pg.actionId), r.__pg.read())
    return m
  }

  /** Slack's view.state.values for the current modal. */
  function values() {
    const out = {}
    for (const r of roots()) {
      const { blockId, actionId } = r.__pg
      out[blockId] ??= {}
      out[blockId][actionId] = r.__pg.read()
    }
    return out
  }

  function teardown() {
    if (!cur) return
    cur.overlay.remove()
    cur = null
    busy = false
    clientErrors = {}
  }

  /** Shows the top of the stack ([] closes the modal). */
  function show(stack) {
    const list = Array.isArray(stack) ? stack : []
    const top = list[list.length - 1]
    const alive = new Set(list.map((v) => v.id))
    if (cur) saved.set(cur.id, snapshotState())
    for (const id of [...saved.keys()]) if (!alive.has(id)) saved.delete(id)
    if (!top) {
      teardown()
      return
    }
    setBusy(false)
    const sig = JSON.stringify([top.view, top.errors ?? {}])
    if (cur && cur.id === top.id && cur.sig === sig && Object.keys(clientErrors).length === 0) return
    const sameView = cur?.id === top.id
    if (!sameView) clientErrors = {}
    else clientErrors = {}
    render(top, sig, sameView)
  }

  function render(top, sig, sameView) {
    const focus = sameView ? focusInfo() : null
    const scrollTop = sameView ? cur.body.scrollTop : 0
    if (!cur) build()
    const view = top.view ?? {}
    cur.id = top.id
    cur.sig = sig
    cur.view = view
    cur.serverErrors = top.errors ?? {}
    cur.dialog.setAttribute('data-view-id', top.id)
    if (view.callback_id) cur.dialog.setAttribute('data-callback-id', view.callback_id)
    else cur.dialog.removeAttribute('data-callback-id')
    cur.title.textContent = plainText(view.title) || 'App'
    const icon = appIcon()
    cur.icon.textContent = initials(icon.name)
    cur.icon.style.background = icon.color
    cur.closeBtn.textContent = plainText(view.close) || 'Cancel'
    cur.submitBtn.hidden = !view.submit
    cur.submitBtn.textContent = plainText(view.submit) || 'Submit'
    renderBody(saved.get(top.id))
    cur.body.scrollTop = scrollTop
    if (focus) restoreFocus(focus)
    else if (!sameView) {
      const auto =
        cur.body.querySelector('[autofocus]') ?? cur.body.querySelector('input:not([type=checkbox]):not([type=radio]), textarea, select')
      ;(auto ?? cur.dialog).focus({ preventScroll: true })
    }
  }

  function renderBody(state) {
    const errors = { ...cur.serverErrors, ...clientErrors }
    const viewId = cur.id
    const ctx = {
      surface: 'modal',
      errors,
      dispatch: (blockId, action) => dispatchAction({ type: 'view', viewId }, blockId, action),
    }
    const blocks = renderBlocks(cur.view.blocks ?? [], ctx)
    // Errors for block_ids that are not input blocks still have to be visible somewhere.
    const shown = new Set([...blocks.querySelectorAll('.b-input')].map((e) => e.getAttribute('data-block')))
    const orphans = Object.entries(errors).filter(([b]) => !shown.has(b))
    clear(cur.body)
    for (const [b, msg] of orphans) {
      cur.body.append(
        h(
          'div',
          { class: 'field-error field-error-orphan', 'data-testid': 'field-error', 'data-block-id': b, role: 'alert' },
          `${b}: ${msg}`,
        ),
      )
    }
    cur.body.append(blocks)
    if (state) {
      for (const r of roots()) {
        const v = state.get(stateKey(r.__pg.blockId, r.__pg.actionId))
        if (v !== undefined && v.type === r.__pg.type) r.__pg.write(v)
      }
    }
  }

  function focusInfo() {
    const a = document.activeElement
    if (!cur || !a || !cur.body.contains(a)) return null
    return {
      blockId: a.getAttribute('data-block-id'),
      actionId: a.getAttribute('data-action-id'),
      value: a.getAttribute('data-value'),
      start: a.selectionStart ?? null,
      end: a.selectionEnd ?? null,
    }
  }

  function restoreFocus(f) {
    if (!f.blockId) return
    const sel = `[data-block-id="${CSS.escape(f.blockId)}"][data-action-id="${CSS.escape(f.actionId)}"]${f.value ? `[data-value="${CSS.escape(f.value)}"]` : ''}`
    const el = cur.body.querySelector(sel)
    if (!el) return
    el.focus({ preventScroll: true })
    if (f.start !== null && typeof el.setSelectionRange === 'function') {
      try {
        el.setSelectionRange(f.start, f.end)
      } catch {
        /* not a text field */
      }
    }
  }

  function build() {
    const title = h('h2', { class: 'dialog-title', id: 'modal-title', 'data-testid': 'modal-title' })
    const icon = h('span', { class: 'modal-app-icon', 'aria-hidden': 'true' })
    const body = h('div', { class: 'dialog-body modal-body' })
    const closeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'modal-close', onclick: () => close() })
    const submitBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'modal-submit', onclick: () => submit() })
    const dialog = h(
      'div',
      {
        class: 'dialog modal',
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': 'modal-title',
        'data-testid': 'modal',
        tabindex: '-1',
      },
      h(
        'div',
        { class: 'dialog-header' },
        icon,
        title,
        h('button', { type: 'button', class: 'dialog-x', 'data-testid': 'modal-x', 'aria-label': 'Close', onclick: () => close() }, '×'),
      ),
      body,
      h('div', { class: 'dialog-footer' }, closeBtn, submitBtn),
    )
    const overlay = h('div', { class: 'overlay modal-overlay' }, dialog)
    layer.append(overlay)
    cur = { overlay, dialog, body, title, icon, closeBtn, submitBtn }
  }

  function setBusy(v) {
    busy = v
    if (!cur) return
    cur.submitBtn.disabled = v
    cur.submitBtn.classList.toggle('is-pending', v)
    cur.dialog.setAttribute('aria-busy', String(v))
  }

  function validate() {
    const errs = {}
    for (const r of roots()) {
      const { blockId, element: el, optional, inInput } = r.__pg
      if (!inInput || errs[blockId]) continue
      const v = r.__pg.read()
      const text = typeof v.value === 'string' ? v.value : null
      const empty =
        ('value' in v && (v.value === null || v.value === '')) ||
        ('selected_options' in v && v.selected_options.length === 0) ||
        ('selected_option' in v && v.selected_option === null) ||
        ('selected_date' in v && !v.selected_date) ||
        ('selected_time' in v && !v.selected_time) ||
        ('selected_date_time' in v && !v.selected_date_time) ||
        ('rich_text_value' in v && v.rich_text_value.elements.length === 0) ||
        Object.entries(v).some(
          ([k, x]) => /^selected_(user|conversation|channel)s?$/.test(k) && (x === null || (Array.isArray(x) && x.length === 0)),
        )
      if (empty) {
        if (!optional) errs[blockId] = REQUIRED
        continue
      }
      if (text !== null) {
        if (el.min_length && [...text].length < el.min_length) errs[blockId] = `Please enter at least ${el.min_length} characters.`
        else if (el.max_length && [...text].length > el.max_length) errs[blockId] = `Please enter no more than ${el.max_length} characters.`
        else if (el.type === 'email_text_input' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text))
          errs[blockId] = 'Please enter a valid email address.'
        else if (el.type === 'url_text_input' && !/^https?:\/\/\S+\.\S+/i.test(text)) errs[blockId] = 'Please enter a valid URL.'
        else if (el.type === 'number_input') {
          const ok = el.is_decimal_allowed ? /^-?\d+(\.\d+)?$/.test(text.trim()) : /^-?\d+$/.test(text.trim())
          const n = Number(text)
          if (!ok) errs[blockId] = el.is_decimal_allowed ? 'Please enter a number.' : 'Please enter a whole number.'
          else if (el.min_value !== undefined && n < Number(el.min_value))
            errs[blockId] = `Please enter a number that's at least ${el.min_value}.`
          else if (el.max_value !== undefined && n > Number(el.max_value))
            errs[blockId] = `Please enter a number that's at most ${el.max_value}.`
        }
      }
      const many = v.selected_options ?? v.selected_users ?? v.selected_conversations ?? v.selected_channels
      if (Array.isArray(many) && el.max_selected_items && many.length > el.max_selected_items) {
        errs[blockId] = `Please select no more than ${el.max_selected_items} items.`
      }
    }
    return errs
  }

  async function submit() {
    if (!cur || busy) return
    closeMenus()
    const errs = validate()
    const hadClientErrors = Object.keys(clientErrors).length > 0
    if (Object.keys(errs).length || hadClientErrors) {
      // Show (or clear) the client-side errors, keeping what was typed.
      const st = snapshotState()
      clientErrors = errs
      renderBody(st)
      if (Object.keys(errs).length) {
        const first = cur.body.querySelector('.b-input.has-error [data-action-id]')
        first?.focus()
        first?.scrollIntoView({ block: 'nearest' })
        return
      }
    }
    const viewId = cur.id
    setBusy(true)
    try {
      await post('view/submit', { viewId, values: values() })
    } finally {
      if (cur && cur.id === viewId) setBusy(false)
    }
  }

  async function close() {
    if (!cur) return
    closeMenus()
    await post('view/close', { viewId: cur.id })
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && cur && !isConfirmOpen()) {
      e.preventDefault()
      void close()
    }
  })

  return {
    show,
    values,
    get open() {
      return cur !== null
    },
    get viewId() {
      return cur?.id ?? null
    },
  }
}
