/**
 * Status and budget edits shared by the write routes and the "Ads Manager" helpers (changes made outside the API):
 * switching an object off ends its current activity span (its past delivery stays), switching it on opens a new one.
 * The world version is bumped so cached insights are recomputed.
 */
import { invalidParameterForUser } from './errors.ts'
import type { ActivitySpan, BudgetEntry, ObjectStatus } from './records.ts'
import type { SimState } from './state.ts'
import type { AdsManagerEdits } from './types.ts'
import { addDays, dayBounds, localDate } from './tz.ts'

interface Switchable {
  status: ObjectStatus
  activity: ActivitySpan[]
  updatedMs: number
}

/** Sets `status` at `nowMs`; `endMs` is when delivery is scheduled to end anyway (campaign stop_time, ad set end_time). */
export function applyStatus(o: Switchable, status: ObjectStatus, nowMs: number, endMs?: number): boolean {
  if (status === o.status) return false
  const last = o.activity[o.activity.length - 1]
  if (status === 'ACTIVE') {
    o.activity.push({ from: nowMs, to: endMs === undefined ? null : Math.max(nowMs, endMs) })
  } else if (last && (last.to === null || last.to > nowMs)) {
    last.to = nowMs
  }
  o.status = status
  o.updatedMs = nowMs
  return true
}

/** Meta lets archived objects only be deleted, and deleted ones not be edited at all. */
export function checkEditable(
  kind: 'Campaign' | 'Ad Set' | 'Ad',
  current: ObjectStatus,
  status: string | undefined,
  otherChanges: boolean,
): void {
  const noun = kind === 'Ad Set' ? 'ad sets' : `${kind.toLowerCase()}s`
  if (current === 'DELETED' && (otherChanges || (status !== undefined && status !== 'DELETED'))) {
    throw invalidParameterForUser(`${kind} Is Deleted`, `Deleted ${noun} can’t be edited.`)
  }
  if (current === 'ARCHIVED' && (otherChanges || (status !== undefined && status !== 'ARCHIVED' && status !== 'DELETED'))) {
    throw invalidParameterForUser(
      `${kind} Is Archived`,
      `Archived ${noun} can’t be edited. Duplicate the ${kind === 'Ad Set' ? 'ad set' : kind.toLowerCase()} to run it again.`,
    )
  }
}

/** Relative budget change from which Meta restarts the learning phase. */
const SIGNIFICANT_BUDGET_CHANGE = 0.2

/** Whether moving from `before` to `entry` is a significant edit (restarts learning). */
export function isSignificantBudgetChange(before: BudgetEntry | undefined, entry: BudgetEntry): boolean {
  const from = before?.daily ?? before?.lifetime
  const to = entry.daily ?? entry.lifetime
  if (from === undefined || to === undefined || from <= 0) return false
  return Math.abs(to - from) / from >= SIGNIFICANT_BUDGET_CHANGE
}

export function adsManager(state: SimState): AdsManagerEdits {
  return {
    setStatus(id, status) {
      const now = state.nowMs()
      const campaign = state.campaignRecord(id)
      const adSet = campaign ? undefined : state.adSetRecord(id)
      const ad = campaign || adSet ? undefined : state.adRecord(id)
      const target = campaign ?? adSet ?? ad
      if (!target) throw new Error(`meta-sim: no campaign, ad set or ad ${id}`)
      if (!['ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED'].includes(status)) throw new Error(`meta-sim: invalid status ${status}`)
      if (applyStatus(target, status, now, campaign?.stopMs ?? adSet?.endMs)) state.touch()
    },
    setBudget(id, budget) {
      const now = state.nowMs()
      const target = state.campaignRecord(id) ?? state.adSetRecord(id)
      if (!target) throw new Error(`meta-sim: no campaign or ad set ${id}`)
      if (target.budgets.length === 0)
        throw new Error(`meta-sim: ${id} holds no budget (it is on the ${'adIds' in target ? 'campaign' : 'ad sets'})`)
      const entry: BudgetEntry = 'daily' in budget ? { at: now, daily: budget.daily } : { at: now, lifetime: budget.lifetime }
      if ('significantEdits' in target && isSignificantBudgetChange(target.budgets[target.budgets.length - 1], entry))
        target.significantEdits.push(now)
      target.budgets.push(entry)
      target.updatedMs = now
      state.touch()
    },
    surge(id, factor) {
      const campaign = state.campaignRecord(id)
      if (!campaign) throw new Error(`meta-sim: no campaign ${id}`)
      if (!(factor >= 1 && factor <= 20)) throw new Error('meta-sim: a pacing factor is between 1 and 20')
      campaign.surge = { fromMs: state.nowMs(), factor }
      state.touch()
    },
    raiseCostPerResult(id, factor, sinceDaysAgo) {
      const campaign = state.campaignRecord(id)
      if (!campaign) throw new Error(`meta-sim: no campaign ${id}`)
      if (!(factor >= 1 && factor <= 20)) throw new Error('meta-sim: a cost-per-result factor is between 1 and 20')
      if (!(Number.isInteger(sinceDaysAgo) && sinceDaysAgo >= 0 && sinceDaysAgo <= 14))
        throw new Error('meta-sim: since_days_ago is a whole number of days between 0 and 14')
      const account = state.accountRecord(campaign.accountId)
      if (!account) throw new Error(`meta-sim: no account ${campaign.accountId}`)
      const now = state.nowMs()
      // Past days change from their start (their cached numbers are dropped by touch()); today from now on.
      const fromMs =
        sinceDaysAgo === 0 ? now : dayBounds(addDays(localDate(now, account.timezoneName), -sinceDaysAgo), account.timezoneName).start
      if (factor === 1) delete campaign.costPerResult
      else campaign.costPerResult = { fromMs, factor }
      state.touch()
    },
  }
}
