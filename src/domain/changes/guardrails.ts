import type { ChangeType, Prisma } from '../../generated/prisma/client.ts'
import { convertMinor, currencyOffset, formatMoney, usdToMinor } from '../../lib/money.ts'
import type { WorkspaceSettings } from '../settings/workspace-settings.ts'
import { budgetOf, isBudgetChange, proposedBudgetOf } from './change-values.ts'
import { dbNow } from './db-clock.ts'
import { budgetBlockedUntil } from './live-object.ts'

export interface GuardrailResult {
  name:
    | 'max_budget_change'
    | 'budget_ceiling'
    | 'budget_fallback_ceiling'
    | 'minimum_budget'
    | 'changes_per_day'
    | 'cooldown'
    | 'meta_budget_changes_per_hour'
    | 'created_paused'
    /** Information, never a refusal: the person who asked may not approve this change themselves. */
    | 'four_eyes'
    /** Information, never a refusal: pausing the last active ad (ad set) stops its ad set's (campaign's) delivery. */
    | 'last_active'
  ok: boolean
  message: string
  /** When the limit frees up, for time-based guardrails. */
  freesAt?: string
}

export interface GuardrailInput {
  type: ChangeType
  /** Where the change writes (the campaign, an ad set, an ad); absent means the campaign. */
  level?: 'campaign' | 'adset' | 'ad'
  adAccountId: string
  campaignId: string | null
  adSetId?: string | null
  adId?: string | null
  /** The card the change is part of (its parts are decided together and count once against changes_per_day). */
  groupId?: string | null
  currentValue: unknown
  proposedValue: unknown
  currency: string
  /** Meta's minimum daily budget for the object (minor units), when known. */
  minimumDailyBudgetMinor?: number | null
  /** Which of Meta's minimums that is, for the message: "conversion-optimised ad sets" (absent: the impressions one). */
  minimumBasis?: string | null
  /** An undo restores a value that was there before: it is exempt from the per-action cap and the cooldown. */
  isUndo?: boolean
}

/** Changes that count against limits: applied ones, and approved ones on their way to Meta. */
const DECIDED = { in: ['APPROVED', 'APPLYING', 'APPLIED'] as Array<'APPROVED' | 'APPLYING' | 'APPLIED'> }

/**
 * Guardrails no override lifts: Meta refuses the write anyway, and the ceiling taken from the account's own
 * numbers stops a slip of the finger. The fallback ceiling of an account with nothing to compare with
 * (`budget_fallback_ceiling`) is not among them: an admin may override it with a stated reason.
 */
export const HARD_GUARDRAILS: ReadonlySet<GuardrailResult['name']> = new Set([
  'meta_budget_changes_per_hour',
  'budget_ceiling',
  'minimum_budget',
])

/** True when every refusing guardrail is one an admin may override (with a stated reason). */
export function overridable(refused: GuardrailResult[]): boolean {
  return refused.every((r) => !HARD_GUARDRAILS.has(r.name))
}

const HARD_NAMES: Partial<Record<GuardrailResult['name'], string>> = {
  budget_ceiling: "the budget ceiling taken from the account's own budgets or spend",
  meta_budget_changes_per_hour: "Meta's limit of budget changes per hour",
  minimum_budget: "Meta's minimum budget (Meta refuses anything below it)",
}

/** What an override can do about these refusals, in words for a proposal note (never both "can" and "cannot"). */
export function overrideNote(refused: GuardrailResult[]): string {
  if (overridable(refused)) return 'an admin can override with a stated reason'
  const hard = refused.filter((r) => HARD_GUARDRAILS.has(r.name)).map((r) => HARD_NAMES[r.name] ?? r.name)
  return `no override lifts ${hard.join(' or ')}, so it cannot be approved as it stands`
}

/**
 * When guardrails are evaluated. At a proposal and an approval, every decided change counts (by when it was
 * decided). At `apply`, under the account's lock, what counts is what has reached Meta or is on its way: changes
 * APPLYING now, and APPLIED ones by when they were applied — so changes approved at the same moment are
 * counted one after the other, whatever their approvals saw.
 */
