// Block Kit rendering for messages and modals, interactive elements, their state and Slack's
// confirm dialog.
//
// ctx (given by the caller):
//   surface:  'message' | 'modal'
//   dispatch: (blockId, actionObject) => Promise   — posts a block action
//   errors:   { [block_id]: string }                — modal only, shown under input blocks
import { h, uid } from './dom.js'
import { plainText, renderMarkdown, renderRichText, renderText } from './mrkdwn.js'

/** Users/channels for users_select & co, set by app.js. */
const directory = { users: () => [], channels: () => [], currentChannel: () => null }
export function setDirectory(d) {
  Object.assign(directory, d)
}

const actionTs = () => (Date.now() / 1000).toFixed(6)

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

export function renderBlocks(blocks, ctx) {
  const root = h('div', { class: 'blocks' })
  ;(Array.isArray(blocks) ? blocks : []).forEach((b, i) => {
    try {
      root.append(renderBlock(b, ctx, i))
    } catch (err) {
      console.error('block render failed', b, err)
      root.append(h('div', { class: 'b-unsupported' }, `Could not render block ${i} (${b?.type}): ${err.message}`))
    }
  })
  return root
}

function renderBlock(b, ctx, index) {
  const blockId = b.block_id ?? `block_${index}`
  const attrs = (cls) => ({ class: `b ${cls}`, 'data-block': blockId, 'data-block-type': b.type })
  switch (b.type) {
    case 'header':
      return h('div', attrs('b-header'), plainText(b.text))
    case 'divider':
      return h('hr', attrs('b-divider'))
    case 'section': {
      const main = h('div', { class: 'b-section-main' })
      if (b.text) main.append(renderText(b.text, 'b-section-text'))
      if (Array.isArray(b.fields) && b.fields.length)
        main.append(
          h(
            'div',
            { class: 'b-fields' },
            b.fields.map((f) => renderText(f, 'b-field')),
          ),
        )
      const el = h('div', attrs(`b-section${b.accessory?.type === 'image' ? ' has-thumb' : ''}`), main)
      if (b.accessory) el.append(h('div', { class: 'b-accessory' }, renderElement(b.accessory, blockId, ctx, { index: 0 })))
      return el
    }
    case 'context':
      return h(
        'div',
        attrs('b-context'),
        (b.elements ?? []).map((e) => (e.type === 'image' ? image(e, 'b-context-img') : renderText(e, 'b-context-text'))),
      )
    case 'image':
      return h(
        'figure',
        attrs('b-image'),
        b.title && h('figcaption', { class: 'b-image-title' }, plainText(b.title)),
        image(b, 'b-image-img'),
      )
    case 'actions':
      return h(
        'div',
        attrs('b-actions'),
        (b.elements ?? []).map((e, i) => renderElement(e, blockId, ctx, { index: i })),
      )
    case 'input':
      return renderInputBlock(b, blockId, ctx)
    case 'rich_text':
      return h('div', attrs('b-rich'), renderRichText(b))
    case 'markdown':
      return h('div', attrs('b-markdown'), renderMarkdown(b.text))
    case 'video':
      return h(
        'div',
        attrs('b-video'),
        h(
          'div',
          { class: 'b-video-title' },
          '▶ ',
          b.title_url ? h('a', { href: safeUrl(b.title_url), target: '_blank', rel: 'noopener' }, plainText(b.title)) : plainText(b.title),
        ),
        b.description && h('div', { class: 'b-context-text' }, plainText(b.description)),
        b.thumbnail_url && image({ image_url: b.thumbnail_url, alt_text: b.alt_text }, 'b-image-img'),
      )
    case 'file':
      return h('div', attrs('b-file'), `📎 File ${b.external_id ?? ''}`)
    default:
      return h('div', attrs('b-unsupported'), `Unsupported block type “${b.type}”`)
  }
}

function safeUrl(u) {
  return /^(https?:|mailto:|data:image\/)/i.test(String(u)) ? String(u) : undefined
}

