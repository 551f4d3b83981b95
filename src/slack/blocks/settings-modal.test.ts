/** The settings modal and its messages, checked by the same Block Kit rules the playground enforces. */
import { describe, expect, it } from 'vitest'
import { parseSettings, type WorkspaceSettings } from '../../domain/settings/workspace-settings.ts'
import { validateMessage, validateView } from '../../playground/block-kit-validator.ts'
import { CLIENT_PICK, type ClientForm, clientField } from './client-settings-blocks.ts'
import { SETTINGS_FIELDS, SETTINGS_VIEW, settingsModal, settingsNoticeModal, settingsSavedMessage } from './settings-modal.ts'
import type { ModalView } from './types.ts'

const CUSTOM: WorkspaceSettings = {
  monitoring: { fastSyncFromHour: 7, fastSyncUntilHour: 21, quietFromHour: 21, quietUntilHour: 8, alerts: true },
  guardrails: {
    maxBudgetChangePct: 12.5,
    maxBudgetMultiple: 4,
    maxChangesPerAccountPerDay: 3,
    cooldownHours: 0.5,
    fourEyesAboveMinor: 50_050,
    proposalTtlHours: 24,
  },
  optimizer: { targetCostPerResultMinor: 1_299, targetRoas: 2.75, rejectedCooldownDays: 0, materiallyWorsePct: 25 },
  digests: { maxSubscriptions: 50 },
  outcomeDays: 14,
  moneyCurrency: 'USD',
  assistant: { dailyTokenBudget: 300_000, userDailyTokenBudget: 40_000 },
}

const ACME: ClientForm = {
  id: 'cl_acme',
  name: 'Acme',
  isDefault: false,
  suggestionsChannelId: 'C0SUGGEST',
  alertsChannelId: null,
  currencies: ['EUR', 'INR'],
  settings: {
    approverUserIds: [],
    targets: [
      { result: 'leads', currency: 'EUR', costPerResultMinor: 1_200, roas: null },
      { result: 'purchases', currency: 'EUR', costPerResultMinor: null, roas: 3 },
    ],
    guardrails: { maxBudgetChangePct: 10 },
  },
}

/** The element of the input block with this block_id. */
function element(view: ModalView, block: string): Record<string, unknown> {
  const found = view.blocks.find((b) => b.block_id === block) as { element?: Record<string, unknown> } | undefined
  if (!found?.element) throw new Error(`no input block ${block}`)
  return found.element
}

