import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt'
import { scopeForChannel } from '../../../domain/clients/client-scope.ts'
import { getClientSettings, updateClientSettings } from '../../../domain/clients/update-client-settings.ts'
import { findMember } from '../../../domain/members/find-member.ts'
import { listUnsettledUsers } from '../../../domain/members/list-unsettled-users.ts'
import { isAdmin } from '../../../domain/members/resolve-member.ts'
import { requireFullMembers } from '../../../domain/members/slack-standing.ts'
import { listAdmins, listApprovers, updateSettings, workspaceCurrency } from '../../../domain/settings/update-settings.ts'
import { loadSettings, type WorkspaceSettings } from '../../../domain/settings/workspace-settings.ts'
import { isAppError } from '../../../lib/errors.ts'
import { currencyOffset, parseMoneyInput } from '../../../lib/money.ts'
import { type ClientForm, clientField } from '../../blocks/client-settings-blocks.ts'
import {
  ALERTS_ON,
  MAX_MONEY_MAJOR,
  type NumberRule,
  SETTINGS_FIELDS,
  SETTINGS_RULES,
  type SettingsField,
  settingsSavedMessage,
} from '../../blocks/settings-modal.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'
import { resolveCaller } from '../../resolve-caller.ts'
import { slackStandingOf } from '../../slack-users.ts'
import { NOT_ADMIN_TEXT, type SettingsMetadata } from '../../subcommands/settings.ts'
import { tellUser } from '../../tell-user.ts'
import { approverErrors, readClientFields } from './client-settings-fields.ts'

/** The client the form showed, or null when it was removed meanwhile (its part is then not saved). */
function clientSettingsOrNull(prisma: SlackDeps['domain']['prisma'], workspaceId: string, clientId: string) {
  return getClientSettings(prisma, workspaceId, clientId).catch(() => null)
}

type Read<T> = { ok: true; value: T } | { ok: false; error: string }

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 })

/** A number_input's text checked against its rule; empty is null when the field is optional. */
function readNumber(text: string | null | undefined, rule: NumberRule, optional = false): Read<number | null> {
  const t = (text ?? '').trim()
  if (t === '') return optional ? { ok: true, value: null } : { ok: false, error: 'Enter a value.' }
  const n = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : Number.NaN
  const what = rule.integer ? 'a whole number' : 'a number'
  const range = rule.exclusiveMin ? `above ${fmt(rule.min)}, up to ${fmt(rule.max)}` : `from ${fmt(rule.min)} to ${fmt(rule.max)}`
  const bad =
    !Number.isFinite(n) || (rule.integer && !Number.isInteger(n)) || n > rule.max || (rule.exclusiveMin ? n <= rule.min : n < rule.min)
  return bad ? { ok: false, error: `Enter ${what} ${range}.` } : { ok: true, value: n }
}

/** An amount in major units of `currency` → minor units; empty is null. `positive`: zero is refused. */
function readMoney(text: string | null | undefined, currency: string, positive: boolean): Read<number | null> {
  const t = (text ?? '').trim()
  if (t === '') return { ok: true, value: null }
  try {
    const minor = parseMoneyInput(t, currency)
    if (positive && minor <= 0) return { ok: false, error: 'Enter an amount above zero, or leave it empty.' }
    if (minor > MAX_MONEY_MAJOR * currencyOffset(currency)) return { ok: false, error: `Enter at most ${fmt(MAX_MONEY_MAJOR)}.` }
    return { ok: true, value: minor }
  } catch (err) {
    return { ok: false, error: isAppError(err) ? err.userMessage : 'Enter an amount such as 50 or 49.90.' }
  }
}

type StateValues = ViewSubmitAction['view']['state']['values']

/**
 * The monitoring fields (whole hours 0–24, alerts on or off); errors go under their field. Undefined when the form
 * has no monitoring fields (opened before they existed: the stored ones stay) or one of them is wrong.
 */
function readMonitoring(state: StateValues, errors: Record<string, string>): WorkspaceSettings['monitoring'] | undefined {
  const F = SETTINGS_FIELDS
  if (!state[F.fastSyncFromHour.block]) return undefined
  const hour = (field: 'fastSyncFromHour' | 'fastSyncUntilHour' | 'quietFromHour' | 'quietUntilHour') => {
    const r = readNumber(state[F[field].block]?.[F[field].action]?.value, SETTINGS_RULES[field])
    if (r.ok && r.value !== null) return r.value
    errors[F[field].block] = r.ok ? 'Enter an hour.' : `${r.error.replace(/\.$/, '')}: an hour of the day, 0 for midnight.`
    return undefined
  }
  const fastSyncFromHour = hour('fastSyncFromHour')
  const fastSyncUntilHour = hour('fastSyncUntilHour')
  const quietFromHour = hour('quietFromHour')
  const quietUntilHour = hour('quietUntilHour')
  const alerts = (state[F.alerts.block]?.[F.alerts.action]?.selected_options ?? []).some((o) => o.value === ALERTS_ON)
  if (fastSyncFromHour === undefined || fastSyncUntilHour === undefined || quietFromHour === undefined || quietUntilHour === undefined)
    return undefined
  return { fastSyncFromHour, fastSyncUntilHour, quietFromHour, quietUntilHour, alerts }
}

