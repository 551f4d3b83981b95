import type { ChangeType, PrismaClient } from '../../generated/prisma/client.ts'
import { currencyOffset, formatMoney } from '../../lib/money.ts'
import type { WorkspaceSettings } from '../settings/workspace-settings.ts'
import { budgetOf, isBudgetChange, proposedBudgetOf } from './change-values.ts'

export interface GuardrailResult {
  name: 'max_budget_change' | 'minimum_budget' | 'changes_per_day' | 'cooldown' | 'meta_budget_changes_per_hour' | 'created_paused'
  ok: boolean
  message: string
  /** When the limit frees up, for time-based guardrails. */
  freesAt?: string
}

export interface GuardrailInput {
  type: ChangeType
  adAccountId: string
  campaignId: string | null
  currentValue: unknown
  proposedValue: unknown
  currency: string
  /** Meta's minimum daily budget for the account (minor units), when known. */
  minimumDailyBudgetMinor?: number | null
  /** An undo restores a value that was there before: it is exempt from the per-action cap and the cooldown. */
  isUndo?: boolean
}

/** Changes that count against limits: applied ones, and approved ones on their way to Meta. */
const DECIDED = { in: ['APPROVED', 'APPLYING', 'APPLIED'] as Array<'APPROVED' | 'APPLYING' | 'APPLIED'> }

const HOUR = 3_600_000
/** Meta lets an ad set's (and a campaign's) budget change about 4 times an hour. */
const META_BUDGET_CHANGES_PER_HOUR = 4

/**
 * Guardrails in code, not in a prompt: each returns ok or the reason it refuses (and when the
 * limit frees up). Evaluated when a change is proposed (shown on the card) and again at approval.
 */
export async function evaluateGuardrails(
  prisma: PrismaClient,
  input: GuardrailInput,
  settings: WorkspaceSettings,
  now: Date,
  excludeChangeId?: string,
): Promise<GuardrailResult[]> {
  const notSelf = excludeChangeId ? { id: { not: excludeChangeId } } : {}
  const g = settings.guardrails
  const results: GuardrailResult[] = []
  const fmt = (m: number) => formatMoney(m, input.currency)

  if (isBudgetChange(input.type)) {
    const from = budgetOf(input.currentValue)
    const to = proposedBudgetOf(input.proposedValue)
    if (from !== null && from > 0 && !input.isUndo) {
      const pct = ((to - from) / from) * 100
      const ok = Math.abs(pct) <= g.maxBudgetChangePct + 1e-9
      results.push({
        name: 'max_budget_change',
        ok,
        message: ok
          ? `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}% is within the ±${g.maxBudgetChangePct}% limit per change`
          : `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}% exceeds the ±${g.maxBudgetChangePct}% limit per change (at most ${fmt(Math.round(from * (1 + (Math.sign(pct) * g.maxBudgetChangePct) / 100)))})`,
      })
    }
    const minimum = input.minimumDailyBudgetMinor ?? currencyOffset(input.currency)
    if (input.type === 'SET_DAILY_BUDGET') {
      const ok = to >= minimum
      results.push({
        name: 'minimum_budget',
        ok,
        message: ok ? `at least Meta's minimum of ${fmt(minimum)}/day` : `below Meta's minimum daily budget of ${fmt(minimum)}`,
      })
    }
    if (input.campaignId) {
      const recent = await prisma.changeRequest.findMany({
        where: {
          ...notSelf,
          campaignId: input.campaignId,
          status: DECIDED,
          type: { in: ['SET_DAILY_BUDGET', 'SET_LIFETIME_BUDGET'] },
          decidedAt: { gt: new Date(now.getTime() - HOUR) },
        },
        orderBy: { decidedAt: 'asc' },
        select: { decidedAt: true },
      })
      const ok = recent.length < META_BUDGET_CHANGES_PER_HOUR
      // The oldest of the hour's changes (decided, so decidedAt is set) leaves the window first.
      const oldest = recent[0]?.decidedAt
      const freesAt = ok || !oldest ? undefined : new Date(oldest.getTime() + HOUR).toISOString()
      results.push({
        name: 'meta_budget_changes_per_hour',
        ok,
        message: ok
          ? `${recent.length} of Meta's ${META_BUDGET_CHANGES_PER_HOUR} budget changes this hour`
          : `Meta allows ${META_BUDGET_CHANGES_PER_HOUR} budget changes per hour; the next is possible ${freesAt ? `at ${freesAt.slice(11, 16)} UTC` : 'within the hour'}`,
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
    if (to !== undefined)
      results.push({
        name: 'minimum_budget',
        ok: to >= minimum,
        message: to >= minimum ? `at least Meta's minimum of ${fmt(minimum)}/day` : `below Meta's minimum daily budget of ${fmt(minimum)}`,
      })
  }

  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  const today = await prisma.changeRequest.count({
    where: { ...notSelf, adAccountId: input.adAccountId, status: DECIDED, decidedAt: { gte: dayStart } },
  })
  const dayOk = today < g.maxChangesPerAccountPerDay
  results.push({
    name: 'changes_per_day',
    ok: dayOk,
    message: dayOk
      ? `${today} of ${g.maxChangesPerAccountPerDay} changes approved for this ad account today`
      : `${g.maxChangesPerAccountPerDay} changes were already approved for this ad account today (limit); it frees up at 00:00 UTC`,
    freesAt: dayOk ? undefined : new Date(dayStart.getTime() + 24 * HOUR).toISOString(),
  })

  if (input.campaignId && g.cooldownHours > 0 && !input.isUndo) {
    const last = await prisma.changeRequest.findFirst({
      where: { ...notSelf, campaignId: input.campaignId, status: DECIDED },
      orderBy: { decidedAt: 'desc' },
      select: { decidedAt: true },
    })
    const until = last?.decidedAt ? new Date(last.decidedAt.getTime() + g.cooldownHours * HOUR) : null
    const waitUntil = until && until > now ? until : null
    results.push({
      name: 'cooldown',
      ok: !waitUntil,
      message: waitUntil
        ? `this campaign was changed less than ${g.cooldownHours} h ago; the next change is possible at ${waitUntil.toISOString().slice(11, 16)} UTC`
        : `no change in the last ${g.cooldownHours} h`,
      freesAt: waitUntil?.toISOString(),
    })
  }
  return results
}

export function failing(results: GuardrailResult[]): GuardrailResult[] {
  return results.filter((r) => !r.ok)
}
