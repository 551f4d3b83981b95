import type { ClientSettings } from '../../domain/clients/client-settings.ts'
import type { ClientSettingsView } from '../../domain/clients/update-client-settings.ts'
import type { ResultKind } from '../../domain/metrics/vocabulary.ts'
import type { WorkspaceSettings } from '../../domain/settings/workspace-settings.ts'
import { currencyDecimals, formatMoney, minorToMajor } from '../../lib/money.ts'
import { escapeToFit } from '../../lib/mrkdwn.ts'
import type { Blocks } from './types.ts'

/** The client picker of `/promoly settings` (an actions block: choosing a client re-renders the form). */
export const CLIENT_PICK = { block: 'settings_client', action: 'settings_client_pick' } as const

/** What the form shows of one client (as the domain reads it). */
export type ClientForm = ClientSettingsView

/** Result types with a target, and how the form names it. */
export const TARGET_RESULTS: ReadonlyArray<{ result: ResultKind; key: string; label: string }> = [
  { result: 'leads', key: 'leads', label: 'Target cost per lead' },
  { result: 'purchases', key: 'purchases', label: 'Target CPA (cost per purchase)' },
  { result: 'link clicks', key: 'link_clicks', label: 'Target cost per link click' },
]

/**
 * Block and action ids of a client's fields. The block ids carry the client's id: when the picker switches
 * client, Slack keeps what was typed in blocks whose ids stay the same, so another client's fields start afresh.
 */
export const clientField = {
  suggestionsChannel: (clientId: string) => ({ block: `client_suggestions_${clientId}`, action: 'suggestions_channel_select' }),
  alertsChannel: (clientId: string) => ({ block: `client_alerts_${clientId}`, action: 'alerts_channel_select' }),
  approvers: (clientId: string) => ({ block: `client_approvers_${clientId}`, action: 'client_approvers_select' }),
  target: (clientId: string, key: string, currency: string) => ({
    block: `client_target_${key}_${currency}_${clientId}`,
    action: `target_${key}_${currency.toLowerCase()}_input`,
  }),
  roas: (clientId: string, currency: string) => ({
    block: `client_roas_${currency}_${clientId}`,
    action: `target_roas_${currency.toLowerCase()}_input`,
  }),
  guardrail: (clientId: string, name: 'maxBudgetChangePct' | 'maxChangesPerAccountPerDay' | 'cooldownHours') => ({
    block: `client_guardrail_${name}_${clientId}`,
    action: `client_${name}_input`,
  }),
}

const plain = (text: string) => ({ type: 'plain_text' as const, text })
const numberText = (n: number) => (Number.isInteger(n) ? n.toFixed(0) : String(Number(n.toFixed(6))))

function numberInput(
  ids: { block: string; action: string },
  o: { label: string; hint: string; initial: number | null | undefined; min: number; max: number; decimals: boolean; placeholder: string },
): Blocks[number] {
  const initial = o.initial ?? null
  return {
    type: 'input',
    block_id: ids.block,
    optional: true,
    label: plain(o.label.slice(0, 2000)),
    hint: plain(o.hint.slice(0, 2000)),
    element: {
      type: 'number_input',
      action_id: ids.action,
      is_decimal_allowed: o.decimals,
      min_value: numberText(initial === null ? o.min : Math.min(o.min, initial)),
      max_value: numberText(initial === null ? o.max : Math.max(o.max, initial)),
      ...(initial === null ? {} : { initial_value: numberText(initial) }),
      placeholder: plain(o.placeholder),
    },
  }
}

/** Money targets are entered in major units, up to this amount. */
const MAX_TARGET_MAJOR = 1_000_000_000

/**
 * The targets a form shows for a client in `currency`: its own; for the default client without one, the
 * workspace's single target of older installs (cost per result for leads and purchases, ROAS), so saving keeps it.
 */