function parseMetadata(raw: string | undefined): SettingsMetadata {
  try {
    const m = JSON.parse(raw || '{}') as Record<string, unknown>
    const currencies = Array.isArray(m.clientCurrencies)
      ? m.clientCurrencies.filter((c): c is string => typeof c === 'string' && /^[A-Z]{3}$/.test(c)).slice(0, 6)
      : undefined
    return {
      channelId: typeof m.channelId === 'string' && m.channelId !== '' ? m.channelId : undefined,
      currency: typeof m.currency === 'string' && /^[A-Z]{3}$/.test(m.currency) ? m.currency : undefined,
      clientId: typeof m.clientId === 'string' && m.clientId !== '' ? m.clientId : undefined,
      clientCurrencies: currencies,
    }
  } catch {
    return {}
  }
}

/**
 * The settings form: every field is checked before the ack (errors under the field, as Slack does; a client
 * approver who is a bot or a guest too), and the caller must still be an admin. Then the settings are saved in one transaction and the
 * new settings are confirmed to the admin (ephemeral where the command ran, else a DM).
 */
export function settingsSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const workspace = requireWorkspace(context)
    const prisma = deps.domain.prisma
    const userId = body.user.id
    const F = SETTINGS_FIELDS
    // Before the ack only the database is asked (Slack's 3 s); the modal was opened for an admin, and
    // updateSettings checks the role again inside its transaction.
    const member = await findMember(prisma, { workspaceId: workspace.id, slackUserId: userId })
    if (!member || !isAdmin(member))
      return ack({ response_action: 'errors', errors: { [F.approvers.block]: `${NOT_ADMIN_TEXT} Nothing was changed.` } })

    const meta = parseMetadata(view.private_metadata)
    const currency = meta.currency ?? (await workspaceCurrency(prisma, workspace.id))
    const state = view.state.values
    const input = (field: SettingsField) => state[F[field].block]?.[F[field].action]
    const errors: Record<string, string> = {}
    const take = <T>(field: SettingsField, r: Read<T>): T | undefined => {
      if (r.ok) return r.value
      errors[F[field].block] = r.error
      return undefined
    }
    const num = (field: keyof typeof SETTINGS_RULES, optional = false) =>
      take(field, readNumber(input(field)?.value, SETTINGS_RULES[field], optional))

    const maxBudgetChangePct = num('maxBudgetChangePct')
    const maxBudgetMultiple = num('maxBudgetMultiple')
    const maxChangesPerAccountPerDay = num('maxChangesPerAccountPerDay')
    const cooldownHours = num('cooldownHours')
    const fourEyesAboveMinor = take('fourEyesAbove', readMoney(input('fourEyesAbove')?.value, currency, false))
    const proposalTtlHours = num('proposalTtlHours')
    const rejectedCooldownDays = num('rejectedCooldownDays')
    const outcomeDays = num('outcomeDays')
    const maxDigestSubscriptions = num('maxDigestSubscriptions')
    const dailyTokenBudget = num('dailyTokenBudget')
    const userDailyTokenBudget = num('userDailyTokenBudget')
    const monitoring = readMonitoring(state, errors)
    if (dailyTokenBudget != null && userDailyTokenBudget != null && userDailyTokenBudget > dailyTokenBudget)
      errors[F.userDailyTokenBudget.block] = `Enter at most the workspace budget (${fmt(dailyTokenBudget)}).`
    const approvers = [...new Set(input('approvers')?.selected_users ?? [])]
    // Absent only from a form opened before the admins field existed: then the admins stay as they are.
    const adminsField = input('admins')?.selected_users
    const admins = adminsField ? [...new Set(adminsField)] : undefined
    if (admins?.length === 0) errors[F.admins.block] = 'Promoly needs at least one admin.'
    // The client part: its id and currencies travel in the metadata (absent from a form opened before clients).
    const standingOf = slackStandingOf(deps.slackUsers, client, { teamId: workspace.slackTeamId })
    const stored = meta.clientId ? await clientSettingsOrNull(prisma, workspace.id, meta.clientId) : null
    const clientPart =
      stored && maxBudgetChangePct != null && maxChangesPerAccountPerDay != null && cooldownHours != null
        ? readClientFields(
            state as Parameters<typeof readClientFields>[0],
            { id: stored.id, currencies: meta.clientCurrencies ?? stored.currencies },
            { maxBudgetChangePct, maxChangesPerAccountPerDay, cooldownHours },
            stored.settings,
            errors,
          )
        : null
    // Bots, guests and strangers are refused under their field before the form closes, so no other edit is lost.
    if (Object.keys(errors).length === 0) {
      const [approversRefused, adminsRefused] = await Promise.all([
        approverErrors(approvers, await listApprovers(prisma, workspace.id), standingOf),
        approverErrors(admins ?? [], await listAdmins(prisma, workspace.id), standingOf),
      ])
      if (approversRefused) errors[F.approvers.block] = approversRefused
      if (adminsRefused) errors[F.admins.block] = adminsRefused
    }
    if (stored && clientPart && Object.keys(errors).length === 0) {
      const refused = await approverErrors(clientPart.settings.approverUserIds, stored.settings.approverUserIds, standingOf)
      if (refused) errors[clientField.approvers(stored.id).block] = refused
      for (const [field, channelId] of [
        [clientField.suggestionsChannel(stored.id), clientPart.suggestionsChannelId],
        [clientField.alertsChannel(stored.id), clientPart.alertsChannelId],
      ] as const) {
        const owner = channelId ? (await scopeForChannel(prisma, workspace.id, channelId)).client : null
        if (owner && owner.id !== stored.id)
          errors[field.block] =
            `That channel belongs to the client ${owner.name}. Choose another, or unbind it there first (/promoly clients unbind).`
      }
    }
    // A required number is missing only when its field has an error.
    if (
      Object.keys(errors).length > 0 ||
      maxBudgetChangePct == null ||
      maxBudgetMultiple == null ||
      maxChangesPerAccountPerDay == null ||
      cooldownHours == null ||
      proposalTtlHours == null ||
      rejectedCooldownDays == null ||
      outcomeDays == null ||
      maxDigestSubscriptions == null ||
      dailyTokenBudget == null ||
      userDailyTokenBudget == null
    )
      return ack({ response_action: 'errors', errors })

    // Fields the form does not show keep their current value.
    const current = await loadSettings(prisma, workspace.id)
    const settings: WorkspaceSettings = {
      monitoring: monitoring ?? current.monitoring,
      guardrails: {
        maxBudgetChangePct,
        maxBudgetMultiple,
        maxChangesPerAccountPerDay,
        cooldownHours,
        fourEyesAboveMinor: fourEyesAboveMinor ?? null,
        proposalTtlHours,
      },
      // The workspace's single target is superseded by the clients': it is the default client's fallback until the
      // default client's own targets are saved (the form showed the old values there), then it is cleared.
      optimizer: {
        ...current.optimizer,
        rejectedCooldownDays,
        ...(stored?.isDefault && clientPart ? { targetCostPerResultMinor: null, targetRoas: null } : {}),
      },
      digests: { ...current.digests, maxSubscriptions: maxDigestSubscriptions },
      outcomeDays,
      moneyCurrency: current.moneyCurrency ?? currency,
      assistant: { dailyTokenBudget, userDailyTokenBudget },
    }
    await ack()

    const to = { client, userId, channelId: meta.channelId }
    let saved: string[]
    let savedAdmins: string[]
    let savedClient: ClientForm | undefined
    try {
      // People whose role still follows Slack are looked up first, so that Slack admins chosen here stay admins.
      const listed = [...new Set([...(admins ?? []), ...approvers])]
      // Checked here first (no member row is created for a guest), and again by updateSettings itself.
      await requireFullMembers(prisma, { workspaceId: workspace.id, slackUserIds: listed, standingOf })
      for (const id of await listUnsettledUsers(prisma, { workspaceId: workspace.id, slackUserIds: listed }))
        await resolveCaller(deps, workspace, id, client)
      // The client first: the workspace's old single target is dropped only once the default client holds its own.
      if (stored && clientPart) {
        await updateClientSettings(deps.domain, {
          workspaceId: workspace.id,
          actorSlackUserId: userId,
          clientId: stored.id,
          ...clientPart,
          standingOf,
        })
        savedClient = { ...(await getClientSettings(prisma, workspace.id, stored.id)) }
      }
      await updateSettings(deps.domain, {
        workspaceId: workspace.id,
        actorSlackUserId: userId,
        adminSlackUserIds: admins,
        approverSlackUserIds: approvers,
        settings,
        standingOf,
      })
      saved = await listApprovers(prisma, workspace.id)
      savedAdmins = await listAdmins(prisma, workspace.id)
    } catch (err) {
      return replyError(to, err, { logger: deps.logger, what: 'saving settings', prefix: 'The settings were not saved: ' })
    }
    const alreadyAdmins = approvers.filter((id) => !saved.includes(id))
    await tellUser(
      to,
      settingsSavedMessage({ settings, approvers: saved, admins: savedAdmins, client: savedClient, currency, alreadyAdmins }),
    ).catch((e) => deps.logger.warn({ err: e }, 'could not confirm the saved settings'))
  }
}
