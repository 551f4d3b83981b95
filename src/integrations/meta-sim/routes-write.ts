/**
 * Write routes: POST /act_{id}/campaigns (create) and POST /{campaign_id} (status / budget / name).
 * Validation mirrors Meta: ODAX objectives only, ACTIVE|PAUSED at creation, special_ad_categories
 * required (with special_ad_category_country when a category applies), is_adset_budget_sharing_enabled required
 * without a campaign budget (v24+), per-currency minimum budgets (error 100/1885272 in the account currency), at most
 * 4 budget changes per object per hour (613/1487632), execution_options=["validate_only"].
 */
import { isCountryCode } from '../../lib/countries.ts'
import type { Ctx } from './context.ts'
import { invalidParameter, invalidParameterForUser } from './errors.ts'
import { applyStatus, checkEditable } from './object-edits.ts'
import type { AccountRecord, CampaignRecord } from './records.ts'
import type { HandlerResult } from './request.ts'
import type { CampaignStatus, Objective } from './types.ts'
import { checkBudgetChangeLimit, checkMinimum, isValidateOnly, parseBudget, parseJsonList, parseTime } from './write-validation.ts'

const OBJECTIVES: readonly Objective[] = [
  'OUTCOME_APP_PROMOTION',
  'OUTCOME_AWARENESS',
  'OUTCOME_ENGAGEMENT',
  'OUTCOME_LEADS',
  'OUTCOME_SALES',
  'OUTCOME_TRAFFIC',
]

const SPECIAL_AD_CATEGORIES = [
  'NONE',
  'EMPLOYMENT',
  'HOUSING',
  'CREDIT',
  'ISSUES_ELECTIONS_POLITICS',
  'ONLINE_GAMBLING_AND_GAMING',
  'FINANCIAL_PRODUCTS_SERVICES',
] as const

const BID_STRATEGIES = ['LOWEST_COST_WITHOUT_CAP', 'LOWEST_COST_WITH_BID_CAP', 'COST_CAP', 'LOWEST_COST_WITH_MIN_ROAS']

export function createCampaignHandler(ctx: Ctx, account: AccountRecord): HandlerResult {
  const p = ctx.req.params
  const name = p.get('name')
  if (name === undefined || name.trim() === '') throw invalidParameter('The parameter name is required')
  if (name.length > 400) throw invalidParameter('Param name must be at most 400 characters long')

  const objective = p.get('objective')
  if (objective === undefined || objective === '') throw invalidParameter('The parameter objective is required')
  if (!OBJECTIVES.includes(objective as Objective))
    throw invalidParameter(`objective must be one of the following values: ${OBJECTIVES.join(', ')}`)

  const status = p.get('status') ?? 'ACTIVE'
  if (status !== 'ACTIVE' && status !== 'PAUSED') throw invalidParameter('status must be one of the following values: ACTIVE, PAUSED')

  const sacRaw = p.get('special_ad_categories')
  if (sacRaw === undefined) throw invalidParameter('The parameter special_ad_categories is required')
  const categories = parseJsonList(sacRaw, 'special_ad_categories').map(String)
  categories.forEach((c, i) => {
    if (!(SPECIAL_AD_CATEGORIES as readonly string[]).includes(c)) {
      throw invalidParameter(`special_ad_categories[${i}] must be one of the following values: ${SPECIAL_AD_CATEGORIES.join(', ')}`)
    }
  })

  const countries = specialAdCategoryCountries(p.get('special_ad_category_country'), categories)

  const buyingType = p.get('buying_type') ?? 'AUCTION'
  if (buyingType !== 'AUCTION' && buyingType !== 'RESERVED')
    throw invalidParameter('buying_type must be one of the following values: AUCTION, RESERVED')
  const bidStrategy = p.get('bid_strategy')
  if (bidStrategy !== undefined && bidStrategy !== '' && !BID_STRATEGIES.includes(bidStrategy)) {
    throw invalidParameter(`bid_strategy must be one of the following values: ${BID_STRATEGIES.join(', ')}`)
  }

  const daily = parseBudget(p.get('daily_budget'), 'daily_budget')
  const lifetime = parseBudget(p.get('lifetime_budget'), 'lifetime_budget')
  if (daily !== undefined && lifetime !== undefined) {
    throw invalidParameterForUser('Choose One Budget Type', 'A campaign can have a daily budget or a lifetime budget, but not both.')
  }
  const startMs = parseTime(p.get('start_time'), 'start_time') ?? ctx.nowMs
  const stopMs = parseTime(p.get('stop_time'), 'stop_time')
  if (lifetime !== undefined && stopMs === undefined)
    throw invalidParameter('The parameter stop_time is required when lifetime_budget is set')
  if (stopMs !== undefined && stopMs <= startMs) throw invalidParameter('stop_time must be after start_time')
  checkMinimum(account, objective as Objective, daily, lifetime, startMs, stopMs)
  const sharing = p.get('is_adset_budget_sharing_enabled')
  if (sharing !== undefined && !['true', 'false', '1', '0'].includes(sharing)) {
    throw invalidParameter('Param is_adset_budget_sharing_enabled must be a boolean')
  }
  // Since v24 a campaign without a campaign budget must say whether its ad sets share budgets.
  if (daily === undefined && lifetime === undefined && sharing === undefined) {
    throw invalidParameterForUser(
      'Ad Set Budget Sharing Not Specified',
      'Must specify True or False in is_adset_budget_sharing_enabled field when the campaign does not use a campaign budget.',
    )
  }

  if (isValidateOnly(ctx)) return { body: { success: true }, accountId: account.id, isWriteCall: true, bucType: 'ads_management' }

  const id = ctx.state.allocateCampaignId(account.id)
  const campaign: CampaignRecord = {
    id,
    accountId: account.id,
    name,
    objective: objective as Objective,
    status,
    buyingType,
    specialAdCategories: categories.filter((c) => c !== 'NONE'),
    ...(countries.length > 0 ? { specialAdCategoryCountries: countries } : {}),
    budgets: [],
    activity: status === 'ACTIVE' ? [{ from: ctx.nowMs, to: stopMs ?? null }] : [],
    createdMs: ctx.nowMs,
    updatedMs: ctx.nowMs,
    startMs,
    profile: null,
    createdViaApi: true,
    budgetChangeTimes: [],
    budgetLevel: daily !== undefined || lifetime !== undefined ? 'campaign' : 'adset',
    adSetIds: [],
  }
  if (bidStrategy) campaign.bidStrategy = bidStrategy
  else if (daily !== undefined || lifetime !== undefined) campaign.bidStrategy = 'LOWEST_COST_WITHOUT_CAP'
  if (stopMs !== undefined) campaign.stopMs = stopMs
  if (daily !== undefined) campaign.budgets.push({ at: ctx.nowMs, daily })
  if (lifetime !== undefined) campaign.budgets.push({ at: ctx.nowMs, lifetime })
  ctx.state.addCampaign(campaign)
  return { body: { id }, accountId: account.id, write: true, isWriteCall: true, bucType: 'ads_management' }
}