export type GuardrailPhase = 'decide' | 'apply'

type Db = Pick<Prisma.TransactionClient, 'changeRequest' | 'campaign' | 'adSet' | 'ad' | 'campaignDailyMetric' | '$queryRaw'>

/** The object a change writes to, as a filter on change requests: Meta's limits count per object written. */
function writtenObject(input: GuardrailInput): Prisma.ChangeRequestWhereInput | null {
  const level = input.level ?? 'campaign'
  if (level === 'ad' && input.adId) return { level: 'ad', adId: input.adId }
  if (level === 'adset' && input.adSetId) return { level: 'adset', adSetId: input.adSetId }
  if (level === 'campaign' && input.campaignId) return { level: 'campaign', campaignId: input.campaignId }
  return null
}

const NOUN = { campaign: 'campaign', adset: 'ad set', ad: 'ad' } as const

function hhmm(d: Date | string): string {
  return (typeof d === 'string' ? d : d.toISOString()).slice(11, 16)
}

function countedSince(phase: GuardrailPhase, since: Date, exclusive = false): Prisma.ChangeRequestWhereInput {
  const after = exclusive ? { gt: since } : { gte: since }
  if (phase === 'decide') return { status: DECIDED, decidedAt: after }
  return { OR: [{ status: 'APPLYING' }, { status: 'APPLIED', appliedAt: after }] }
}

const HOUR = 3_600_000
/** Meta lets an ad set's (and a campaign's) budget change about 4 times an hour. */
const META_BUDGET_CHANGES_PER_HOUR = 4

/**
 * Guardrails in code, not in a prompt: each returns ok or the reason it refuses (and when the
 * limit frees up). Evaluated when a change is proposed (shown on the card), again at approval, and once more
 * when it is applied (phase `apply`, under the ad account's lock: see applyChange).
 */