function shownTargets(client: ClientForm, workspace: WorkspaceSettings, currency: string): ClientSettings['targets'] {
  const own = client.settings.targets.filter((t) => t.currency === currency)
  if (!client.isDefault) return own
  const o = workspace.optimizer
  const inherited = workspace.moneyCurrency === null || workspace.moneyCurrency === currency
  const out = [...own]
  for (const result of ['leads', 'purchases'] as const) {
    if (out.some((t) => t.result === result)) continue
    const cost = inherited ? o.targetCostPerResultMinor : null
    const roas = result === 'purchases' ? o.targetRoas : null
    if (cost !== null || roas !== null) out.push({ result, currency, costPerResultMinor: cost, roas })
  }
  return out
}

/** The client part of `/promoly settings`: the picker, then the chosen client's channels, approvers, targets, guardrails. */
export function clientSettingsBlocks(input: {
  clients: Array<{ id: string; name: string }>
  client: ClientForm
  workspace: WorkspaceSettings
}): Blocks {
  const { client, workspace } = input
  const options = input.clients.slice(0, 100).map((c) => ({ text: plain(c.name.slice(0, 75)), value: c.id }))
  const current = options.find((o) => o.value === client.id)
  const g = workspace.guardrails
  const o = client.settings.guardrails
  const blocks: Blocks = [
    { type: 'divider' },
    { type: 'header', text: plain('Client') },
    {
      type: 'actions',
      block_id: CLIENT_PICK.block,
      elements: [{ type: 'static_select', action_id: CLIENT_PICK.action, options, ...(current ? { initial_option: current } : {}) }],
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Settings of *${escapeToFit(client.name, 120)}*${client.isDefault ? ' (the default client: new ad accounts join it)' : ''}. Choose another client above; \`/promoly clients\` adds and renames clients.`,
        },
      ],
    },
    {
      type: 'input',
      block_id: clientField.suggestionsChannel(client.id).block,
      optional: true,
      label: plain('Suggestions channel'),
      hint: plain(
        "Where this client's new suggestions are posted; the channel then belongs to this client (it shows this client's data only). Empty: the Promoly admins by DM.",
      ),
      element: {
        type: 'conversations_select',
        action_id: clientField.suggestionsChannel(client.id).action,
        placeholder: plain('Choose a channel'),
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(client.suggestionsChannelId ? { initial_conversation: client.suggestionsChannelId } : {}),
      },
    },
    {
      type: 'input',
      block_id: clientField.alertsChannel(client.id).block,
      optional: true,
      label: plain('Alerts channel'),
      hint: plain("Where this client's intraday alerts go (it belongs to this client too). Empty: its suggestions channel."),
      element: {
        type: 'conversations_select',
        action_id: clientField.alertsChannel(client.id).action,
        placeholder: plain('Choose a channel'),
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(client.alertsChannelId ? { initial_conversation: client.alertsChannelId } : {}),
      },
    },
    {
      type: 'input',
      block_id: clientField.approvers(client.id).block,
      optional: true,
      label: plain('Approvers of this client'),
      hint: plain(
        "They may approve or reject this client's changes only (admins and the approvers above decide every client's). People, not bots or guests.",
      ),
      element: {
        type: 'multi_users_select',
        action_id: clientField.approvers(client.id).action,
        placeholder: plain('Choose people'),
        ...(client.settings.approverUserIds.length > 0 ? { initial_users: client.settings.approverUserIds } : {}),
      },
    },
  ]
  const currencies = client.currencies.length > 0 ? client.currencies : ['USD']
  for (const currency of currencies.slice(0, 6)) {
    const targets = shownTargets(client, workspace, currency)
    const hasCents = currencyDecimals(currency) > 0
    const money = (minor: number | null | undefined) => (minor == null ? null : minorToMajor(minor, currency))
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `*Targets in ${currency}*${currencies.length > 1 ? ` (for this client's ${currency} accounts)` : ''}. Empty: campaigns are judged against their own history and their peers.`,
        },
      ],
    })
    for (const t of TARGET_RESULTS) {
      const target = targets.find((x) => x.result === t.result)
      blocks.push(
        numberInput(clientField.target(client.id, t.key, currency), {
          label: `${t.label} (${currency})`,
          hint: `For this client's campaigns that seek ${t.result}, in ${currency} accounts.`,
          initial: money(target?.costPerResultMinor),
          min: hasCents ? 0.01 : 1,
          max: MAX_TARGET_MAJOR,
          decimals: hasCents,
          placeholder: 'No target',
        }),
      )
      if (t.result === 'purchases')
        blocks.push(
          numberInput(clientField.roas(client.id, currency), {
            label: `Target ROAS (${currency} accounts)`,
            hint: 'Purchase value per unit of spend, e.g. 3 for 3×, over spend that sought purchases.',
            initial: target?.roas,
            min: 0.01,
            max: 1000,
            decimals: true,
            placeholder: 'No target',
          }),
        )
    }
  }
  blocks.push(
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: "*This client's guardrails*: stricter than the workspace's above if you like. Empty: the workspace's." },
      ],
    },
    numberInput(clientField.guardrail(client.id, 'maxBudgetChangePct'), {
      label: 'Max budget change per action (%)',
      hint: `At most the workspace's ${g.maxBudgetChangePct} %.`,
      initial: o.maxBudgetChangePct,
      min: 1,
      max: g.maxBudgetChangePct,
      decimals: true,
      placeholder: `Workspace: ${g.maxBudgetChangePct}`,
    }),
    numberInput(clientField.guardrail(client.id, 'maxChangesPerAccountPerDay'), {
      label: 'Max approved changes per ad account per day',
      hint: `At most the workspace's ${g.maxChangesPerAccountPerDay}.`,
      initial: o.maxChangesPerAccountPerDay,
      min: 1,
      max: g.maxChangesPerAccountPerDay,
      decimals: false,
      placeholder: `Workspace: ${g.maxChangesPerAccountPerDay}`,
    }),
    numberInput(clientField.guardrail(client.id, 'cooldownHours'), {
      label: 'Cooldown after a change (hours)',
      hint: `At least the workspace's ${g.cooldownHours}, at most 168.`,
      initial: o.cooldownHours,
      min: g.cooldownHours,
      max: 168,
      decimals: true,
      placeholder: `Workspace: ${g.cooldownHours}`,
    }),
  )
  return blocks
}