function image(e, cls) {
  const src = safeUrl(e.image_url ?? e.url ?? e.slack_file?.url ?? '')
  const alt = e.alt_text ?? ''
  const img = h('img', { class: cls, src, alt, title: alt || undefined, loading: 'lazy' })
  img.addEventListener('error', () => {
    img.replaceWith(h('span', { class: `${cls} img-broken`, title: src ?? '' }, alt ? `🖼 ${alt}` : '🖼'))
  })
  return img
}

export function renderInputBlock(b, blockId, ctx) {
  const error = ctx.errors?.[blockId]
  const inputId = uid('in')
  const wrap = h('div', {
    class: `b b-input${error ? ' has-error' : ''}`,
    'data-block': blockId,
    'data-block-type': 'input',
  })
  wrap.append(
    h(
      'label',
      { class: 'b-input-label', for: inputId },
      plainText(b.label),
      b.optional && h('span', { class: 'b-optional' }, ' (optional)'),
    ),
  )
  const el = renderElement(b.element ?? {}, blockId, ctx, {
    index: 0,
    inInput: true,
    dispatch: !!b.dispatch_action,
    inputId,
    optional: !!b.optional,
    label: plainText(b.label),
  })
  wrap.append(el)
  if (error) wrap.append(h('div', { class: 'field-error', 'data-testid': 'field-error', 'data-block-id': blockId, role: 'alert' }, error))
  if (b.hint) wrap.append(h('div', { class: 'b-hint' }, renderText(b.hint)))
  return wrap
}

// ---------------------------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------------------------

/**
 * opts: index (position in its block, for fallback action_ids), inInput (inside an input block),
 * dispatch (input block has dispatch_action), inputId (for the <label for>), optional, label.
 * Stateful roots carry [data-state-root] and `root.__pg = { type, blockId, actionId, element, read, write, optional, label }`.
 */
export function renderElement(el, blockId, ctx, opts = {}) {
  const actionId = el.action_id ?? `${blockId}_action_${opts.index ?? 0}`
  const ids = { 'data-block-id': blockId, 'data-action-id': actionId, 'data-element-type': el.type }
  // Outside input blocks an element acts at once; inside one only when the block has dispatch_action.
  const live = !opts.inInput || opts.dispatch
  const kind = KINDS[el.type]
  if (!kind) {
    if (el.type === 'image') return image(el, 'b-accessory-img')
    return h('span', { class: 'b-unsupported', ...ids }, `Unsupported element “${el.type}”`)
  }
  const root = kind.render(el, ids, { ...opts, actionId, blockId, ctx, live })
  if (kind.read) {
    root.setAttribute('data-state-root', '')
    root.__pg = {
      type: el.type,
      blockId,
      actionId,
      element: el,
      optional: !!opts.optional,
      inInput: !!opts.inInput,
      label: opts.label,
      read: () => kind.read(root, el),
      write: (v) => kind.write?.(root, el, v),
    }
    if (live && kind.liveOn) {
      const fire = () => {
        const action = { ...kind.read(root, el), action_id: actionId, block_id: blockId, action_ts: actionTs() }
        return ctx.dispatch(blockId, action, root)
      }
      kind.liveOn(root, el, fire)
    }
  }
  return root
}

function fireButton(btn, el, blockId, actionId, ctx) {
  return async () => {
    if (btn.classList.contains('is-pending')) return
    if (el.confirm && !(await confirmDialog(el.confirm))) return
    if (el.url) window.open(el.url, '_blank', 'noopener')
    const action = {
      type: 'button',
      action_id: actionId,
      block_id: blockId,
      text: el.text,
      value: el.value,
      style: el.style,
      action_ts: actionTs(),
    }
    btn.classList.add('is-pending')
    btn.setAttribute('aria-busy', 'true')
    try {
      await ctx.dispatch(blockId, action, btn)
    } finally {
      btn.classList.remove('is-pending')
      btn.removeAttribute('aria-busy')
    }
  }
}