export async function evaluateGuardrails(
  prisma: Db,
  input: GuardrailInput,
  settings: WorkspaceSettings,
  now: Date,
  excludeChangeId?: string,
  phase: GuardrailPhase = 'decide',
): Promise<GuardrailResult[]> {
  const notSelf = excludeChangeId ? { id: { not: excludeChangeId } } : {}
  const g = settings.guardrails
  const results: GuardrailResult[] = []
  const fmt = (m: number) => formatMoney(m, input.currency)

  if (isBudgetChange(input.type)) {
    const from = budgetOf(input.currentValue)
    const to = proposedBudgetOf(input.proposedValue)
    const minimum = input.minimumDailyBudgetMinor ?? currencyOffset(input.currency)
    // A daily budget already below Meta's minimum (a minimum raised since it was set): Meta refuses any new amount
    // below the minimum, so reaching the minimum is allowed beyond the per-change limit.
    const belowMinimum = input.type === 'SET_DAILY_BUDGET' && from !== null && from < minimum
    if (from !== null && from > 0 && !input.isUndo) {
      const pct = ((to - from) / from) * 100
      const within = Math.abs(pct) <= g.maxBudgetChangePct + 1e-9
      const toMinimum = !within && belowMinimum && to > from && to <= minimum
      const at = (sign: number) => fmt(Math.round(from * (1 + (sign * g.maxBudgetChangePct) / 100)))
      results.push({
        name: 'max_budget_change',
        ok: within || toMinimum,
        message: within
          ? `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}% is within the ±${g.maxBudgetChangePct}% limit per change`
          : toMinimum
            ? `+${pct.toFixed(0)}% is beyond the ±${g.maxBudgetChangePct}% limit per change, allowed because it only raises the budget to Meta's minimum of ${fmt(minimum)}/day`
            : `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}% exceeds the ±${g.maxBudgetChangePct}% limit per change (at most ${at(Math.sign(pct))}${belowMinimum && pct > 0 ? `, or exactly Meta's minimum of ${fmt(minimum)}/day` : ''})`,
      })
    }
    if (!input.isUndo) results.push(ceilingResult(to, await budgetCeiling(prisma, input, g.maxBudgetMultiple, from, now), fmt))
    if (input.type === 'SET_DAILY_BUDGET') {
      const ok = to >= minimum
      const basis = input.minimumBasis
      const stated = basis ? `Meta's minimum for ${basis}: ${fmt(minimum)}/day` : `Meta's minimum daily budget of ${fmt(minimum)}`
      const already =
        belowMinimum && from !== null ? ` (today's ${fmt(from)} is already below it: propose ${fmt(minimum)} to reach it)` : ''
      results.push({
        name: 'minimum_budget',
        ok,
        message: ok ? `at least ${stated}` : `below ${stated}${already}`,
      })
    }
    const object = writtenObject(input)
    const noun = NOUN[input.level ?? 'campaign']
    // Meta's block is stamped with the database's clock when Meta answers (see applyChange): it is read by that clock.
    const blockedUntil =
      phase === 'decide' && object
        ? await budgetBlockedUntil(prisma, { ...input, level: input.level ?? 'campaign' }, await dbNow(prisma))
        : null
    if (object && blockedUntil) {
      results.push({
        name: 'meta_budget_changes_per_hour',
        ok: false,
        message: `Meta blocked budget changes of this ${noun} for an hour; the next is possible at ${hhmm(blockedUntil)} UTC`,
        freesAt: blockedUntil.toISOString(),
      })
    } else if (object) {
      const recent = await prisma.changeRequest.findMany({
        where: {
          ...notSelf,
          ...object,
          type: { in: ['SET_DAILY_BUDGET', 'SET_LIFETIME_BUDGET'] },
          ...countedSince(phase, new Date(now.getTime() - HOUR), true),
        },
        orderBy: { decidedAt: 'asc' },
        select: { decidedAt: true, appliedAt: true },
      })
      const ok = recent.length < META_BUDGET_CHANGES_PER_HOUR
      // The oldest of the hour's changes leaves the window first (an APPLYING one, being written now, last).
      const at = (r: { decidedAt: Date | null; appliedAt: Date | null }) => (phase === 'apply' ? (r.appliedAt ?? now) : r.decidedAt)
      const oldest = recent.map(at).sort((a, b) => (a?.getTime() ?? 0) - (b?.getTime() ?? 0))[0]
      const freesAt = ok || !oldest ? undefined : new Date(oldest.getTime() + HOUR).toISOString()
      results.push({
        name: 'meta_budget_changes_per_hour',
        ok,
        message: ok
          ? `${recent.length} of Meta's ${META_BUDGET_CHANGES_PER_HOUR} budget changes of this ${noun} this hour`
          : `Meta allows ${META_BUDGET_CHANGES_PER_HOUR} budget changes per ${noun} per hour; the next is possible ${freesAt ? `at ${hhmm(freesAt)} UTC` : 'within the hour'}`,
        freesAt,
      })
    }
  }

  if (input.type === 'CREATE_CAMPAIGN') {
    const status = (input.proposedValue as { status?: string }).status
    results.push({
      name: 'created_paused',
      ok: status === 'PAUSED',
      message: status === 'PAUSED' ? 'created paused: spends nothing until activated' : 'new campaigns must be created paused',
    })
    const to = (input.proposedValue as { dailyBudgetMinor?: number }).dailyBudgetMinor
    const minimum = input.minimumDailyBudgetMinor ?? currencyOffset(input.currency)
    if (to !== undefined) results.push(ceilingResult(to, await budgetCeiling(prisma, input, g.maxBudgetMultiple, null, now), fmt))
    if (to !== undefined)
      results.push({
        name: 'minimum_budget',
        ok: to >= minimum,
        message: to >= minimum ? `at least Meta's minimum of ${fmt(minimum)}/day` : `below Meta's minimum daily budget of ${fmt(minimum)}`,
      })
  }

  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  // A card with several parts is one decision: its parts count once, and never against each other.
  const sameGroup = input.groupId ? { OR: [{ groupId: null }, { groupId: { not: input.groupId } }] } : {}
  const decidedToday = await prisma.changeRequest.findMany({
    where: { ...notSelf, ...sameGroup, adAccountId: input.adAccountId, ...countedSince(phase, dayStart) },
    select: { id: true, groupId: true },
  })
  const today = new Set(decidedToday.map((c) => c.groupId ?? c.id)).size
  const dayOk = today < g.maxChangesPerAccountPerDay
  const done = phase === 'apply' ? 'applied' : 'approved'
  results.push({
    name: 'changes_per_day',
    ok: dayOk,
    message: dayOk
      ? `${today} of ${g.maxChangesPerAccountPerDay} changes ${done} for this ad account today${input.groupId ? ' (a card of several parts counts once)' : ''}`
      : `${g.maxChangesPerAccountPerDay} changes were already ${done} for this ad account today (limit); a card of several parts counts once; it frees up at 00:00 UTC`,
    freesAt: dayOk ? undefined : new Date(dayStart.getTime() + 24 * HOUR).toISOString(),
  })

  const object = writtenObject(input)
  if (object && g.cooldownHours > 0 && !input.isUndo) {
    const since = new Date(now.getTime() - g.cooldownHours * HOUR)
    const recent = await prisma.changeRequest.findMany({
      where: { ...notSelf, ...object, ...countedSince(phase, since, true) },
      select: { decidedAt: true, appliedAt: true },
    })
    // At apply time a change being applied right now counts as changed now.
    const lastAt = Math.max(0, ...recent.map((r) => (phase === 'apply' ? (r.appliedAt ?? now) : r.decidedAt)?.getTime() ?? 0))
    const until = lastAt > 0 ? new Date(lastAt + g.cooldownHours * HOUR) : null
    const waitUntil = until && until > now ? until : null
    results.push({
      name: 'cooldown',
      ok: !waitUntil,
      message: waitUntil
        ? `this ${NOUN[input.level ?? 'campaign']} was changed less than ${g.cooldownHours} h ago; the next change is possible at ${hhmm(waitUntil)} UTC`
        : `no change in the last ${g.cooldownHours} h`,
      freesAt: waitUntil?.toISOString(),
    })
  }
  if (phase === 'decide' && input.type === 'PAUSE') {
    const last = await lastActive(prisma, input)
    if (last) results.push({ name: 'last_active', ok: true, message: last })
  }
  if (phase === 'decide') {
    const fourEyes = fourEyesThreshold(settings, input.currency)
    if (fourEyes) {
      const stake = await spendAtStake(prisma, input)
      if (stake > fourEyes.minor)
        results.push({
          name: 'four_eyes',
          ok: true,
          message: `four eyes: this moves ${fmt(stake)}, above ${fourEyes.label}, so someone other than the person who asked approves it`,
        })
    }
  }
  return results
}

