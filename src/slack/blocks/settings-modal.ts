import { MAX_TOKEN_BUDGET, MIN_TOKEN_BUDGET, type WorkspaceSettings } from '../../domain/settings/workspace-settings.ts'
import { currencyDecimals, formatMoney, minorToMajor } from '../../lib/money.ts'
import { type ClientForm, clientSettingsBlocks, clientSettingsSummary } from './client-settings-blocks.ts'
import type { Blocks, MessageContent, ModalView } from './types.ts'

export const SETTINGS_VIEW = 'promoly_settings'

export const SETTINGS_FIELDS = {
  admins: { block: 'admins', action: 'admins_select' },
  approvers: { block: 'approvers', action: 'approvers_select' },
  maxBudgetChangePct: { block: 'max_budget_change_pct', action: 'max_budget_change_pct_input' },
  maxBudgetMultiple: { block: 'max_budget_multiple', action: 'max_budget_multiple_input' },
  maxChangesPerAccountPerDay: { block: 'max_changes_per_day', action: 'max_changes_per_day_input' },
  cooldownHours: { block: 'cooldown_hours', action: 'cooldown_hours_input' },
  fourEyesAbove: { block: 'four_eyes_above', action: 'four_eyes_above_input' },
  proposalTtlHours: { block: 'proposal_ttl_hours', action: 'proposal_ttl_hours_input' },
  rejectedCooldownDays: { block: 'rejected_cooldown_days', action: 'rejected_cooldown_days_input' },
  outcomeDays: { block: 'outcome_days', action: 'outcome_days_input' },
  maxDigestSubscriptions: { block: 'max_digest_subscriptions', action: 'max_digest_subscriptions_input' },
  dailyTokenBudget: { block: 'daily_token_budget', action: 'daily_token_budget_input' },
  userDailyTokenBudget: { block: 'user_daily_token_budget', action: 'user_daily_token_budget_input' },
  fastSyncFromHour: { block: 'fast_sync_from_hour', action: 'fast_sync_from_hour_input' },
  fastSyncUntilHour: { block: 'fast_sync_until_hour', action: 'fast_sync_until_hour_input' },
  quietFromHour: { block: 'quiet_from_hour', action: 'quiet_from_hour_input' },
  quietUntilHour: { block: 'quiet_until_hour', action: 'quiet_until_hour_input' },
  alerts: { block: 'intraday_alerts', action: 'intraday_alerts_input' },
} as const

export type SettingsField = keyof typeof SETTINGS_FIELDS

/** Allowed range of each number field (the modal's min/max and the submission's checks). */
export interface NumberRule {
  min: number
  max: number
  /** Whole numbers only. */
  integer: boolean
  /** Smallest accepted value is above `min` (the value must be > min). */
  exclusiveMin?: boolean
}

/** An hour of the day on the account's clock, as the monitoring settings take it: 0 is midnight, 24 the next one. */
const HOUR_RULE = { min: 0, max: 24, integer: true } as const

/** The value of the alerts checkbox when ticked. */
export const ALERTS_ON = 'on'

export const SETTINGS_RULES = {
  maxBudgetChangePct: { min: 1, max: 200, integer: false },
  maxBudgetMultiple: { min: 1.1, max: 20, integer: false },
  maxChangesPerAccountPerDay: { min: 1, max: 100, integer: true },
  cooldownHours: { min: 0, max: 168, integer: false },
  proposalTtlHours: { min: 1, max: 720, integer: false },
  rejectedCooldownDays: { min: 0, max: 90, integer: true },
  outcomeDays: { min: 1, max: 60, integer: true },
  maxDigestSubscriptions: { min: 1, max: 500, integer: true },
  dailyTokenBudget: { min: MIN_TOKEN_BUDGET, max: MAX_TOKEN_BUDGET, integer: true },
  userDailyTokenBudget: { min: MIN_TOKEN_BUDGET, max: MAX_TOKEN_BUDGET, integer: true },
  fastSyncFromHour: HOUR_RULE,
  fastSyncUntilHour: HOUR_RULE,
  quietFromHour: HOUR_RULE,
  quietUntilHour: HOUR_RULE,
} as const satisfies Record<string, NumberRule>

/** Money fields are entered in major units of the workspace's main currency, up to this amount. */
export const MAX_MONEY_MAJOR = 1_000_000_000