/** One line per client setting for the saved confirmation. */
export function clientSettingsSummary(client: ClientForm): string {
  const s = client.settings
  const channel = (id: string | null) => (id && /^[A-Z0-9]+$/.test(id) ? `<#${id}>` : null)
  const targets = s.targets
    .map((t) =>
      [
        t.costPerResultMinor !== null ? `${t.result}: ${formatMoney(t.costPerResultMinor, t.currency)}` : '',
        t.roas !== null ? `ROAS ${t.roas}× (${t.currency})` : '',
      ]
        .filter(Boolean)
        .join(', '),
    )
    .filter(Boolean)
  const approvers = s.approverUserIds.filter((id) => /^[A-Z0-9]+$/.test(id)).map((id) => `<@${id}>`)
  const g = s.guardrails
  const guard = [
    g.maxBudgetChangePct !== undefined ? `±${g.maxBudgetChangePct}% per action` : '',
    g.maxChangesPerAccountPerDay !== undefined ? `${g.maxChangesPerAccountPerDay} changes per account per day` : '',
    g.cooldownHours !== undefined ? `${g.cooldownHours} h cooldown` : '',
  ].filter(Boolean)
  return [
    `*${escapeToFit(client.name, 120)}*`,
    `suggestions to ${channel(client.suggestionsChannelId) ?? 'the admins by DM'}, alerts to ${channel(client.alertsChannelId) ?? channel(client.suggestionsChannelId) ?? 'the admins by DM'}`,
    `approvers: ${approvers.length > 0 ? approvers.slice(0, 30).join(', ') : "the workspace's"}`,
    `targets: ${targets.length > 0 ? targets.join(' · ') : 'none'}`,
    `guardrails: ${guard.length > 0 ? guard.join(', ') : "the workspace's"}`,
  ].join('\n')
}
