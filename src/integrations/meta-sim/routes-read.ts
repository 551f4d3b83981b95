/** Read routes: /me, /me/adaccounts, /act_{id}, /act_{id}/campaigns, /{campaign_id}, minimum_budgets, debug_token. */
import type { Ctx } from './context.ts'
import { minimumBudgets } from './currency.ts'
import { campaignEffectiveStatus } from './effective-status.ts'
import { invalidParameter, nonexistingField } from './errors.ts'
import { filterList } from './list-filtering.ts'
import type { AccountRecord, CampaignRecord } from './records.ts'
import { checkFields, type HandlerResult, paginate, parseFields } from './request.ts'
import { addDays, graphTime, localDate, offsetMinutes } from './tz.ts'

const SIM_USER = { id: '100089000000042', name: 'Promoly Simulator System User' }

/** Graph includes `id` on node reads even when it was not asked for. */
export function withId(fields: string[]): string[] {
  return fields.includes('id') ? fields : [...fields, 'id']
}

export function meHandler(ctx: Ctx): HandlerResult {
  const fields = parseFields(ctx.req.params.get('fields')) ?? ['name', 'id']
  checkFields(fields, new Set(['id', 'name']), 'User', nonexistingField)
  const body: Record<string, unknown> = {}
  for (const f of withId(fields)) body[f] = f === 'id' ? SIM_USER.id : SIM_USER.name
  return { body }
}

const ACCOUNT_FIELDS = new Set([
  'id',
  'account_id',
  'name',
  'currency',
  'timezone_name',
  'timezone_offset_hours_utc',
  'account_status',
  'disable_reason',
  'amount_spent',
  'min_daily_budget',
  'business_name',
  'business_country_code',
])

function amountSpentMinor(ctx: Ctx, account: AccountRecord): number {
  let total = 0
  const today = localDate(ctx.nowMs, account.timezoneName)
  for (const c of ctx.state.campaignsOf(account.id)) {
    if (!c.profile) continue
    for (let d = localDate(c.startMs, account.timezoneName); d <= today; d = addDays(d, 1)) {
      total += ctx.state.day(account, c, d, ctx.nowMs).campaign.spendMinor
    }
  }
  return total
}

function accountObject(ctx: Ctx, account: AccountRecord, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    switch (f) {
      case 'id':
        out.id = `act_${account.id}`
        break
      case 'account_id':
        out.account_id = account.id
        break
      case 'name':
        out.name = account.name
        break
      case 'currency':
        out.currency = account.currency
        break
      case 'timezone_name':
        out.timezone_name = account.timezoneName
        break
      case 'timezone_offset_hours_utc':
        out.timezone_offset_hours_utc = offsetMinutes(ctx.nowMs, account.timezoneName) / 60
        break
      case 'business_country_code':
        if (account.businessCountryCode) out.business_country_code = account.businessCountryCode
        break
      case 'account_status':
        out.account_status = account.accountStatus
        break
      case 'disable_reason':
        out.disable_reason = 0
        break
      case 'amount_spent':
        out.amount_spent = String(amountSpentMinor(ctx, account))
        break
      case 'min_daily_budget':
        out.min_daily_budget = minimumBudgets(account.currency).min_daily_budget_imp
        break
      case 'business_name':
        out.business_name = account.name
        break
      default:
        break
    }
  }
  return out
}

export function adAccountsHandler(ctx: Ctx): HandlerResult {
  const fields = parseFields(ctx.req.params.get('fields')) ?? ['account_id', 'id']
  checkFields(fields, ACCOUNT_FIELDS, 'AdAccount', nonexistingField)
  const accounts = [...ctx.state.accountMap.values()]
  const page = paginate(accounts, ctx)
  const body: Record<string, unknown> = { data: page.data.map((a) => accountObject(ctx, a, withId(fields))) }
  if (page.paging) body.paging = page.paging
  return { body }
}

export function accountHandler(ctx: Ctx, account: AccountRecord): HandlerResult {
  const fields = parseFields(ctx.req.params.get('fields')) ?? ['account_id', 'id']
  checkFields(fields, ACCOUNT_FIELDS, 'AdAccount', nonexistingField)
  return { body: accountObject(ctx, account, withId(fields)), accountId: account.id }
}

const CAMPAIGN_FIELDS = new Set([
  'id',
  'account_id',
  'name',
  'objective',
  'status',
  'configured_status',
  'effective_status',
  'daily_budget',
  'lifetime_budget',
  'budget_remaining',
  'bid_strategy',
  'buying_type',
  'special_ad_categories',
  'special_ad_category',
  'special_ad_category_country',
  'start_time',
  'stop_time',
  'created_time',
  'updated_time',
])

function budgetRemaining(ctx: Ctx, account: AccountRecord, c: CampaignRecord): number {
  const current = c.budgets[c.budgets.length - 1]
  if (!current) return 0
  const today = localDate(ctx.nowMs, account.timezoneName)
  if (current.daily !== undefined) {
    return Math.max(0, current.daily - ctx.state.day(account, c, today, ctx.nowMs).campaign.spendMinor)
  }
  if (current.lifetime !== undefined) {
    let spent = 0
    for (let d = localDate(c.startMs, account.timezoneName); d <= today; d = addDays(d, 1))
      spent += ctx.state.day(account, c, d, ctx.nowMs).campaign.spendMinor
    return Math.max(0, current.lifetime - spent)
  }
  return 0
}