/** Options of a select-like element: static lists, option groups, or the playground's users/channels. */
function optionSource(el) {
  const t = el.type
  if (/users_select$/.test(t)) {
    return {
      groups: null,
      options: directory.users().map((u) => ({ text: { type: 'plain_text', text: u.realName || u.name }, value: u.id })),
    }
  }
  if (/(conversations|channels)_select$/.test(t)) {
    const chans = directory.channels().filter((c) => (t.includes('channels') ? c.kind === 'channel' : true))
    return {
      groups: null,
      options: chans.map((c) => ({
        text: { type: 'plain_text', text: c.kind === 'channel' ? `#${c.name}` : c.label || c.name },
        value: c.id,
      })),
    }
  }
  if (Array.isArray(el.option_groups)) {
    return { groups: el.option_groups, options: el.option_groups.flatMap((g) => g.options ?? []) }
  }
  return { groups: null, options: el.options ?? [] }
}

function initialValues(el) {
  const t = el.type
  const one = (v) => (v === undefined || v === null ? [] : [v])
  if (t === 'static_select' || t === 'external_select') return one(el.initial_option?.value)
  if (t === 'multi_static_select' || t === 'multi_external_select') return (el.initial_options ?? []).map((o) => o.value)
  if (t === 'users_select') return one(el.initial_user)
  if (t === 'multi_users_select') return el.initial_users ?? []
  if (t === 'conversations_select')
    return one(el.initial_conversation ?? (el.default_to_current_conversation ? directory.currentChannel() : null))
  if (t === 'multi_conversations_select')
    return el.initial_conversations ?? (el.default_to_current_conversation ? one(directory.currentChannel()) : [])
  if (t === 'channels_select') return one(el.initial_channel)
  if (t === 'multi_channels_select') return el.initial_channels ?? []
  return []
}

const SELECT_KEYS = {
  static_select: 'selected_option',
  external_select: 'selected_option',
  multi_static_select: 'selected_options',
  multi_external_select: 'selected_options',
  users_select: 'selected_user',
  multi_users_select: 'selected_users',
  conversations_select: 'selected_conversation',
  multi_conversations_select: 'selected_conversations',
  channels_select: 'selected_channel',
  multi_channels_select: 'selected_channels',
}

const selectKind = {
  render(el, ids, o) {
    const multiple = el.type.startsWith('multi_')
    const { groups, options } = optionSource(el)
    const initial = new Set(initialValues(el))
    const opt = (x) => h('option', { value: x.value, selected: initial.has(x.value) }, plainText(x.text))
    const sel = h('select', {
      class: `el-select${multiple ? ' el-multi' : ''}`,
      id: o.inputId,
      multiple,
      size: multiple ? Math.min(Math.max(options.length, 2), 6) : undefined,
      ...ids,
      disabled: el.type.includes('external') || undefined,
      'aria-label': o.label ?? plainText(el.placeholder) ?? undefined,
    })
    if (!multiple) {
      const ph = plainText(el.placeholder) || (el.type.includes('external') ? 'External options are not available here' : 'Select an item')
      sel.append(h('option', { value: '', disabled: true, hidden: true, selected: initial.size === 0, class: 'el-placeholder' }, ph))
    }
    if (groups) for (const g of groups) sel.append(h('optgroup', { label: plainText(g.label) }, (g.options ?? []).map(opt)))
    else sel.append(...options.map(opt))
    if (!multiple && initial.size === 0) sel.value = ''
    sel.classList.toggle('is-empty', !multiple && sel.value === '')
    sel.addEventListener('change', () => sel.classList.toggle('is-empty', !multiple && sel.value === ''))
    if (multiple) {
      // A click toggles an option (no Ctrl/⌘ needed), as in Slack's multi-select.
      sel.addEventListener('mousedown', (e) => {
        const t = e.target
        if (t instanceof HTMLOptionElement && !t.disabled) {
          e.preventDefault()
          t.selected = !t.selected
          sel.focus()
          sel.dispatchEvent(new Event('input', { bubbles: true }))
          sel.dispatchEvent(new Event('change', { bubbles: true }))
        }
      })
    }
    sel.__options = options
    return sel
  },
  read(sel, el) {
    const key = SELECT_KEYS[el.type]
    const options = sel.__options ?? []
    const chosen = [...sel.selectedOptions].map((o) => o.value).filter((v) => v !== '')
    const full = (v) => options.find((x) => x.value === v) ?? null
    const isOptionType = /(static|external)_select$/.test(el.type)
    if (el.type.startsWith('multi_')) return { type: el.type, [key]: isOptionType ? chosen.map(full).filter(Boolean) : chosen }
    const v = chosen[0] ?? null
    return { type: el.type, [key]: v === null ? null : isOptionType ? full(v) : v }
  },
  write(sel, el, state) {
    const key = SELECT_KEYS[el.type]
    const raw = state?.[key]
    const vals = new Set((Array.isArray(raw) ? raw : raw ? [raw] : []).map((x) => (typeof x === 'object' ? x.value : x)))
    for (const o of sel.options) o.selected = vals.has(o.value)
    if (!sel.multiple && vals.size === 0) sel.value = ''
    sel.classList.toggle('is-empty', !sel.multiple && sel.value === '')
  },
  liveOn(sel, _el, fire) {
    sel.addEventListener('change', fire)
  },
}