export interface SettingsModalInput {
  settings: WorkspaceSettings
  /** Slack user ids of the current approvers. */
  approvers: string[]
  /** Slack user ids of the current admins (the field is left empty when absent). */
  admins?: string[]
  /** The client whose settings the form shows (with the picker of `clients`); none: the workspace's part only. */
  client?: ClientForm
  clients?: Array<{ id: string; name: string }>
  /** The workspace's main currency (money fields); USD when absent. */
  currency?: string
  /** Goes back with the submission (where to confirm, which currency the amounts were typed in). */
  privateMetadata?: string
}

const plain = (text: string) => ({ type: 'plain_text' as const, text })

/** A decimal string for a number_input (no exponent notation, no float noise). */
function numberText(n: number): string {
  return Number.isInteger(n) ? n.toFixed(0) : String(Number(n.toFixed(6)))
}

interface NumberFieldOptions {
  field: SettingsField
  label: string
  hint: string
  initial: number | null
  min: number
  max: number
  decimals: boolean
  optional?: boolean
  placeholder?: string
}

function numberField(o: NumberFieldOptions): Blocks[number] {
  const { block, action } = SETTINGS_FIELDS[o.field]
  // A stored value outside today's range must not make Slack refuse the whole form.
  const min = o.initial === null ? o.min : Math.min(o.min, o.initial)
  const max = o.initial === null ? o.max : Math.max(o.max, o.initial)
  return {
    type: 'input',
    block_id: block,
    ...(o.optional ? { optional: true } : {}),
    label: plain(o.label),
    hint: plain(o.hint),
    element: {
      type: 'number_input',
      action_id: action,
      is_decimal_allowed: o.decimals,
      min_value: numberText(min),
      max_value: numberText(max),
      ...(o.initial === null ? {} : { initial_value: numberText(o.initial) }),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
  }
}

/** `/promoly settings`: admins, approvers, guardrails and the optimizer; then one client's settings, with a client picker (admins). */
export function settingsModal(input: SettingsModalInput): ModalView {
  const { settings: s, approvers } = input
  const currency = input.currency ?? 'USD'
  const hasCents = currencyDecimals(currency) > 0
  const money = (minor: number | null) => (minor === null ? null : minorToMajor(minor, currency))
  const g = s.guardrails
  const o = s.optimizer
  return {
    type: 'modal',
    callback_id: SETTINGS_VIEW,
    ...(input.privateMetadata ? { private_metadata: input.privateMetadata } : {}),
    title: plain('Promoly settings'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      { type: 'header', text: plain('Who may approve') },
      {
        type: 'input',
        block_id: SETTINGS_FIELDS.admins.block,
        label: plain('Admins'),
        hint: plain(
          'They change these settings, connect Meta accounts and approve changes. Slack workspace owners and admins are Promoly admins until removed here. There is always at least one.',
        ),
        element: {
          type: 'multi_users_select',
          action_id: SETTINGS_FIELDS.admins.action,
          placeholder: plain('Choose people'),
          ...(input.admins && input.admins.length > 0 ? { initial_users: input.admins } : {}),
        },
      },
      {
        type: 'input',
        block_id: SETTINGS_FIELDS.approvers.block,
        optional: true,
        label: plain('Approvers'),
        hint: plain('They may approve or reject changes. Admins always can.'),
        element: {
          type: 'multi_users_select',
          action_id: SETTINGS_FIELDS.approvers.action,
          placeholder: plain('Choose people'),
          ...(approvers.length > 0 ? { initial_users: approvers } : {}),
        },
      },
      { type: 'header', text: plain('Guardrails') },
      numberField({
        field: 'maxBudgetChangePct',
        label: 'Max budget change per action (%)',
        hint: 'Larger increases or cuts are refused.',
        initial: g.maxBudgetChangePct,
        ...SETTINGS_RULES.maxBudgetChangePct,
        decimals: true,
      }),
      numberField({
        field: 'maxBudgetMultiple',
        label: 'Budget ceiling per change (× current budget)',
        hint: "No change, not even an override, sets a budget above this multiple of the current one (for a new campaign: of the account's largest budget or daily spend). An account with neither gets this multiple × about US$100/day, which an admin may override.",
        initial: g.maxBudgetMultiple,
        ...SETTINGS_RULES.maxBudgetMultiple,
        decimals: true,
      }),
      numberField({
        field: 'maxChangesPerAccountPerDay',
        label: 'Max approved changes per ad account per day',
        hint: 'Counted per UTC day.',
        initial: g.maxChangesPerAccountPerDay,
        ...SETTINGS_RULES.maxChangesPerAccountPerDay,
        decimals: false,
      }),
      numberField({
        field: 'cooldownHours',
        label: 'Cooldown after a change (hours)',
        hint: 'A campaign rests this long before its next change.',
        initial: g.cooldownHours,
        ...SETTINGS_RULES.cooldownHours,
        decimals: true,
      }),
      numberField({
        field: 'fourEyesAbove',
        label: `Four-eyes threshold (${currency})`,
        hint: 'Budget changes larger than this need someone other than the requester. Empty: off.',
        initial: money(g.fourEyesAboveMinor),
        min: 0,
        max: MAX_MONEY_MAJOR,
        decimals: hasCents,
        optional: true,
        placeholder: 'Off',
      }),
      numberField({
        field: 'proposalTtlHours',
        label: 'Proposals expire after (hours)',
        hint: 'Unanswered proposals expire.',
        initial: g.proposalTtlHours,
        ...SETTINGS_RULES.proposalTtlHours,
        decimals: true,
      }),
      { type: 'header', text: plain('Optimizer') },
      numberField({
        field: 'rejectedCooldownDays',
        label: 'Quiet days after a rejected suggestion',
        hint: 'Unless its metric gets materially worse.',
        initial: o.rejectedCooldownDays,
        ...SETTINGS_RULES.rejectedCooldownDays,
        decimals: false,
      }),
      numberField({
        field: 'outcomeDays',
        label: '"Did it work?" after (days)',
        hint: 'When an applied change is judged.',
        initial: s.outcomeDays,
        ...SETTINGS_RULES.outcomeDays,
        decimals: false,
      }),
      numberField({
        field: 'maxDigestSubscriptions',
        label: 'Daily digests in the workspace, at most',
        hint: 'Active digest subscriptions, all channels together.',
        initial: s.digests.maxSubscriptions,
        ...SETTINGS_RULES.maxDigestSubscriptions,
        decimals: false,
      }),
      ...monitoringBlocks(s.monitoring),
      { type: 'header', text: plain('Assistant') },
      numberField({
        field: 'dailyTokenBudget',
        label: 'Daily token budget for the workspace',
        hint: 'Tokens the assistant may use per UTC day for everyone together. An answer takes a few thousand.',
        initial: s.assistant.dailyTokenBudget,
        ...SETTINGS_RULES.dailyTokenBudget,
        decimals: false,
      }),
      numberField({
        field: 'userDailyTokenBudget',
        label: 'Daily token budget per person',
        hint: 'Tokens one person may use per UTC day, at most the workspace budget.',
        initial: s.assistant.userDailyTokenBudget,
        ...SETTINGS_RULES.userDailyTokenBudget,
        decimals: false,
      }),
      ...(input.client ? clientSettingsBlocks({ clients: input.clients ?? [input.client], client: input.client, workspace: s }) : []),
    ],
  }
}

/** The fast loop's hours, intraday alerts on or off, and their quiet hours. */
function monitoringBlocks(m: WorkspaceSettings['monitoring']): Blocks {
  const hour = (field: 'fastSyncFromHour' | 'fastSyncUntilHour' | 'quietFromHour' | 'quietUntilHour', label: string, hint: string) =>
    numberField({ field, label, hint, initial: m[field], ...SETTINGS_RULES[field], decimals: false })
  const on = { text: plain('Post intraday alerts'), value: ALERTS_ON }
  return [
    { type: 'header', text: plain('Monitoring') },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: "Hours are whole hours (0–24) on each ad account's own clock. Between the hourly re-sync hours Promoly fetches the last 3 days every hour and looks at them again, so a problem that starts in the morning can be flagged the same day.",
        },
      ],
    },
    hour('fastSyncFromHour', 'Hourly re-sync from (hour)', 'From this hour, e.g. 7 for 07:00. The same hour in both fields turns it off.'),
    hour('fastSyncUntilHour', 'Hourly re-sync until (hour)', 'Until this hour, e.g. 21 for 21:00 (not included).'),
    {
      type: 'input',
      block_id: SETTINGS_FIELDS.alerts.block,
      optional: true,
      label: plain('Intraday alerts'),
      hint: plain('Spend far ahead of budget, delivery stopped, no results since morning: posted once per campaign and day.'),
      element: {
        type: 'checkboxes',
        action_id: SETTINGS_FIELDS.alerts.action,
        options: [on],
        ...(m.alerts ? { initial_options: [on] } : {}),
      },
    },
    hour('quietFromHour', 'No alerts from (hour)', 'Quiet hours start, e.g. 21. They may run past midnight.'),
    hour(
      'quietUntilHour',
      'No alerts until (hour)',
      'Quiet hours end, e.g. 8: what still holds is posted then. The same hour in both fields: never quiet.',
    ),
  ]
}