/**
 * The four-eyes threshold for an account in `currency`, or null when the rule is off. The setting is in the
 * workspace's money currency (`moneyCurrency`; settings saved before it existed: the account's own). For an account
 * in another currency it is converted at Promoly's approximate per-USD rates — the rule protects every account, at
 * about the same size — and for a currency without a rate every change that moves money needs four eyes.
 */
export function fourEyesThreshold(settings: WorkspaceSettings, currency: string): { minor: number; label: string } | null {
  const above = settings.guardrails.fourEyesAboveMinor
  if (above === null) return null
  const from = settings.moneyCurrency ?? currency
  if (from === currency) return { minor: above, label: formatMoney(above, currency) }
  const converted = convertMinor(above, from, currency)
  if (converted === null) return { minor: 0, label: `${formatMoney(above, from)} (no rate for ${currency}: any amount)` }
  return { minor: converted, label: `${formatMoney(above, from)} (about ${formatMoney(converted, currency)})` }
}

/**
 * The money a change moves (minor units of its account): a budget's change, a new campaign's budget, and for a
 * resume the budget that starts spending again — taken from the object written: an ad set's own budget (or its
 * campaign's, when the campaign holds the budget), an ad's ad set's (or that campaign's), a campaign's own budget
 * or, for a campaign on ad set budgets, the sum of its active ad sets' budgets.
 */