describe('settingsModal', () => {
  it('passes validateView with the default settings, no approvers and no channel', () => {
    const view = settingsModal({ settings: parseSettings({}), approvers: [] })
    expect(validateView(view)).toEqual([])
    expect(view.callback_id).toBe(SETTINGS_VIEW)
    expect(element(view, SETTINGS_FIELDS.approvers.block)).not.toHaveProperty('initial_users')
    expect(element(view, SETTINGS_FIELDS.maxBudgetChangePct.block)).toMatchObject({
      type: 'number_input',
      initial_value: '30',
      min_value: '1',
      max_value: '200',
    })
    expect(element(view, SETTINGS_FIELDS.maxBudgetMultiple.block)).toMatchObject({ initial_value: '10', max_value: '20' })
    expect(element(view, SETTINGS_FIELDS.fourEyesAbove.block)).not.toHaveProperty('initial_value')
    expect(element(view, SETTINGS_FIELDS.outcomeDays.block)).toMatchObject({ initial_value: '7', is_decimal_allowed: false })
    expect(element(view, SETTINGS_FIELDS.maxDigestSubscriptions.block)).toMatchObject({ initial_value: '50', max_value: '500' })
  })

  it('passes validateView with customised settings, and shows them (money in the main currency)', () => {
    const view = settingsModal({
      settings: CUSTOM,
      approvers: ['U01APPROVE', 'W02APPROVE'],
      currency: 'EUR',
      privateMetadata: JSON.stringify({ channelId: 'C1', currency: 'EUR' }),
    })
    expect(validateView(view)).toEqual([])
    expect(element(view, SETTINGS_FIELDS.approvers.block)).toMatchObject({
      type: 'multi_users_select',
      initial_users: ['U01APPROVE', 'W02APPROVE'],
    })
    expect(element(view, SETTINGS_FIELDS.maxBudgetChangePct.block)).toMatchObject({ initial_value: '12.5', is_decimal_allowed: true })
    expect(element(view, SETTINGS_FIELDS.cooldownHours.block)).toMatchObject({ initial_value: '0.5' })
    expect(element(view, SETTINGS_FIELDS.fourEyesAbove.block)).toMatchObject({ initial_value: '500.5', is_decimal_allowed: true })
    expect(element(view, SETTINGS_FIELDS.rejectedCooldownDays.block)).toMatchObject({ initial_value: '0', min_value: '0' })
    expect(element(view, SETTINGS_FIELDS.dailyTokenBudget.block)).toMatchObject({ initial_value: '300000', is_decimal_allowed: false })
    expect(element(view, SETTINGS_FIELDS.userDailyTokenBudget.block)).toMatchObject({
      initial_value: '40000',
      min_value: '10000',
      max_value: '100000000',
    })
    expect(JSON.stringify(view)).toContain('Four-eyes threshold (EUR)')
    expect(view.private_metadata).toBe(JSON.stringify({ channelId: 'C1', currency: 'EUR' }))
  })

  it('shows the monitoring hours as whole hours 0–24, and the alerts switch off when they are off', () => {
    const monitoring = { fastSyncFromHour: 6, fastSyncUntilHour: 24, quietFromHour: 22, quietUntilHour: 6, alerts: false }
    const view = settingsModal({ settings: { ...CUSTOM, monitoring }, approvers: [] })
    expect(validateView(view)).toEqual([])
    expect(element(view, SETTINGS_FIELDS.fastSyncFromHour.block)).toMatchObject({
      initial_value: '6',
      min_value: '0',
      max_value: '24',
      is_decimal_allowed: false,
    })
    expect(element(view, SETTINGS_FIELDS.fastSyncUntilHour.block)).toMatchObject({ initial_value: '24' })
    expect(element(view, SETTINGS_FIELDS.alerts.block)).not.toHaveProperty('initial_options')
    const on = settingsModal({ settings: CUSTOM, approvers: [] })
    expect(element(on, SETTINGS_FIELDS.alerts.block)).toMatchObject({ initial_options: [{ value: 'on' }] })
    const saved = JSON.stringify(settingsSavedMessage({ settings: { ...CUSTOM, monitoring }, approvers: [] }))
    expect(saved).toContain('hourly re-sync of the last 3 days from 06:00 to 00:00')
    expect(saved).toContain('intraday alerts off')
    const off = { ...monitoring, fastSyncUntilHour: 6, alerts: true }
    const savedOff = JSON.stringify(settingsSavedMessage({ settings: { ...CUSTOM, monitoring: off }, approvers: [] }))
    expect(savedOff).toContain('hourly re-sync off')
    expect(savedOff).toContain('intraday alerts on, none from 22:00 to 06:00')
  })

  it('uses whole amounts for a zero-decimal currency', () => {
    const view = settingsModal({
      settings: { ...CUSTOM, guardrails: { ...CUSTOM.guardrails, fourEyesAboveMinor: 5_000 } },
      approvers: [],
      currency: 'JPY',
    })
    expect(validateView(view)).toEqual([])
    expect(element(view, SETTINGS_FIELDS.fourEyesAbove.block)).toMatchObject({ initial_value: '5000', is_decimal_allowed: false })
  })

  it('widens a range rather than let Slack refuse the form over an out-of-range stored value', () => {
    const view = settingsModal({
      settings: { ...CUSTOM, guardrails: { ...CUSTOM.guardrails, fourEyesAboveMinor: 500_000_000_000 } },
      approvers: [],
      currency: 'USD',
    })
    expect(validateView(view)).toEqual([])
    expect(element(view, SETTINGS_FIELDS.fourEyesAbove.block)).toMatchObject({ initial_value: '5000000000', max_value: '5000000000' })
  })
})

