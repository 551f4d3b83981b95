/**
 * The ad sets of a campaign, or the ads of a campaign or ad set, by spend over a period, with the figures the campaign
 * list shows (spend, results of the campaign's objective, cost per result, CTR, ROAS) and, for ad sets, their budget,
 * bid strategy, optimisation goal and learning stage; for ads, their creative and ad set. Live ones by default; how
 * many archived or deleted ones are left out is counted so the reply can say so.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { fromDbDate, type IsoDate } from '../../lib/dates.ts'
import { AppError, AppErrorCode, isAppError } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import { type LevelTotals, loadLevelTotals, type StatusFilter, statusWhere } from '../metrics/load-level-totals.ts'
import { type DateRange, type PeriodKey, resolvePeriod } from '../metrics/periods.ts'
import { type DerivedMetrics, deriveMetrics, type Metrics, zeroMetrics } from '../metrics/vocabulary.ts'
import { type FoundObject, findObject, goneWord, matchObjects, objectOf } from './find-object.ts'

export type ListLevel = 'adset' | 'ad'

export interface LevelFigures {
  /** "Yesterday", "7 days", or the period asked ("Last 14 days", "Nov 1 – Nov 15"). */
  label: string
  range: DateRange
  totals: Metrics
  derived: DerivedMetrics
}

export interface LevelListItem {
  level: ListLevel
  id: string
  metaId: string
  name: string
  status: string
  effectiveStatus: string
  /** Deleted or archived on Meta (shown only when asked for). */
  gone: 'deleted' | 'archived' | null
  campaign: { id: string; name: string }
  /** Ads: their ad set. */
  adSet: { id: string; name: string } | null
  /** Ads: their creative's name. */
  creativeName: string | null
  /** One per period shown, in the order shown; the last one orders the list. */
  figures: LevelFigures[]
  /** Ad sets: their own budget (minor units), else null (the campaign's, or none). */
  dailyBudget: number | null
  lifetimeBudget: number | null
  bidStrategy: string | null
  /** Minor units; bid cap or cost cap. */
  bidAmount: number | null
  optimizationGoal: string | null
  /** Meta's learning_stage_info.status: LEARNING, SUCCESS, FAIL (learning limited); null when Meta gives none. */
  learningStage: string | null
}

export interface LevelList {
  level: ListLevel
  /** The campaign (ad sets, ads) or ad set (ads) listed. */
  parent: FoundObject
  account: { name: string; currency: string; timeZone: string; metaAccountId: string }
  /** Whether the campaign has a budget of its own (its ad sets without one use it). */
  campaignBudget: boolean
  status: StatusFilter
  items: LevelListItem[]
  /** Archived or deleted ones left out (status `live`). */
  hidden: number
  /** How many the parent has in Promoly, whatever their status: 0 = none synced yet. */
  total: number
  /** The first account-local day with ad-level figures; null: none synced yet. */
  adLevelSince: IsoDate | null
  /** The earliest day shown (ad-level figures before adLevelSince are unknown, not zero). */
  since: IsoDate
}

export interface ListLevelOptions {
  scope: ClientScope
  level: ListLevel
  /** The campaign (ad sets), or campaign or ad set (ads): id or name. */
  target: string
  /** None: yesterday and the last 7 days, as `/promoly campaigns` shows. */
  period?: PeriodKey
  status?: StatusFilter
  now: Date
}

const num = (v: bigint | null): number | null => (v === null ? null : Number(v))