const textKind = (inputType) => ({
  render(el, ids, o) {
    const multiline = el.type === 'plain_text_input' && el.multiline
    const attrs = {
      class: `el-text${multiline ? ' el-textarea' : ''}`,
      id: o.inputId,
      placeholder: plainText(el.placeholder) || undefined,
      ...ids,
    }
    let input
    if (multiline || el.type === 'rich_text_input') {
      input = h('textarea', { ...attrs, rows: 4 })
      input.value = el.type === 'rich_text_input' ? richToText(el.initial_value) : (el.initial_value ?? '')
    } else {
      input = h('input', {
        ...attrs,
        type: inputType,
        inputmode: el.type === 'number_input' ? (el.is_decimal_allowed ? 'decimal' : 'numeric') : undefined,
        autocomplete: 'off',
      })
      input.value = el.initial_value ?? ''
    }
    if (el.focus_on_load) input.setAttribute('autofocus', '')
    return input
  },
  read(input, el) {
    const v = input.value
    if (el.type === 'rich_text_input') {
      return {
        type: el.type,
        rich_text_value: { type: 'rich_text', elements: v ? [{ type: 'rich_text_section', elements: [{ type: 'text', text: v }] }] : [] },
      }
    }
    return { type: el.type, value: v === '' ? null : v }
  },
  write(input, el, state) {
    input.value = el.type === 'rich_text_input' ? richToText(state?.rich_text_value) : (state?.value ?? '')
  },
  liveOn(input, el, fire) {
    const on = el.dispatch_action_config?.trigger_actions_on ?? ['on_enter_pressed']
    if (on.includes('on_character_entered')) {
      let t
      input.addEventListener('input', () => {
        clearTimeout(t)
        t = setTimeout(fire, 300)
      })
    }
    if (on.includes('on_enter_pressed')) {
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && input.tagName === 'INPUT') {
          e.preventDefault()
          fire()
        }
      })
    }
  },
})

function richToText(rt) {
  if (!rt || !Array.isArray(rt.elements)) return ''
  const walk = (e) =>
    e.type === 'text' || e.type === 'link' ? (e.text ?? e.url ?? '') : Array.isArray(e.elements) ? e.elements.map(walk).join('') : ''
  return rt.elements.map(walk).join('\n')
}

function groupKind(inputType) {
  return {
    render(el, ids, o) {
      // The ids sit on each <input> (with data-value), not on the wrapper, so selectors stay unambiguous.
      const root = h('div', {
        class: `el-group el-${inputType}`,
        role: inputType === 'radio' ? 'radiogroup' : 'group',
        id: o.inputId,
        'data-element-type': el.type,
        'data-group-action-id': o.actionId,
      })
      const initial = new Set(
        inputType === 'radio' ? [el.initial_option?.value].filter((v) => v !== undefined) : (el.initial_options ?? []).map((x) => x.value),
      )
      const name = uid('grp')
      for (const opt of el.options ?? []) {
        const input = h('input', {
          type: inputType,
          name,
          value: opt.value,
          ...ids,
          'data-value': opt.value,
          checked: initial.has(opt.value),
        })
        root.append(
          h(
            'label',
            { class: 'el-choice' },
            input,
            h(
              'span',
              { class: 'el-choice-text' },
              renderText(opt.text),
              opt.description && h('span', { class: 'el-choice-desc' }, renderText(opt.description)),
            ),
          ),
        )
      }
      root.__options = el.options ?? []
      return root
    },
    read(root, el) {
      const checked = [...root.querySelectorAll('input')].filter((i) => i.checked).map((i) => i.value)
      const full = checked.map((v) => root.__options.find((x) => x.value === v)).filter(Boolean)
      return inputType === 'radio' ? { type: el.type, selected_option: full[0] ?? null } : { type: el.type, selected_options: full }
    },
    write(root, _el, state) {
      const vals = new Set((state?.selected_options ?? (state?.selected_option ? [state.selected_option] : [])).map((x) => x.value))
      for (const i of root.querySelectorAll('input')) i.checked = vals.has(i.value)
    },
    liveOn(root, _el, fire) {
      root.addEventListener('change', fire)
    },
  }
}

