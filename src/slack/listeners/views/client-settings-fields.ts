import type { ClientSettings, ClientTarget, GuardrailOverrides } from '../../../domain/clients/client-settings.ts'
import type { StandingCheck } from '../../../domain/members/slack-standing.ts'
import { isAppError } from '../../../lib/errors.ts'
import { currencyOffset, parseMoneyInput } from '../../../lib/money.ts'
import { clientField, TARGET_RESULTS } from '../../blocks/client-settings-blocks.ts'

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_users?: string[]; selected_conversation?: string | null }>
>

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 })
const MAX_TARGET_MAJOR = 1_000_000_000

export interface ClientFieldsRead {
  suggestionsChannelId: string | null
  alertsChannelId: string | null
  settings: ClientSettings
}

/** What the person typed in the number field, or undefined when empty; errors go to `errors` under the field. */
function readNumber(
  text: string | null | undefined,
  rule: { min: number; max: number; integer: boolean; exclusiveMin?: boolean },
): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const t = (text ?? '').trim()
  if (t === '') return { ok: true, value: undefined }
  const n = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : Number.NaN
  const bad =
    !Number.isFinite(n) || (rule.integer && !Number.isInteger(n)) || n > rule.max || (rule.exclusiveMin ? n <= rule.min : n < rule.min)
  if (!bad) return { ok: true, value: n }
  const range = rule.exclusiveMin ? `above ${fmt(rule.min)}, up to ${fmt(rule.max)}` : `from ${fmt(rule.min)} to ${fmt(rule.max)}`
  return { ok: false, error: `Enter ${rule.integer ? 'a whole number' : 'a number'} ${range}, or leave it empty.` }
}

/**
 * Reads the client part of the settings form (the client's id and currencies come from the form's metadata).
 * Every problem is put under its field in `errors`, so the person fixes it without losing their other edits.
 * `ceilings`: the workspace's guardrails as submitted in the same form. `keep`: the client's stored settings
 * (targets in currencies the form did not show are kept).
 */
export function readClientFields(
  values: StateValues,
  client: { id: string; currencies: string[] },
  ceilings: { maxBudgetChangePct: number; maxChangesPerAccountPerDay: number; cooldownHours: number },
  keep: ClientSettings,
  errors: Record<string, string>,
): ClientFieldsRead {
  const get = (ids: { block: string; action: string }) => values[ids.block]?.[ids.action]
  const targets: ClientTarget[] = keep.targets.filter((t) => !client.currencies.includes(t.currency))
  for (const currency of client.currencies) {
    for (const r of TARGET_RESULTS) {
      const ids = clientField.target(client.id, r.key, currency)
      const text = (get(ids)?.value ?? '').trim()
      let costPerResultMinor: number | null = null
      if (text !== '') {
        try {
          const minor = parseMoneyInput(text, currency)
          if (minor <= 0) errors[ids.block] = 'Enter an amount above zero, or leave it empty.'
          else if (minor > MAX_TARGET_MAJOR * currencyOffset(currency)) errors[ids.block] = `Enter at most ${fmt(MAX_TARGET_MAJOR)}.`
          else costPerResultMinor = minor
        } catch (err) {
          errors[ids.block] = isAppError(err) ? err.userMessage : 'Enter an amount such as 50 or 49.90.'
        }
      }
      let roas: number | null = null
      if (r.result === 'purchases') {
        const roasIds = clientField.roas(client.id, currency)
        const read = readNumber(get(roasIds)?.value, { min: 0, max: 1000, integer: false, exclusiveMin: true })
        if (read.ok) roas = read.value ?? null
        else errors[roasIds.block] = read.error
      }
      if (costPerResultMinor !== null || roas !== null) targets.push({ result: r.result, currency, costPerResultMinor, roas })
    }
  }
  const guardrails: GuardrailOverrides = {}
  const rules = {
    maxBudgetChangePct: { min: 1, max: ceilings.maxBudgetChangePct, integer: false },
    maxChangesPerAccountPerDay: { min: 1, max: ceilings.maxChangesPerAccountPerDay, integer: true },
    cooldownHours: { min: ceilings.cooldownHours, max: 168, integer: false },
  } as const
  for (const name of ['maxBudgetChangePct', 'maxChangesPerAccountPerDay', 'cooldownHours'] as const) {
    const ids = clientField.guardrail(client.id, name)
    const read = readNumber(get(ids)?.value, rules[name])
    if (!read.ok) errors[ids.block] = `${read.error} A client may be stricter than the workspace, not looser.`
    else if (read.value !== undefined) guardrails[name] = read.value
  }
  return {
    suggestionsChannelId: get(clientField.suggestionsChannel(client.id))?.selected_conversation || null,
    alertsChannelId: get(clientField.alertsChannel(client.id))?.selected_conversation || null,
    settings: {
      approverUserIds: [...new Set(get(clientField.approvers(client.id))?.selected_users ?? [])].sort(),
      targets,
      guardrails,
    },
  }
}

/** How long the form waits for Slack's word on new approvers before it asks to try again (Slack's 3 s ack). */
const STANDING_DEADLINE_MS = 2_000

/**
 * Checks a client's approvers with Slack before the form is accepted: a bot, a guest, someone of another
 * organisation or a deactivated account gets a readable error under the field (the other edits stay).
 * People already approving this client are not asked again.
 */
export async function approverErrors(approvers: string[], already: string[], standingOf: StandingCheck): Promise<string | undefined> {
  const asked = approvers.filter((id) => !already.includes(id))
  if (asked.length === 0) return undefined
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STANDING_DEADLINE_MS).unref())
  const answers = await Promise.race([Promise.all(asked.map(async (id) => [id, await standingOf(id)] as const)), timeout])
  if (answers === 'timeout') return 'Slack took too long to tell me who these people are. Please save again.'
  const words: Record<string, string> = {
    bot: 'is a bot (Promoly, Slackbot or another app): choose people',
    guest: 'is a guest of this workspace: only full members can approve',
    external: 'is not a member of this workspace',
    deleted: 'is a deactivated Slack account',
    unknown: 'could not be checked with Slack just now: please save again',
  }
  // Plain text under the field: a mention would show as a raw id there, so the person is not named.
  for (const [, standing] of answers)
    if (standing !== 'member') return `One of the people you chose ${words[standing] ?? 'cannot approve'}.`
  return undefined
}