function campaignObject(ctx: Ctx, account: AccountRecord, c: CampaignRecord, fields: string[]): Record<string, unknown> {
  const tz = account.timezoneName
  const budget = c.budgets[c.budgets.length - 1]
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    switch (f) {
      case 'id':
        out.id = c.id
        break
      case 'account_id':
        out.account_id = account.id
        break
      case 'name':
        out.name = c.name
        break
      case 'objective':
        out.objective = c.objective
        break
      case 'status':
        out.status = c.status
        break
      case 'configured_status':
        out.configured_status = c.status
        break
      case 'effective_status':
        out.effective_status = campaignEffectiveStatus(c)
        break
      case 'daily_budget':
        if (budget?.daily !== undefined) out.daily_budget = String(budget.daily)
        break
      case 'lifetime_budget':
        if (budget?.lifetime !== undefined) out.lifetime_budget = String(budget.lifetime)
        break
      case 'budget_remaining':
        out.budget_remaining = String(budgetRemaining(ctx, account, c))
        break
      case 'bid_strategy':
        if (c.bidStrategy && budget) out.bid_strategy = c.bidStrategy
        break
      case 'buying_type':
        out.buying_type = c.buyingType
        break
      case 'special_ad_categories':
        out.special_ad_categories = [...c.specialAdCategories]
        break
      case 'special_ad_category':
        out.special_ad_category = c.specialAdCategories[0] ?? 'NONE'
        break
      case 'special_ad_category_country':
        out.special_ad_category_country = [...(c.specialAdCategoryCountries ?? [])]
        break
      case 'start_time':
        out.start_time = graphTime(c.startMs, tz)
        break
      case 'stop_time':
        if (c.stopMs !== undefined) out.stop_time = graphTime(c.stopMs, tz)
        break
      case 'created_time':
        out.created_time = graphTime(c.createdMs, tz)
        break
      case 'updated_time':
        out.updated_time = graphTime(c.updatedMs, tz)
        break
      default:
        break
    }
  }
  return out
}

export function campaignsListHandler(ctx: Ctx, account: AccountRecord): HandlerResult {
  const fields = parseFields(ctx.req.params.get('fields')) ?? ['id']
  checkFields(fields, CAMPAIGN_FIELDS, 'Campaign', nonexistingField)
  const all = ctx.state.campaignsOf(account.id).reverse()
  const campaigns = filterList(ctx, 'campaign', all, (c) => ({
    id: c.id,
    name: c.name,
    objective: c.objective,
    status: c.status,
    effectiveStatus: campaignEffectiveStatus(c),
  }))
  const page = paginate(campaigns, ctx, (c) => c.id)
  const body: Record<string, unknown> = { data: page.data.map((c) => campaignObject(ctx, account, c, withId(fields))) }
  if (page.paging) body.paging = page.paging
  const summary = ctx.req.params.get('summary')
  if (summary === 'true' || summary?.includes('total_count')) body.summary = { total_count: campaigns.length }
  return { body, accountId: account.id }
}

export function campaignHandler(ctx: Ctx, account: AccountRecord, c: CampaignRecord): HandlerResult {
  const fields = parseFields(ctx.req.params.get('fields')) ?? ['id']
  checkFields(fields, CAMPAIGN_FIELDS, 'Campaign', nonexistingField)
  return { body: campaignObject(ctx, account, c, withId(fields)), accountId: account.id }
}

export function minimumBudgetsHandler(ctx: Ctx, account: AccountRecord): HandlerResult {
  const bidRaw = ctx.req.params.get('bid_amount')
  let bid: number | undefined
  if (bidRaw !== undefined && bidRaw !== '') {
    if (!/^\d+$/.test(bidRaw)) throw invalidParameter('Param bid_amount must be an integer')
    bid = Number(bidRaw)
  }
  return { body: { data: [minimumBudgets(account.currency, bid)] }, accountId: account.id }
}

export interface TokenInfo {
  valid: boolean
  expiredAtMs?: number
  expiredMessage?: string
}

export function debugTokenHandler(ctx: Ctx, inspect: (token: string) => TokenInfo, issuedAtMs: number): HandlerResult {
  const input = ctx.req.params.get('input_token')
  if (input === undefined || input === '') throw invalidParameter('The parameter input_token is required')
  const info = inspect(input)
  if (!info.valid && info.expiredAtMs === undefined) {
    return {
      body: {
        data: { error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }, is_valid: false, scopes: [] },
      },
    }
  }
  const data: Record<string, unknown> = {
    app_id: Number(ctx.config.appId),
    type: 'SYSTEM_USER',
    application: 'Promoly (Meta simulator)',
    data_access_expires_at: 0,
  }
  if (info.expiredAtMs !== undefined) {
    data.error = { code: 190, message: info.expiredMessage ?? 'Error validating access token: Session has expired', subcode: 463 }
    data.expires_at = Math.floor(info.expiredAtMs / 1000)
    data.is_valid = false
  } else {
    data.expires_at = 0
    data.is_valid = true
  }
  data.issued_at = Math.floor(issuedAtMs / 1000)
  data.scopes = ['ads_management', 'ads_read', 'business_management', 'public_profile']
  data.granular_scopes = [
    { scope: 'ads_management', target_ids: [...ctx.state.accountMap.keys()] },
    { scope: 'ads_read', target_ids: [...ctx.state.accountMap.keys()] },
    { scope: 'business_management' },
  ]
  data.user_id = SIM_USER.id
  return { body: { data } }
}