function pad(n) {
  return String(n).padStart(2, '0')
}

const dateKind = (inputType, key) => ({
  render(el, ids, o) {
    const input = h('input', { type: inputType, class: 'el-date', id: o.inputId, ...ids })
    if (inputType === 'datetime-local' && el.initial_date_time) {
      const d = new Date(el.initial_date_time * 1000)
      input.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
    } else {
      input.value = (inputType === 'date' ? el.initial_date : el.initial_time) ?? ''
    }
    return input
  },
  read(input, el) {
    const v = input.value
    if (!v) return { type: el.type, [key]: null }
    if (inputType === 'datetime-local') return { type: el.type, [key]: Math.floor(new Date(v).getTime() / 1000) }
    return { type: el.type, [key]: inputType === 'time' ? v.slice(0, 5) : v }
  },
  write(input, _el, state) {
    const v = state?.[key]
    if (v === null || v === undefined) input.value = ''
    else if (inputType === 'datetime-local') {
      const d = new Date(v * 1000)
      input.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
    } else input.value = v
  },
  liveOn(input, _el, fire) {
    input.addEventListener('change', fire)
  },
})

const KINDS = {
  button: {
    render(el, ids, o) {
      const btn = h(
        'button',
        {
          type: 'button',
          class: `btn${el.style ? ` btn-${el.style}` : ''}`,
          ...ids,
          'data-value': el.value,
          'aria-label': el.accessibility_label,
          title: el.url ? el.url : undefined,
        },
        plainText(el.text),
        el.url && h('span', { class: 'btn-ext', 'aria-hidden': 'true' }, ' ↗'),
      )
      btn.addEventListener('click', fireButton(btn, el, o.blockId, o.actionId, o.ctx))
      return btn
    },
  },
  overflow: {
    render(el, ids, o) {
      const wrap = h('div', { class: 'el-overflow' })
      const btn = h(
        'button',
        {
          type: 'button',
          class: 'btn btn-overflow',
          ...ids,
          'aria-haspopup': 'menu',
          'aria-expanded': 'false',
          'aria-label': 'More actions',
        },
        '⋮',
      )
      // The menu exists only while open, so [data-action-id=…] matches just the ⋮ button otherwise.
      const itemIds = { 'data-block-id': o.blockId, 'data-action-id': o.actionId }
      btn.addEventListener('click', (e) => {
        e.stopPropagation()
        const wasOpen = openMenu?.owner === btn
        closeMenus()
        if (wasOpen) return
        const menu = h(
          'div',
          { class: 'menu', role: 'menu', 'data-testid': 'overflow-menu' },
          (el.options ?? []).map((opt) =>
            h(
              'button',
              {
                type: 'button',
                class: 'menu-item',
                role: 'menuitem',
                'data-testid': 'overflow-option',
                ...itemIds,
                'data-value': opt.value,
                onclick: async () => {
                  closeMenus()
                  if (el.confirm && !(await confirmDialog(el.confirm))) return
                  if (opt.url) window.open(opt.url, '_blank', 'noopener')
                  await o.ctx.dispatch(
                    o.blockId,
                    { type: 'overflow', action_id: o.actionId, block_id: o.blockId, selected_option: opt, action_ts: actionTs() },
                    btn,
                  )
                },
              },
              plainText(opt.text),
            ),
          ),
        )
        document.body.append(menu)
        const r = btn.getBoundingClientRect()
        const mw = menu.offsetWidth
        menu.style.left = `${Math.max(8, Math.min(r.right - mw, window.innerWidth - mw - 8))}px`
        const below = r.bottom + 4
        menu.style.top = `${below + menu.offsetHeight > window.innerHeight - 8 ? Math.max(8, r.top - menu.offsetHeight - 4) : below}px`
        btn.setAttribute('aria-expanded', 'true')
        openMenu = { menu, owner: btn }
      })
      wrap.append(btn)
      return wrap
    },
  },
  plain_text_input: textKind('text'),
  email_text_input: textKind('email'),
  url_text_input: textKind('url'),
  number_input: textKind('text'),
  rich_text_input: textKind('text'),
  static_select: selectKind,
  external_select: selectKind,
  multi_static_select: selectKind,
  multi_external_select: selectKind,
  users_select: selectKind,
  multi_users_select: selectKind,
  conversations_select: selectKind,
  multi_conversations_select: selectKind,
  channels_select: selectKind,
  multi_channels_select: selectKind,
  checkboxes: groupKind('checkbox'),
  radio_buttons: groupKind('radio'),
  datepicker: dateKind('date', 'selected_date'),
  timepicker: dateKind('time', 'selected_time'),
  datetimepicker: dateKind('datetime-local', 'selected_date_time'),
}

