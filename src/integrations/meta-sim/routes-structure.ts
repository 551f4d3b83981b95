/**
 * Ad set and ad reads: GET /act_{id}/adsets, /act_{id}/ads, /{campaign_id}/adsets, /{campaign_id}/ads,
 * /{adset_id}/ads (newest first, cursor-paged, ARCHIVED/DELETED left out unless filtered on effective_status), and
 * the nodes GET /{adset_id}, /{ad_id}. Ads support the expansion `creative{id,name,thumbnail_url,title,body}`.
 */
import type { Ctx } from './context.ts'
import { adEffectiveStatus, adSetEffectiveStatus } from './effective-status.ts'
import { nonexistingField } from './errors.ts'
import { learningStageInfo } from './learning.ts'
import { filterList } from './list-filtering.ts'
import type { AccountRecord, AdRecord, AdSetRecord, CampaignRecord } from './records.ts'
import { checkFields, type HandlerResult, paginate, parseFieldsWithExpansions } from './request.ts'
import { withId } from './routes-read.ts'
import type { SimState } from './state.ts'
import { graphTime } from './tz.ts'

const ADSET_FIELDS = new Set([
  'id',
  'account_id',
  'name',
  'campaign_id',
  'status',
  'configured_status',
  'effective_status',
  'daily_budget',
  'lifetime_budget',
  'bid_strategy',
  'bid_amount',
  'optimization_goal',
  'billing_event',
  'start_time',
  'end_time',
  'created_time',
  'updated_time',
  'learning_stage_info',
])

const AD_FIELDS = new Set([
  'id',
  'account_id',
  'name',
  'adset_id',
  'campaign_id',
  'status',
  'configured_status',
  'effective_status',
  'created_time',
  'updated_time',
  'creative',
])

const CREATIVE_FIELDS: ReadonlySet<string> = new Set(['id', 'name', 'thumbnail_url', 'title', 'body'])

/** Where a list was asked for: an account, a campaign or an ad set. */
export type ListParent =
  | { account: AccountRecord }
  | { account: AccountRecord; campaign: CampaignRecord }
  | { account: AccountRecord; adSet: AdSetRecord }

function campaignOf(state: SimState, id: string): CampaignRecord {
  const c = state.campaignRecord(id)
  if (!c) throw new Error(`meta-sim: unknown campaign ${id}`)
  return c
}

function adSetOf(state: SimState, id: string): AdSetRecord {
  const s = state.adSetRecord(id)
  if (!s) throw new Error(`meta-sim: unknown ad set ${id}`)
  return s
}

function newestFirst<T extends { createdMs: number; id: string }>(list: T[]): T[] {
  return list.sort((a, b) => b.createdMs - a.createdMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
}

function adSetObject(ctx: Ctx, account: AccountRecord, s: AdSetRecord, fields: string[]): Record<string, unknown> {
  const tz = account.timezoneName
  const c = campaignOf(ctx.state, s.campaignId)
  const budget = s.budgets[s.budgets.length - 1]
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    switch (f) {
      case 'id':
        out.id = s.id
        break
      case 'account_id':
        out.account_id = account.id
        break
      case 'name':
        out.name = s.name
        break
      case 'campaign_id':
        out.campaign_id = s.campaignId
        break
      case 'status':
      case 'configured_status':
        out[f] = s.status
        break
      case 'effective_status':
        out.effective_status = adSetEffectiveStatus(s, c)
        break
      case 'daily_budget':
        if (budget?.daily !== undefined) out.daily_budget = String(budget.daily)
        break
      case 'lifetime_budget':
        if (budget?.lifetime !== undefined) out.lifetime_budget = String(budget.lifetime)
        break
      case 'bid_strategy':
        out.bid_strategy = s.bidStrategy
        break
      case 'bid_amount':
        if (s.bidAmount !== undefined) out.bid_amount = s.bidAmount
        break
      case 'optimization_goal':
        out.optimization_goal = s.optimizationGoal
        break
      case 'billing_event':
        out.billing_event = s.billingEvent
        break
      case 'start_time':
        out.start_time = graphTime(s.startMs, tz)
        break
      case 'end_time':
        if (s.endMs !== undefined) out.end_time = graphTime(s.endMs, tz)
        break
      case 'created_time':
        out.created_time = graphTime(s.createdMs, tz)
        break
      case 'updated_time':
        out.updated_time = graphTime(s.updatedMs, tz)
        break
      case 'learning_stage_info': {
        const info = learningStageInfo(ctx.state, account, c, s, ctx.nowMs)
        if (info) out.learning_stage_info = info
        break
      }
      default:
        break
    }
  }
  return out
}