/** Ad sets of a campaign, or ads of a campaign or ad set, of the scope (the parent found like findObject finds it). */
export async function listAdSetsOrAds(prisma: PrismaClient, options: ListLevelOptions): Promise<LevelList> {
  const { level } = options
  const parent = await findObject(prisma, options.scope, options.target, level === 'adset' ? ['campaign'] : ['campaign', 'adset'], {
    notFound:
      level === 'adset'
        ? `No campaign matches "${echoInput(options.target)}". See \`/promoly campaigns\`.`
        : `No campaign or ad set matches "${echoInput(options.target)}". See \`/promoly campaigns\` and \`/promoly adsets <campaign>\`.`,
  }).catch(async (err: unknown) => {
    throw (await otherLevelHint(prisma, options.scope, options.target, level)) ?? err
  })
  const { account, campaign } = parent
  const status = options.status ?? 'live'
  const periods = options.period
    ? [{ label: resolvePeriod(options.period, options.now, account.timezoneName).label, key: options.period }]
    : [
        { label: 'Yesterday', key: 'yesterday' },
        { label: '7 days', key: 'last_7d' },
      ]
  const ranges = periods.map((p) => ({ label: p.label, range: resolvePeriod(p.key, options.now, account.timezoneName).current }))
  const under = parent.adSet ? { adSetId: parent.adSet.id } : { campaignId: campaign.id }
  const base = { adAccountId: account.id, level, ...under, status }
  const count = (where: ReturnType<typeof statusWhere>) =>
    level === 'adset' ? prisma.adSet.count({ where: { ...under, ...where } }) : prisma.ad.count({ where: { ...under, ...where } })
  const [sums, hidden, total] = await Promise.all([
    Promise.all(ranges.map((r) => loadLevelTotals(prisma, { ...base, range: r.range }))),
    status === 'live' ? count(statusWhere('archived')) : Promise.resolve(0),
    count({}),
  ])
  // Ordered as the last period orders them (by spend); the other periods' sums by id.
  const main = sums[sums.length - 1] ?? []
  const byId = sums.map((rows) => new Map(rows.map((r) => [r.id, r])))
  const details =
    level === 'adset'
      ? new Map(
          (
            await prisma.adSet.findMany({
              where: { id: { in: main.map((r) => r.id) } },
              select: { id: true, bidStrategy: true, bidAmount: true, optimizationGoal: true, learningStage: true },
            })
          ).map((s) => [s.id, s]),
        )
      : new Map<string, never>()
  const items = main.map((row): LevelListItem => {
    const d = details.get(row.id)
    return {
      level,
      id: row.id,
      metaId: row.metaId,
      name: row.name,
      status: row.status,
      effectiveStatus: row.effectiveStatus,
      gone: goneWord(row),
      campaign: row.campaign,
      adSet: row.adSet,
      creativeName: row.creativeName,
      figures: ranges.map((r, i) => figuresOf(r, byId[i]?.get(row.id) ?? { ...row, ...zeroMetrics() }, row.objective)),
      dailyBudget: row.dailyBudget,
      lifetimeBudget: row.lifetimeBudget,
      bidStrategy: d?.bidStrategy ?? null,
      bidAmount: num(d?.bidAmount ?? null),
      optimizationGoal: d?.optimizationGoal ?? null,
      learningStage: d?.learningStage ?? null,
    }
  })
  return {
    level,
    parent,
    account: { name: account.name, currency: account.currency, timeZone: account.timezoneName, metaAccountId: account.metaAccountId },
    campaignBudget: campaign.dailyBudget !== null || campaign.lifetimeBudget !== null,
    status,
    items,
    hidden,
    total,
    adLevelSince: account.adLevelSince ? fromDbDate(account.adLevelSince) : null,
    since: ranges.map((r) => r.range.since).sort()[0] ?? '',
  }
}

function figuresOf(r: { label: string; range: DateRange }, row: LevelTotals, objective: string): LevelFigures {
  return { label: r.label, range: r.range, totals: row, derived: deriveMetrics(row, objective) }
}

/**
 * When the id typed is an object of another level (an ad set's id given to `adsets`, an ad's to `ads`), the commands
 * that take it, instead of "no match"; null when it is not such an id.
 */
async function otherLevelHint(prisma: PrismaClient, scope: ClientScope, target: string, level: 'adset' | 'ad'): Promise<AppError | null> {
  const id = target.trim()
  if (!/^\d+$/.test(id)) return null
  const found = await matchObjects(prisma, scope, id, level === 'adset' ? ['adset', 'ad'] : ['ad']).catch((e: unknown) => {
    if (isAppError(e)) return []
    throw e
  })
  const [only] = found
  if (!only || found.length > 1) return null
  const name = echoInput(objectOf(only).name, 120)
  const parent = `in campaign *${echoInput(only.campaign.name, 120)}*`
  const text = only.ad
    ? `${id} is an ad (*${name}* ${parent}), not a ${level === 'adset' ? 'campaign' : 'campaign or ad set'}. Its figures: \`/promoly metrics ${id}\`.`
    : `${id} is an ad set (*${name}* ${parent}), not a campaign. Its ads: \`/promoly ads ${id}\`; its figures: \`/promoly metrics ${id}\`.`
  return new AppError(AppErrorCode.BAD_INPUT, text)
}
