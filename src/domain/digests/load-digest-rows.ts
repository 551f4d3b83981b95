/**
 * The digest's database reads: a fixed number of queries whatever the number of accounts, campaigns or ads. The accounts
 * (loadDigestAccounts), then at most eight in loadDigestRows: their campaigns, one grouped sum per (account, day, objective),
 * one grouped sum per campaign over each account's 7-day window, the ads that spent in that window with their sums (two,
 * loadSpendingAds), and three small suggestion/change look-ups.
 */
import { type AdAccount, Prisma, type PrismaClient } from '../../generated/prisma/client.ts'
import { fromDbDate, type IsoDate, toDbDate } from '../../lib/dates.ts'
import { approvalSummary } from '../changes/change-values.ts'
import type { GuardrailResult } from '../changes/guardrails.ts'
import { accountsInScope } from '../clients/client-scope.ts'
import { accountRangeBranches } from '../metrics/account-ranges.ts'
import { type LevelTotals, loadSpendingAds } from '../metrics/load-level-totals.ts'
import { addMetrics, METRIC_FIELDS, METRIC_SUMS, type MetricField, type Metrics, metricsFrom, zeroMetrics } from '../metrics/vocabulary.ts'
import { type BuildDigestOptions, type DigestApproval, TOP_SUGGESTIONS } from './digest-types.ts'

export interface DigestCampaign {
  id: string
  adAccountId: string
  metaCampaignId: string
  name: string
  objective: string
  status: string
  effectiveStatus: string
  /** Where the budget lives: the campaign's daily budget, else the sum of its active ad sets' daily budgets. */
  dailyBudget: bigint | null
}

export interface DigestDay {
  sums: Metrics
  /** The day's sums per campaign objective: results are counted per objective (domain/metrics/result-breakdown.ts). */
  byObjective: Map<string, Metrics>
  /** When the day's rows were last fetched from Meta (the latest of its campaigns). */
  syncedAt: Date | null
}

export interface DigestRows {
  campaignsByAccount: Map<string, DigestCampaign[]>
  /** Each account's days from the earliest day any figure needs (month start or chart start) to its last complete day. */
  daysByAccount: Map<string, Map<IsoDate, DigestDay>>
  /** Each campaign's sums over its account's last 7 complete days (campaigns without rows are missing). */
  weekByCampaign: Map<string, Metrics>
  /** Per account, its ads that spent over its last 7 complete days, with their sums (any status). */
  adsByAccount: Map<string, LevelTotals[]>
  openCount: number
  /** The TOP_SUGGESTIONS most confident open suggestions. */
  openSuggestions: Array<{
    id: string
    adAccountId: string
    campaignId: string
    /** Where it was judged: campaign | adset | ad, with the ad set's and the ad's names (null when not at that level). */
    level: string
    adSet: { name: string } | null
    ad: { name: string } | null
    kind: string
    title: string
    confidence: number
    changeRequestId: string | null
  }>
  /** Those suggestions' change requests that still wait for a decision, by id: what approving does, what refuses it. */
  proposedChanges: Map<string, DigestApproval>
}

/** The scope's syncing accounts, or the listed ones that are in the scope, by name. */
export function loadDigestAccounts(prisma: PrismaClient, options: BuildDigestOptions): Promise<AdAccount[]> {
  const ids = options.adAccountIds?.length ? options.adAccountIds : undefined
  return prisma.adAccount.findMany({
    where: { ...accountsInScope(options.scope), ...(ids ? { id: { in: ids } } : { syncEnabled: true }) },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  })
}

/**
 * The rows behind the digests of the accounts in `calendars` (by account id; see digestCalendar): each account's days
 * from `from` to `day`, and its campaigns' sums from `weekStart` to `day`.
 */