/**
 * special_ad_category_country: ISO 3166 alpha-2 codes, required when a special ad category (other than NONE) is
 * declared ("If special_ad_categories are selected, you must also set a special_ad_category_country").
 */
function specialAdCategoryCountries(raw: string | undefined, categories: readonly string[]): string[] {
  const countries = raw === undefined ? [] : parseJsonList(raw, 'special_ad_category_country').map(String)
  countries.forEach((c, i) => {
    if (!isCountryCode(c)) throw invalidParameter(`Param special_ad_category_country[${i}] must be a valid ISO 3166-1 alpha-2 country code`)
  })
  if (categories.some((c) => c !== 'NONE') && countries.length === 0) {
    throw invalidParameterForUser(
      'Special Ad Category Country Required',
      'Your campaign has a special ad category, so you must also choose the countries where it applies in special_ad_category_country.',
    )
  }
  return countries
}

export const UPDATE_STATUSES: readonly CampaignStatus[] = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED']

export function updateCampaignHandler(ctx: Ctx, account: AccountRecord, c: CampaignRecord): HandlerResult {
  const p = ctx.req.params
  const base = { accountId: account.id, isWriteCall: true, bucType: 'ads_management' as const }
  const status = p.get('status')
  if (status !== undefined && !UPDATE_STATUSES.includes(status as CampaignStatus)) {
    throw invalidParameter(`status must be one of the following values: ${UPDATE_STATUSES.join(', ')}`)
  }
  const name = p.get('name')
  if (name !== undefined && (name.trim() === '' || name.length > 400))
    throw invalidParameter('Param name must be a non-empty string of at most 400 characters')
  const daily = parseBudget(p.get('daily_budget'), 'daily_budget')
  const lifetime = parseBudget(p.get('lifetime_budget'), 'lifetime_budget')
  const validateOnly = isValidateOnly(ctx)

  const changesSomething = status !== undefined || name !== undefined || daily !== undefined || lifetime !== undefined
  checkEditable('Campaign', c.status, status, name !== undefined || daily !== undefined || lifetime !== undefined)

  const current = c.budgets[c.budgets.length - 1]
  const budgetChange = daily !== undefined || lifetime !== undefined
  if (budgetChange) {
    if (daily !== undefined && lifetime !== undefined) {
      throw invalidParameterForUser('Choose One Budget Type', 'A campaign can have a daily budget or a lifetime budget, but not both.')
    }
    if (!current) {
      throw invalidParameterForUser('Budget Not Allowed', 'You can only set an ad set budget or a campaign budget.', 1885621)
    }
    if (daily !== undefined && current.daily === undefined) {
      throw invalidParameterForUser(
        'Can’t Change Budget Type',
        'This campaign uses a lifetime budget. You can change the amount, but not switch it to a daily budget.',
      )
    }
    if (lifetime !== undefined && current.lifetime === undefined) {
      throw invalidParameterForUser(
        'Can’t Change Budget Type',
        'This campaign uses a daily budget. You can change the amount, but not switch it to a lifetime budget.',
      )
    }
    checkMinimum(account, c.objective, daily, lifetime, c.startMs, c.stopMs)
    checkBudgetChangeLimit(c.budgetChangeTimes, ctx.nowMs)
  }

  if (validateOnly) return { body: { success: true }, ...base }

  if (budgetChange) {
    c.budgetChangeTimes = [...checkBudgetChangeLimit(c.budgetChangeTimes, ctx.nowMs), ctx.nowMs]
    c.budgets.push(daily !== undefined ? { at: ctx.nowMs, daily } : { at: ctx.nowMs, lifetime: lifetime ?? 0 })
  }
  if (name !== undefined) c.name = name
  if (status !== undefined) applyStatus(c, status as CampaignStatus, ctx.nowMs, c.stopMs)
  if (changesSomething) {
    c.updatedMs = ctx.nowMs
    ctx.state.touch()
  }
  return { body: { success: true }, ...base, write: true }
}