// ---------------------------------------------------------------------------------------------
// Overflow menus & confirm dialog
// ---------------------------------------------------------------------------------------------

/** The open overflow menu: { menu, owner } */
let openMenu = null
export function closeMenus() {
  if (!openMenu) return
  openMenu.menu.remove()
  openMenu.owner.setAttribute('aria-expanded', 'false')
  openMenu = null
}
document.addEventListener('click', (e) => {
  if (openMenu && !openMenu.menu.contains(e.target)) closeMenus()
})
document.addEventListener(
  'keydown',
  (e) => {
    if (e.key === 'Escape' && openMenu) {
      e.stopPropagation()
      closeMenus()
    }
  },
  true,
)
document.addEventListener(
  'scroll',
  (e) => {
    if (openMenu && !openMenu.menu.contains(e.target)) closeMenus()
  },
  true,
)
window.addEventListener('resize', closeMenus)

let confirmOpen = null
export const isConfirmOpen = () => confirmOpen !== null

/** Slack's confirmation dialog for a confirm object; resolves true when confirmed. */
export function confirmDialog(c) {
  if (confirmOpen) confirmOpen(false)
  return new Promise((resolve) => {
    const done = (v) => {
      confirmOpen = null
      document.removeEventListener('keydown', onKey, true)
      overlay.remove()
      resolve(v)
    }
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation()
        e.preventDefault()
        done(false)
      }
    }
    const style = c.style === 'danger' ? 'btn-danger' : 'btn-primary'
    const ok = h(
      'button',
      { type: 'button', class: `btn ${style}`, 'data-testid': 'confirm-ok', onclick: () => done(true) },
      plainText(c.confirm) || 'Yes',
    )
    const overlay = h(
      'div',
      { class: 'overlay confirm-overlay' },
      h(
        'div',
        { class: 'dialog confirm', role: 'alertdialog', 'aria-modal': 'true', 'data-testid': 'confirm-dialog' },
        h('div', { class: 'dialog-header' }, h('h2', { class: 'dialog-title' }, plainText(c.title) || 'Are you sure?')),
        h('div', { class: 'dialog-body' }, renderText(c.text)),
        h(
          'div',
          { class: 'dialog-footer' },
          h(
            'button',
            { type: 'button', class: 'btn', 'data-testid': 'confirm-cancel', onclick: () => done(false) },
            plainText(c.deny) || 'Cancel',
          ),
          ok,
        ),
      ),
    )
    overlay.addEventListener('mousedown', (e) => {
      if (e.target === overlay) done(false)
    })
    confirmOpen = done
    document.addEventListener('keydown', onKey, true)
    document.body.append(overlay)
    ok.focus()
  })
}