export async function loadDigestRows(
  prisma: PrismaClient,
  workspaceId: string,
  calendars: Map<string, { from: IsoDate; weekStart: IsoDate; day: IsoDate }>,
): Promise<DigestRows> {
  const accountIds = [...calendars.keys()]
  const all = [...calendars.values()]
  const earliest = all.map((w) => w.from).sort()[0]
  const latest = all
    .map((w) => w.day)
    .sort()
    .at(-1)
  if (!earliest || !latest) throw new Error('loadDigestRows needs at least one account')

  // The campaigns' 7-day window differs between accounts only through their time zones: one OR branch per distinct window.
  const weekBranches = accountRangeBranches([...calendars].map(([id, w]) => [id, { since: w.weekStart, until: w.day }] as const))

  const [campaigns, accountDays, campaignWeeks, adsByAccount, openCount, openSuggestions] = await Promise.all([
    prisma.campaign.findMany({
      where: { adAccountId: { in: accountIds } },
      select: {
        id: true,
        adAccountId: true,
        metaCampaignId: true,
        name: true,
        objective: true,
        status: true,
        effectiveStatus: true,
        dailyBudget: true,
        adSets: { where: { status: 'ACTIVE', effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } }, select: { dailyBudget: true } },
      },
    }),
    // Per (account, day, objective): an account's results are counted per objective, never over all its spend.
    prisma.$queryRaw<
      Array<{ adAccountId: string; date: Date; objective: string; syncedAt: Date | null } & { [F in MetricField]: bigint | null }>
    >`
      SELECT m."adAccountId", m."date", c."objective", ${Prisma.raw(METRIC_FIELDS.map((f) => `SUM(m."${f}")::bigint AS "${f}"`).join(', '))},
             MAX(m."syncedAt") AS "syncedAt"
      FROM "CampaignDailyMetric" m JOIN "Campaign" c ON c."id" = m."campaignId"
      WHERE m."adAccountId" IN (${Prisma.join(accountIds)}) AND m."date" BETWEEN ${toDbDate(earliest)} AND ${toDbDate(latest)}
      GROUP BY m."adAccountId", m."date", c."objective"`,
    prisma.campaignDailyMetric.groupBy({
      by: ['campaignId'],
      where: {
        OR: weekBranches,
      },
      _sum: METRIC_SUMS,
    }),
    loadSpendingAds(
      prisma,
      [...calendars].map(([id, w]) => [id, { since: w.weekStart, until: w.day }] as const),
    ),
    prisma.suggestion.count({ where: { workspaceId, adAccountId: { in: accountIds }, status: 'OPEN' } }),
    prisma.suggestion.findMany({
      where: { workspaceId, adAccountId: { in: accountIds }, status: 'OPEN' },
      orderBy: [{ confidence: 'desc' }, { updatedAt: 'desc' }],
      take: TOP_SUGGESTIONS,
      select: {
        id: true,
        adAccountId: true,
        campaignId: true,
        level: true,
        adSet: { select: { name: true } },
        ad: { select: { name: true } },
        kind: true,
        title: true,
        confidence: true,
        changeRequestId: true,
      },
    }),
  ])
  const changeIds = openSuggestions.map((s) => s.changeRequestId).filter((id): id is string => id !== null)
  const proposed = changeIds.length
    ? await prisma.changeRequest.findMany({
        where: { id: { in: changeIds }, status: 'PROPOSED' },
        select: {
          id: true,
          type: true,
          currentValue: true,
          proposedValue: true,
          guardrails: true,
          adAccount: { select: { currency: true } },
          level: true,
          campaign: { select: { name: true } },
          adSet: { select: { name: true } },
          ad: { select: { name: true } },
        },
      })
    : []
  const proposedChanges = new Map<string, DigestApproval>(
    proposed.map((c) => [
      c.id,
      {
        // The object approving acts on: the ad or ad set of a change at that level, not its campaign.
        ...approvalSummary(c, c.adAccount.currency, (c.level === 'ad' ? c.ad : c.level === 'adset' ? c.adSet : c.campaign)?.name ?? null),
        refused: ((c.guardrails ?? []) as unknown as GuardrailResult[]).filter((g) => !g.ok).map((g) => g.message),
      },
    ]),
  )

  const daysByAccount = new Map<string, Map<IsoDate, DigestDay>>(accountIds.map((id) => [id, new Map()]))
  // The queries filter on accountIds, so every row finds its account's entry (a row of any other would be left out).
  for (const r of accountDays) {
    const days = daysByAccount.get(r.adAccountId)
    if (!days) continue
    const date = fromDbDate(r.date)
    const day = days.get(date) ?? { sums: zeroMetrics(), byObjective: new Map<string, Metrics>(), syncedAt: null }
    const m = metricsFrom(r)
    addMetrics(day.sums, m)
    day.byObjective.set(r.objective, addMetrics(day.byObjective.get(r.objective) ?? zeroMetrics(), m))
    if (r.syncedAt && (!day.syncedAt || r.syncedAt > day.syncedAt)) day.syncedAt = r.syncedAt
    days.set(date, day)
  }
  const weekByCampaign = new Map<string, Metrics>()
  for (const r of campaignWeeks) weekByCampaign.set(r.campaignId, metricsFrom(r._sum))
  const campaignsByAccount = new Map<string, DigestCampaign[]>(accountIds.map((id) => [id, []]))
  for (const { adSets, ...c } of campaigns) {
    const adSetBudgets = adSets.flatMap((s) => (s.dailyBudget !== null && s.dailyBudget > 0n ? [s.dailyBudget] : []))
    const dailyBudget = c.dailyBudget ?? (adSetBudgets.length > 0 ? adSetBudgets.reduce((a, b) => a + b, 0n) : null)
    campaignsByAccount.get(c.adAccountId)?.push({ ...c, dailyBudget })
  }

  return { campaignsByAccount, daysByAccount, weekByCampaign, adsByAccount, openCount, openSuggestions, proposedChanges }
}