export async function spendAtStake(
  prisma: Pick<Prisma.TransactionClient, 'campaign' | 'adSet' | 'ad'>,
  change: Pick<GuardrailInput, 'type' | 'level' | 'campaignId' | 'adSetId' | 'adId' | 'currentValue' | 'proposedValue'>,
): Promise<number> {
  if (isBudgetChange(change.type)) return Math.abs((budgetOf(change.proposedValue) ?? 0) - (budgetOf(change.currentValue) ?? 0))
  if (change.type === 'CREATE_CAMPAIGN') return budgetOf(change.proposedValue) ?? 0
  if (change.type !== 'RESUME') return 0
  const level = change.level ?? 'campaign'
  let adSetId = level === 'adset' ? (change.adSetId ?? null) : null
  if (level === 'ad' && change.adId)
    adSetId = (await prisma.ad.findUnique({ where: { id: change.adId }, select: { adSetId: true } }))?.adSetId ?? change.adSetId ?? null
  if (adSetId) {
    const s = await prisma.adSet.findUnique({
      where: { id: adSetId },
      select: { dailyBudget: true, lifetimeBudget: true, campaignId: true },
    })
    const own = s?.dailyBudget ?? s?.lifetimeBudget
    if (own !== null && own !== undefined) return Number(own)
    return s ? campaignStake(prisma, s.campaignId, false) : 0
  }
  return change.campaignId ? campaignStake(prisma, change.campaignId, level === 'campaign') : 0
}

/** A campaign's budget, or (when `sumAdSets`) for a campaign on ad set budgets the sum of its active ad sets' budgets. */
async function campaignStake(prisma: Pick<Prisma.TransactionClient, 'campaign' | 'adSet'>, campaignId: string, sumAdSets: boolean) {
  const c = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { dailyBudget: true, lifetimeBudget: true } })
  const own = c?.dailyBudget ?? c?.lifetimeBudget
  if (own !== null && own !== undefined) return Number(own)
  if (!sumAdSets) return 0
  const adSets = await prisma.adSet.findMany({
    where: { campaignId, status: 'ACTIVE', effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } },
    select: { dailyBudget: true, lifetimeBudget: true },
  })
  return adSets.reduce((sum, s) => sum + Number(s.dailyBudget ?? s.lifetimeBudget ?? 0), 0)
}

/** What a new budget is measured against when the change has no current budget of its own. */
const SPEND_LOOKBACK_DAYS = 30
/**
 * For an account with neither budgets nor spend on record, the ceiling is `maxBudgetMultiple` × this notional
 * daily budget in US dollars, converted (default 10 × US$100 = about US$1,000/day; at most 20× = US$2,000).
 */
const FALLBACK_REFERENCE_USD = 100

type Ceiling =
  /** From the change's own budget or the account's budgets or spend: no override lifts it. */
  | { kind: 'reference'; ceiling: number; basis: string }
  /** Nothing to compare with: a converted amount (null for a currency without a rate); an admin may override. */
  | { kind: 'fallback'; ceiling: number | null; basis: string }

/**
 * The most a budget may be set to in one change; there is always one:
 * - `multiple` × the current budget, for a change of an existing budget;
 * - otherwise (a new campaign, a campaign without a campaign budget) `multiple` × the larger of the account's
 *   largest campaign daily budget and its highest daily spend over the last 30 days (stored metrics, all
 *   campaigns of the day summed) — ad-set budgets (CBO off) show in the spend;
 * - for an account with neither (new or empty): `multiple` × about US$100/day converted into the account's
 *   currency (usdToMinor). This one is a guess, not the account's own number, so an admin may override it.
 * Only stored data, the settings and the currency count, so the ceiling is the same at proposal, approval and
 * apply (an override given for the fallback never covers a real reference found by a sync in between).
 */
