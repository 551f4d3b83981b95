/**
 * Writes below the campaign and deletions: POST /{adset_id} (status, name, daily_budget / lifetime_budget, bid_amount),
 * POST /{ad_id} (status, name) and DELETE /{campaign|adset|ad id}. Like Meta: an ad set of a campaign-budget campaign
 * refuses a budget (100/1885621), an ad set budget changes at most 4 times per hour (613/1487632), a budget change of
 * 20% or more restarts the learning phase, archived objects can only be deleted and deleted ones not edited.
 */
import type { Ctx } from './context.ts'
import { invalidParameter, invalidParameterForUser } from './errors.ts'
import { applyStatus, checkEditable, isSignificantBudgetChange } from './object-edits.ts'
import type { AccountRecord, AdRecord, AdSetRecord, BudgetEntry, CampaignRecord, ObjectStatus } from './records.ts'
import type { HandlerResult } from './request.ts'
import { UPDATE_STATUSES } from './routes-write.ts'
import { checkBudgetChangeLimit, checkMinimum, isValidateOnly, parseBudget } from './write-validation.ts'

function parseStatus(ctx: Ctx): ObjectStatus | undefined {
  const status = ctx.req.params.get('status')
  if (status !== undefined && !UPDATE_STATUSES.includes(status as ObjectStatus)) {
    throw invalidParameter(`status must be one of the following values: ${UPDATE_STATUSES.join(', ')}`)
  }
  return status as ObjectStatus | undefined
}

function parseName(ctx: Ctx): string | undefined {
  const name = ctx.req.params.get('name')
  if (name !== undefined && (name.trim() === '' || name.length > 400))
    throw invalidParameter('Param name must be a non-empty string of at most 400 characters')
  return name
}

function written(account: AccountRecord, changed: boolean, objectId: string): HandlerResult {
  return { body: { success: true }, accountId: account.id, isWriteCall: true, bucType: 'ads_management', write: changed, objectId }
}

function campaignOf(ctx: Ctx, id: string): CampaignRecord {
  const c = ctx.state.campaignRecord(id)
  if (!c) throw new Error(`meta-sim: unknown campaign ${id}`)
  return c
}

export function updateAdSetHandler(ctx: Ctx, account: AccountRecord, s: AdSetRecord): HandlerResult {
  const p = ctx.req.params
  const status = parseStatus(ctx)
  const name = parseName(ctx)
  const daily = parseBudget(p.get('daily_budget'), 'daily_budget')
  const lifetime = parseBudget(p.get('lifetime_budget'), 'lifetime_budget')
  const bid = parseBudget(p.get('bid_amount'), 'bid_amount')
  const validateOnly = isValidateOnly(ctx)
  checkEditable('Ad Set', s.status, status, name !== undefined || daily !== undefined || lifetime !== undefined || bid !== undefined)
  const campaign = campaignOf(ctx, s.campaignId)
  const current = s.budgets[s.budgets.length - 1]
  const budgetChange = daily !== undefined || lifetime !== undefined
  let entry: BudgetEntry | undefined
  if (budgetChange) {
    if (!current || campaign.budgetLevel === 'campaign') {
      throw invalidParameterForUser('Budget Not Allowed', 'You can only set an ad set budget or a campaign budget.', 1885621)
    }
    if (daily !== undefined && lifetime !== undefined) {
      throw invalidParameterForUser('Choose One Budget Type', 'An ad set can have a daily budget or a lifetime budget, but not both.')
    }
    if ((daily !== undefined && current.daily === undefined) || (lifetime !== undefined && current.lifetime === undefined)) {
      throw invalidParameterForUser(
        'Can’t Change Budget Type',
        `This ad set uses a ${current.daily !== undefined ? 'daily' : 'lifetime'} budget. You can change the amount, but not the budget type.`,
      )
    }
    checkMinimum(account, campaign.objective, daily, lifetime, s.startMs, s.endMs, 'ad set', [s.optimizationGoal])
    checkBudgetChangeLimit(s.budgetChangeTimes, ctx.nowMs)
    entry = daily !== undefined ? { at: ctx.nowMs, daily } : { at: ctx.nowMs, lifetime: lifetime ?? 0 }
  }
  if (validateOnly) return written(account, false, s.id)

  let changed = false
  if (entry) {
    s.budgetChangeTimes = [...checkBudgetChangeLimit(s.budgetChangeTimes, ctx.nowMs), ctx.nowMs]
    if (isSignificantBudgetChange(current, entry)) s.significantEdits.push(ctx.nowMs)
    s.budgets.push(entry)
    changed = true
  }
  if (bid !== undefined) {
    s.bidAmount = bid
    changed = true
  }
  if (name !== undefined) {
    s.name = name
    changed = true
  }
  if (status !== undefined && applyStatus(s, status, ctx.nowMs, s.endMs)) changed = true
  if (changed) {
    s.updatedMs = ctx.nowMs
    ctx.state.touch()
  }
  return written(account, changed, s.id)
}

export function updateAdHandler(ctx: Ctx, account: AccountRecord, a: AdRecord): HandlerResult {
  const status = parseStatus(ctx)
  const name = parseName(ctx)
  for (const param of ['daily_budget', 'lifetime_budget', 'bid_amount']) {
    if (ctx.req.params.has(param)) throw invalidParameter(`Param ${param} is not a field of an ad; set budgets on its ad set or campaign`)
  }
  const validateOnly = isValidateOnly(ctx)
  checkEditable('Ad', a.status, status, name !== undefined)
  if (validateOnly) return written(account, false, a.id)
  let changed = false
  if (name !== undefined) {
    a.name = name
    a.updatedMs = ctx.nowMs
    changed = true
  }
  if (status !== undefined && applyStatus(a, status, ctx.nowMs)) changed = true
  if (changed) ctx.state.touch()
  return written(account, changed, a.id)
}

/** DELETE /{id}: the object's status becomes DELETED ({"success": true}); its past delivery stays. */
export function deleteObjectHandler(ctx: Ctx, account: AccountRecord, o: CampaignRecord | AdSetRecord | AdRecord): HandlerResult {
  const end = 'stopMs' in o ? o.stopMs : 'endMs' in o ? o.endMs : undefined
  const changed = applyStatus(o, 'DELETED', ctx.nowMs, end)
  if (changed) ctx.state.touch()
  return written(account, changed, o.id)
}