/** "07:00" from 7; 24 reads as midnight. */
const clockHour = (h: number) => `${String(h % 24).padStart(2, '0')}:00`

/** The monitoring settings in one line of the saved message. */
function monitoringSummary(m: WorkspaceSettings['monitoring']): string {
  const loop =
    m.fastSyncFromHour === m.fastSyncUntilHour
      ? 'hourly re-sync off'
      : `hourly re-sync of the last 3 days from ${clockHour(m.fastSyncFromHour)} to ${clockHour(m.fastSyncUntilHour)}`
  const quiet =
    m.quietFromHour === m.quietUntilHour ? 'no quiet hours' : `none from ${clockHour(m.quietFromHour)} to ${clockHour(m.quietUntilHour)}`
  return `${loop} (each ad account's time) · intraday alerts ${m.alerts ? `on, ${quiet}` : 'off'}`
}

/** What the settings modal shows while the role is checked, or instead of the form when not allowed. */
export function settingsNoticeModal(text: string): ModalView {
  return {
    type: 'modal',
    callback_id: SETTINGS_VIEW,
    title: plain('Promoly settings'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  }
}

const SLACK_ID = /^[A-Z0-9]+$/
/** A section field holds at most 2,000 characters. */
const MAX_NAMED_APPROVERS = 50
const num = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 })
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`

/** The confirmation after saving: the settings now in force. */
export function settingsSavedMessage(input: Omit<SettingsModalInput, 'privateMetadata'> & { alreadyAdmins?: string[] }): MessageContent {
  const { settings: s } = input
  const currency = input.currency ?? 'USD'
  const g = s.guardrails
  const o = s.optimizer
  const approvers = input.approvers.filter((id) => SLACK_ID.test(id))
  const shown = approvers.slice(0, MAX_NAMED_APPROVERS).map((id) => `<@${id}>`)
  if (approvers.length > shown.length) shown.push(`${approvers.length - shown.length} more`)
  const who = approvers.length > 0 ? `${shown.join(', ')} (and every admin)` : 'Admins only'
  const adminIds = (input.admins ?? []).filter((id) => SLACK_ID.test(id))
  const adminsShown = adminIds.slice(0, MAX_NAMED_APPROVERS).map((id) => `<@${id}>`)
  if (adminIds.length > adminsShown.length) adminsShown.push(`${adminIds.length - adminsShown.length} more`)
  const admins = (input.alreadyAdmins ?? []).filter((id) => SLACK_ID.test(id)).slice(0, MAX_NAMED_APPROVERS)
  const guardrails = [
    `Budget changes up to ±${num(g.maxBudgetChangePct)}% per action, never above ${num(g.maxBudgetMultiple)}× the budget`,
    `${plural(g.maxChangesPerAccountPerDay, 'approved change')} per ad account per day`,
    `${plural(g.cooldownHours, 'hour')} cooldown per campaign`,
    `proposals expire after ${plural(g.proposalTtlHours, 'hour')}`,
    g.fourEyesAboveMinor === null ? 'four-eyes rule off' : `four-eyes above ${formatMoney(g.fourEyesAboveMinor, currency)}`,
  ]
  const optimizer = [
    `rejected suggestions stay quiet for ${plural(o.rejectedCooldownDays, 'day')}`,
    `"did it work?" after ${plural(s.outcomeDays, 'day')}`,
  ]
  const assistant = `${num(s.assistant.dailyTokenBudget)} tokens a day for the workspace, ${num(s.assistant.userDailyTokenBudget)} per person`
  return {
    text: 'Promoly settings saved.',
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: *Promoly settings saved.*' } },
      {
        type: 'section',
        fields: [
          ...(adminsShown.length > 0 ? [{ type: 'mrkdwn' as const, text: `*Admins*\n${adminsShown.join(', ')}` }] : []),
          { type: 'mrkdwn', text: `*Approvers*\n${who}` },
        ],
      },
      ...(input.client
        ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: clientSettingsSummary(input.client).slice(0, 2900) } }]
        : []),
      { type: 'section', text: { type: 'mrkdwn', text: `*Guardrails*\n${guardrails.join(' · ')}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Optimizer*\n${optimizer.join(' · ')}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Monitoring*\n${monitoringSummary(s.monitoring)}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Assistant*\n${assistant}` } },
      ...(admins.length > 0
        ? [
            {
              type: 'context' as const,
              elements: [
                {
                  type: 'mrkdwn' as const,
                  text: `${admins.map((id) => `<@${id}>`).join(', ')} ${admins.length === 1 ? 'is a Promoly admin' : 'are Promoly admins'} already, and admins can always approve.`,
                },
              ],
            },
          ]
        : []),
    ],
  }
}