function creativeObject(a: AdRecord, sub: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of sub && sub.length > 0 ? sub : ['id']) {
    if (f === 'id') out.id = a.creative.id
    else if (f === 'name') out.name = a.creative.name
    else if (f === 'thumbnail_url') out.thumbnail_url = a.creative.thumbnailUrl
    else if (f === 'title') out.title = a.creative.title
    else if (f === 'body') out.body = a.creative.body
  }
  if (!('id' in out)) out.id = a.creative.id
  return out
}

function adObject(
  ctx: Ctx,
  account: AccountRecord,
  a: AdRecord,
  fields: string[],
  expansions: Record<string, string[]>,
): Record<string, unknown> {
  const tz = account.timezoneName
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    switch (f) {
      case 'id':
        out.id = a.id
        break
      case 'account_id':
        out.account_id = account.id
        break
      case 'name':
        out.name = a.name
        break
      case 'adset_id':
        out.adset_id = a.adSetId
        break
      case 'campaign_id':
        out.campaign_id = a.campaignId
        break
      case 'status':
      case 'configured_status':
        out[f] = a.status
        break
      case 'effective_status':
        out.effective_status = adEffectiveStatus(a, adSetOf(ctx.state, a.adSetId), campaignOf(ctx.state, a.campaignId))
        break
      case 'created_time':
        out.created_time = graphTime(a.createdMs, tz)
        break
      case 'updated_time':
        out.updated_time = graphTime(a.updatedMs, tz)
        break
      case 'creative':
        out.creative = creativeObject(a, expansions.creative)
        break
      default:
        break
    }
  }
  return out
}

function adSetFields(ctx: Ctx): string[] {
  const fields = parseFieldsWithExpansions(ctx.req.params.get('fields'), {})?.fields ?? ['id']
  checkFields(fields, ADSET_FIELDS, 'AdSet', nonexistingField)
  return withId(fields)
}

function adFields(ctx: Ctx): { fields: string[]; expansions: Record<string, string[]> } {
  const parsed = parseFieldsWithExpansions(ctx.req.params.get('fields'), { creative: CREATIVE_FIELDS }) ?? {
    fields: ['id'],
    expansions: {},
  }
  checkFields(parsed.fields, AD_FIELDS, 'Ad', nonexistingField)
  return { fields: withId(parsed.fields), expansions: parsed.expansions }
}

function listBody<T extends { id: string }>(ctx: Ctx, items: T[], toObject: (item: T) => Record<string, unknown>): Record<string, unknown> {
  const page = paginate(items, ctx, (i) => i.id)
  const body: Record<string, unknown> = { data: page.data.map(toObject) }
  if (page.paging) body.paging = page.paging
  const summary = ctx.req.params.get('summary')
  if (summary === 'true' || summary?.includes('total_count')) body.summary = { total_count: items.length }
  return body
}

function adSetsUnder(state: SimState, parent: ListParent): AdSetRecord[] {
  if ('campaign' in parent) return state.adSetsOf(parent.campaign)
  if ('adSet' in parent) return [parent.adSet]
  return state.campaignsOf(parent.account.id).flatMap((c) => state.adSetsOf(c))
}

export function adSetsListHandler(ctx: Ctx, parent: ListParent): HandlerResult {
  const { account } = parent
  const fields = adSetFields(ctx)
  const all = newestFirst(adSetsUnder(ctx.state, parent))
  const list = filterList(ctx, 'adset', all, (s) => ({
    id: s.id,
    name: s.name,
    status: s.status,
    effectiveStatus: adSetEffectiveStatus(s, campaignOf(ctx.state, s.campaignId)),
    campaignId: s.campaignId,
  }))
  return { body: listBody(ctx, list, (s) => adSetObject(ctx, account, s, fields)), accountId: account.id }
}

export function adsListHandler(ctx: Ctx, parent: ListParent): HandlerResult {
  const { account } = parent
  const { fields, expansions } = adFields(ctx)
  const all = newestFirst(adSetsUnder(ctx.state, parent).flatMap((s) => ctx.state.adsOf(s)))
  const list = filterList(ctx, 'ad', all, (a) => ({
    id: a.id,
    name: a.name,
    status: a.status,
    effectiveStatus: adEffectiveStatus(a, adSetOf(ctx.state, a.adSetId), campaignOf(ctx.state, a.campaignId)),
    campaignId: a.campaignId,
    adSetId: a.adSetId,
  }))
  return { body: listBody(ctx, list, (a) => adObject(ctx, account, a, fields, expansions)), accountId: account.id }
}

export function adSetHandler(ctx: Ctx, account: AccountRecord, s: AdSetRecord): HandlerResult {
  return { body: adSetObject(ctx, account, s, adSetFields(ctx)), accountId: account.id }
}

export function adHandler(ctx: Ctx, account: AccountRecord, a: AdRecord): HandlerResult {
  const { fields, expansions } = adFields(ctx)
  return { body: adObject(ctx, account, a, fields, expansions), accountId: account.id }
}