async function budgetCeiling(prisma: Db, input: GuardrailInput, multiple: number, from: number | null, now: Date): Promise<Ceiling> {
  if (from !== null && from > 0) return { kind: 'reference', ceiling: Math.floor(from * multiple), basis: `${multiple}× the budget` }
  const largest = await prisma.campaign.aggregate({ where: { adAccountId: input.adAccountId }, _max: { dailyBudget: true } })
  const days = await prisma.campaignDailyMetric.groupBy({
    by: ['date'],
    where: { adAccountId: input.adAccountId, date: { gte: new Date(now.getTime() - SPEND_LOOKBACK_DAYS * 24 * HOUR) } },
    _sum: { spend: true },
  })
  const budget = Number(largest._max.dailyBudget ?? 0)
  const spend = Math.max(0, ...days.map((d) => Number(d._sum.spend ?? 0)))
  if (budget > 0 || spend > 0) {
    const basis =
      budget >= spend
        ? `${multiple}× the account's largest campaign daily budget`
        : `${multiple}× the account's highest daily spend in the last ${SPEND_LOOKBACK_DAYS} days`
    return { kind: 'reference', ceiling: Math.floor(Math.max(budget, spend) * multiple), basis }
  }
  const perDay = usdToMinor(FALLBACK_REFERENCE_USD, input.currency)
  return {
    kind: 'fallback',
    ceiling: perDay === null ? null : Math.floor(perDay * multiple),
    basis:
      perDay === null
        ? `the account has no budgets or spend yet to compare with, and Promoly has no exchange rate for ${input.currency}`
        : `${multiple}× about US$${FALLBACK_REFERENCE_USD}/day in ${input.currency}, as the account has no budgets or spend yet to compare with`,
  }
}

function ceilingResult(to: number, c: Ceiling, fmt: (m: number) => string): GuardrailResult {
  if (c.kind === 'reference') {
    const ok = to <= c.ceiling
    return {
      name: 'budget_ceiling',
      ok,
      message: ok
        ? `within the ceiling of ${fmt(c.ceiling)} (${c.basis}) per change`
        : `${fmt(to)} is above the ceiling of ${fmt(c.ceiling)} per change (${c.basis}; no override lifts it)`,
    }
  }
  const ok = c.ceiling !== null && to <= c.ceiling
  const over =
    c.ceiling === null
      ? `${fmt(to)} has no ceiling to be checked against`
      : `${fmt(to)} is above the ceiling of ${fmt(c.ceiling)} per change`
  return {
    name: 'budget_fallback_ceiling',
    ok,
    message: ok
      ? `within the ceiling of ${fmt(c.ceiling ?? to)} per change (${c.basis})`
      : `${over} (${c.basis}); an admin can override this one with a stated reason`,
  }
}

/**
 * What pausing this ad (ad set) does when it is the last active one of its ad set (campaign): the parent stops
 * delivering. Null otherwise, and for campaigns.
 */
async function lastActive(prisma: Db, input: GuardrailInput): Promise<string | null> {
  const live = { status: 'ACTIVE', effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } }
  if (input.level === 'ad' && input.adId && input.adSetId) {
    const others = await prisma.ad.count({ where: { adSetId: input.adSetId, id: { not: input.adId }, ...live } })
    if (others > 0) return null
    const adSet = await prisma.adSet.findUnique({ where: { id: input.adSetId }, select: { name: true } })
    return `the last active ad of ad set “${adSet?.name ?? '?'}”: once it is paused, that ad set delivers nothing (it stays active) until another ad runs`
  }
  if (input.level === 'adset' && input.adSetId && input.campaignId) {
    const others = await prisma.adSet.count({ where: { campaignId: input.campaignId, id: { not: input.adSetId }, ...live } })
    if (others > 0) return null
    const campaign = await prisma.campaign.findUnique({ where: { id: input.campaignId }, select: { name: true } })
    return `the last active ad set of campaign “${campaign?.name ?? '?'}”: once it is paused, the campaign delivers nothing until another ad set runs`
  }
  return null
}

/** The informational "last active" line of a proposed pause (what it does to the parent), or null. */
export function lastActiveNote(change: { guardrails: unknown }): string | null {
  const line = ((change.guardrails ?? []) as GuardrailResult[]).find((g) => g.name === 'last_active')
  return line ? `Note: this is ${line.message}.` : null
}

export function failing(results: GuardrailResult[]): GuardrailResult[] {
  return results.filter((r) => !r.ok)
}