describe('the client part of the settings form', () => {
  const clients = [
    { id: 'cl_house', name: 'Our accounts' },
    { id: 'cl_acme', name: 'Acme' },
  ]

  it("shows the picker and the chosen client's channels, approvers, targets per currency and guardrails", () => {
    const view = settingsModal({ settings: CUSTOM, approvers: [], client: ACME, clients })
    expect(validateView(view)).toEqual([])
    const picker = view.blocks.find((b) => b.block_id === CLIENT_PICK.block) as unknown as { elements: Array<Record<string, unknown>> }
    expect(picker.elements[0]).toMatchObject({ type: 'static_select', action_id: CLIENT_PICK.action, initial_option: { value: 'cl_acme' } })
    expect(element(view, clientField.suggestionsChannel('cl_acme').block)).toMatchObject({ initial_conversation: 'C0SUGGEST' })
    expect(element(view, clientField.target('cl_acme', 'leads', 'EUR').block)).toMatchObject({ initial_value: '12' })
    expect(element(view, clientField.roas('cl_acme', 'EUR').block)).toMatchObject({ initial_value: '3' })
    // One target set per currency of the client's accounts; rupees have paise, yen would not.
    expect(element(view, clientField.target('cl_acme', 'link_clicks', 'INR').block)).toMatchObject({ is_decimal_allowed: true })
    expect(element(view, clientField.target('cl_acme', 'leads', 'INR').block)).not.toHaveProperty('initial_value')
    // Guardrail overrides within the workspace's: at most its ±12.5 %.
    expect(element(view, clientField.guardrail('cl_acme', 'maxBudgetChangePct').block)).toMatchObject({
      initial_value: '10',
      max_value: '12.5',
    })
    expect(element(view, clientField.guardrail('cl_acme', 'cooldownHours').block)).toMatchObject({ min_value: '0.5' })
  })

  it("shows the default client the workspace's old single target, so saving keeps it", () => {
    const house: ClientForm = {
      ...ACME,
      id: 'cl_house',
      name: 'Our accounts',
      isDefault: true,
      currencies: ['USD'],
      settings: { approverUserIds: [], targets: [], guardrails: {} },
    }
    const view = settingsModal({ settings: CUSTOM, approvers: [], client: house, clients })
    expect(element(view, clientField.target('cl_house', 'leads', 'USD').block)).toMatchObject({ initial_value: '12.99' })
    expect(element(view, clientField.roas('cl_house', 'USD').block)).toMatchObject({ initial_value: '2.75' })
    expect(element(view, clientField.target('cl_house', 'link_clicks', 'USD').block)).not.toHaveProperty('initial_value')
  })
})

describe('settings notices and confirmation', () => {
  it('the loading and refusal views pass validateView', () => {
    expect(validateView(settingsNoticeModal(':hourglass_flowing_sand: Loading the settings…'))).toEqual([])
    expect(validateView(settingsNoticeModal(':no_entry: Only Promoly admins can change settings.'))).toEqual([])
  })

  it('the confirmation summarises the new settings and passes validateMessage', () => {
    const message = settingsSavedMessage({
      settings: CUSTOM,
      approvers: ['U01APPROVE'],
      client: { ...ACME, settings: { ...ACME.settings, approverUserIds: ['U0ACMEAPP'] } },
      currency: 'USD',
      alreadyAdmins: ['U0ADMIN'],
    })
    expect(validateMessage(message)).toEqual([])
    const text = JSON.stringify(message.blocks)
    for (const part of [
      '<@U01APPROVE>',
      '<#C0SUGGEST>',
      '±12.5%',
      '3 approved changes',
      '0.5 hours',
      '$500.50',
      '*Acme*',
      '<@U0ACMEAPP>',
      'leads: €12.00',
      'ROAS 3× (EUR)',
      '±10% per action',
      '0 days',
      '14 days',
      '<@U0ADMIN> is a Promoly admin',
      '300,000 tokens a day for the workspace, 40,000 per person',
    ]) {
      expect(text).toContain(part)
    }
    const defaults = settingsSavedMessage({ settings: parseSettings({}), approvers: [] })
    expect(validateMessage(defaults)).toEqual([])
    expect(JSON.stringify(defaults.blocks)).toContain('Admins only')
    expect(JSON.stringify(defaults.blocks)).toContain('four-eyes rule off')
  })

  it('stays within Block Kit limits with very many approvers, and drops anything that is not a Slack id', () => {
    const many = Array.from({ length: 300 }, (_, i) => `U${String(i).padStart(10, '0')}`)
    const message = settingsSavedMessage({
      settings: CUSTOM,
      approvers: [...many, '<!channel>'],
      client: { ...ACME, suggestionsChannelId: '<!here>' },
    })
    expect(validateMessage(message)).toEqual([])
    const text = JSON.stringify(message.blocks)
    expect(text).toContain('250 more')
    expect(text).not.toContain('!channel')
    expect(text).not.toContain('!here')
  })
})
