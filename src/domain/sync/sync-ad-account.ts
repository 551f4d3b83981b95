import { randomUUID } from 'node:crypto'
import type { Prisma } from '../../generated/prisma/client.ts'
import { isMetaApiError } from '../../integrations/meta/errors.ts'
import type { InsightRow, MetaCampaign } from '../../integrations/meta/meta-api.ts'
import { fromDbDate, type IsoDate, toDbDate } from '../../lib/dates.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'
import { asAppError } from '../meta-errors.ts'
import { METRIC_FIELDS, type Metrics } from '../metrics/vocabulary.ts'
import { type FetchedPeriodReach, fetchPeriodReach, reachRanges, storePeriodReach } from './sync-period-reach.ts'
import { backfillWindow, syncWindow } from './sync-window.ts'

export interface SyncAdAccountResult {
  adAccountId: string
  metaAccountId: string
  /** The ad account's name (as last synced). */
  name: string
  since: IsoDate
  until: IsoDate
  campaigns: number
  metricRows: number
  /** Set when nothing was fetched, with the reason. */
  skipped?: 'sync_disabled' | 'needs_reconnect'
}

const CHUNK = 800

/**
 * Syncs one ad account: its campaigns, then daily campaign metrics for the sync window through
 * `level=campaign&time_increment=1` insights (one Graph request per page for the whole account,
 * however many campaigns it has). Everything fetched is written in one transaction: a failed
 * sync leaves the previous data untouched; running it twice leaves the same rows.
 * An expired or revoked token pauses the connection instead of failing forever.
 */
/**
 * `backfill`: fetch the older days before the first sync's window instead (run once, in the
 * background, after the first sync); it leaves the account's sync bookkeeping as it is.
 */
export async function syncAdAccount(
  deps: DomainDeps,
  options: { adAccountId: string; full?: boolean; backfill?: boolean },
): Promise<SyncAdAccountResult> {
  const account = await deps.prisma.adAccount.findUnique({ where: { id: options.adAccountId }, include: { connection: true } })
  if (!account) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad account is no longer connected.')
  const window = options.backfill
    ? backfillWindow({ now: deps.now(), timeZone: account.timezoneName })
    : syncWindow({
        now: deps.now(),
        timeZone: account.timezoneName,
        lastSyncedDate: account.lastSyncedDate ? fromDbDate(account.lastSyncedDate) : null,
        full: options.full,
      })
  const base = { adAccountId: account.id, metaAccountId: account.metaAccountId, name: account.name, ...window, campaigns: 0, metricRows: 0 }
  if (!account.syncEnabled) return { ...base, skipped: 'sync_disabled' }
  if (account.connection.status !== 'ACTIVE') return { ...base, skipped: 'needs_reconnect' }

  const token = connectionToken(deps, account.connection)
  let campaigns: MetaCampaign[]
  const rows: InsightRow[] = []
  let reach: FetchedPeriodReach[] | null = null
  try {
    campaigns = await deps.meta.listCampaigns(token, account.metaAccountId)
    for await (const page of deps.meta.fetchDailyCampaignInsights(token, account.metaAccountId, {
      ...window,
      currency: account.currency,
    })) {
      rows.push(...page)
    }
    // The standard periods' true reach (not a sum of days); the backfill only adds older days, so it keeps the cache.
    if (!options.backfill)
      reach = await fetchPeriodReach(deps.meta, token, account.metaAccountId, reachRanges(deps.now(), account.timezoneName))
  } catch (err) {
    if (isMetaApiError(err) && (err.kind === 'auth' || err.kind === 'permission'))
      await pauseConnection(deps, account.connection.id, account.workspaceId, err)
    await deps.prisma.adAccount.update({ where: { id: account.id }, data: { lastSyncError: errorText(err) } })
    throw asAppError(err) ?? err
  }

  // Meta should send one row per campaign and day; if a page repeats one, the last one wins.
  const unique = [...new Map(rows.map((r) => [`${r.campaignId}|${r.date}`, r])).values()]
  rows.length = 0
  rows.push(...unique)
  const runAt = deps.now()
  await deps.prisma.$transaction(
    async (tx) => {
      const idByMetaId = await upsertCampaigns(tx, account, campaigns, rows, runAt)
      await upsertMetricRows(tx, account.id, idByMetaId, rows, runAt)
      if (reach) await storePeriodReach(tx, account.id, idByMetaId, reach, runAt)
      // Days Meta no longer reports for a campaign (revised to zero delivery) must not linger.
      await tx.$executeRawUnsafe(
        `DELETE FROM "CampaignDailyMetric" WHERE "adAccountId" = $1 AND "date" BETWEEN $2::date AND $3::date AND "syncedAt" <> $4::timestamp`,
        account.id,
        window.since,
        window.until,
        runAt.toISOString(),
      )
      if (!options.backfill) {
        await tx.adAccount.update({
          where: { id: account.id },
          data: { lastSyncedAt: runAt, lastSyncedDate: toDbDate(window.until), lastSyncError: null },
        })
      }
    },
    { timeout: 120_000, maxWait: 30_000 },
  )
  deps.logger.info({ adAccount: account.metaAccountId, ...window, campaigns: campaigns.length, rows: rows.length }, 'ad account synced')
  return { ...base, campaigns: campaigns.length, metricRows: rows.length }
}

function errorText(err: unknown): string {
  return err instanceof AppError ? err.userMessage : err instanceof Error ? err.message.slice(0, 500) : String(err)
}

async function pauseConnection(deps: DomainDeps, connectionId: string, workspaceId: string, err: unknown) {
  const reason = errorText(err)
  await deps.prisma.$transaction(async (tx) => {
    await tx.metaConnection.update({ where: { id: connectionId }, data: { status: 'NEEDS_RECONNECT', statusReason: reason } })
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'system',
      action: 'meta_connection.needs_reconnect',
      targetType: 'meta_connection',
      targetId: connectionId,
      data: { reason },
    })
  })
  deps.logger.warn({ connectionId }, 'Meta token rejected: connection paused until reconnected')
}

/** Audit action of a daily budget the sync saw change on Meta (not through Promoly, or applied since the last sync). */
export const BUDGET_SEEN_CHANGED = 'campaign.budget_changed_on_meta'

async function upsertCampaigns(
  tx: Prisma.TransactionClient,
  account: { id: string; workspaceId: string },
  campaigns: MetaCampaign[],
  rows: InsightRow[],
  runAt: Date,
): Promise<Map<string, string>> {
  const adAccountId = account.id
  const all = new Map<
    string,
    {
      name: string
      objective: string
      status: string
      effectiveStatus: string
      daily: number | null
      lifetime: number | null
      created: string | null
    }
  >()
  for (const c of campaigns) {
    all.set(c.id, {
      name: c.name,
      objective: c.objective ?? 'UNKNOWN',
      status: c.status ?? 'UNKNOWN',
      effectiveStatus: c.effectiveStatus ?? c.status ?? 'UNKNOWN',
      daily: c.dailyBudgetMinor ?? null,
      lifetime: c.lifetimeBudgetMinor ?? null,
      created: c.createdTime ?? null,
    })
  }
  // Insights can name campaigns the list no longer returns (deleted): keep their history too.
  const firstRowOf = new Map<string, InsightRow>()
  for (const r of rows) if (!firstRowOf.has(r.campaignId)) firstRowOf.set(r.campaignId, r)
  const missing = [...firstRowOf].filter(([id]) => !all.has(id))
  const known = new Map<string, string>()
  const existing = await tx.campaign.findMany({ where: { adAccountId }, select: { id: true, metaCampaignId: true, dailyBudget: true } })
  for (const e of existing) known.set(e.metaCampaignId, e.id)
  // A daily budget that changed on Meta since the last sync (in Ads Manager, or by a rule) is recorded with the time it
  // was seen: budget pacing judges each day against the budget in force that day (domain/suggestions/load-series.ts).
  const seen = existing.flatMap((e) => {
    const now = all.get(e.metaCampaignId)?.daily ?? null
    const before = e.dailyBudget === null ? null : Number(e.dailyBudget)
    return before !== null && now !== null && before !== now ? [{ campaignId: e.id, fromMinor: before, toMinor: now }] : []
  })
  if (seen.length > 0)
    await tx.auditEvent.createMany({
      data: seen.map((c) => ({
        workspaceId: account.workspaceId,
        actorType: 'system',
        action: BUDGET_SEEN_CHANGED,
        targetType: 'campaign',
        targetId: c.campaignId,
        data: { fromMinor: c.fromMinor, toMinor: c.toMinor },
        createdAt: runAt,
      })),
    })
  for (const [id, r] of missing) {
    if (known.has(id)) continue
    all.set(id, {
      name: r.campaignName ?? id,
      objective: 'UNKNOWN',
      status: 'DELETED',
      effectiveStatus: 'DELETED',
      daily: null,
      lifetime: null,
      created: null,
    })
  }
  const entries = [...all.entries()]
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK)
    const params: unknown[] = []
    const values = chunk.map(([metaId, c]) => {
      const p = params.length
      params.push(
        known.get(metaId) ?? randomUUID(),
        adAccountId,
        metaId,
        c.name,
        c.objective,
        c.status,
        c.effectiveStatus,
        c.daily === null ? null : String(c.daily),
        c.lifetime === null ? null : String(c.lifetime),
        c.created,
      )
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}::bigint, $${p + 9}::bigint, $${p + 10}::timestamptz, now(), now())`
    })
    const result = await tx.$queryRawUnsafe<Array<{ id: string; metaCampaignId: string }>>(
      `INSERT INTO "Campaign" ("id", "adAccountId", "metaCampaignId", "name", "objective", "status", "effectiveStatus", "dailyBudget", "lifetimeBudget", "metaCreatedAt", "createdAt", "updatedAt")
       VALUES ${values.join(', ')}
       ON CONFLICT ("adAccountId", "metaCampaignId") DO UPDATE SET
         "name" = EXCLUDED."name", "objective" = EXCLUDED."objective", "status" = EXCLUDED."status",
         "effectiveStatus" = EXCLUDED."effectiveStatus", "dailyBudget" = EXCLUDED."dailyBudget",
         "lifetimeBudget" = EXCLUDED."lifetimeBudget", "metaCreatedAt" = COALESCE(EXCLUDED."metaCreatedAt", "Campaign"."metaCreatedAt"),
         "updatedAt" = now()
       RETURNING "id", "metaCampaignId"`,
      ...params,
    )
    for (const r of result) known.set(r.metaCampaignId, r.id)
  }
  return known
}

/** An Insights row as the stored metric fields: where each field of the vocabulary comes from in Meta's row. */
function metricsOfInsight(r: InsightRow): Metrics {
  return {
    impressions: r.impressions,
    reach: r.reach,
    clicks: r.clicks,
    linkClicks: r.linkClicks,
    spend: r.spendMinor,
    leads: r.leads,
    purchases: r.purchases,
    purchaseValue: r.purchaseValueMinor,
  }
}

async function upsertMetricRows(
  tx: Prisma.TransactionClient,
  adAccountId: string,
  idByMetaId: Map<string, string>,
  rows: InsightRow[],
  runAt: Date,
) {
  const casts = ['', '', '::date', '::double precision', ...METRIC_FIELDS.map(() => '::bigint'), '::timestamp']
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK)
    const params: unknown[] = []
    const values = chunk.map((r) => {
      const p = params.length
      const m = metricsOfInsight(r)
      params.push(
        idByMetaId.get(r.campaignId),
        adAccountId,
        r.date,
        r.frequency,
        ...METRIC_FIELDS.map((f) => String(m[f])),
        runAt.toISOString(),
      )
      return `(${casts.map((cast, k) => `$${p + k + 1}${cast}`).join(', ')})`
    })
    await tx.$executeRawUnsafe(
      `INSERT INTO "CampaignDailyMetric" ("campaignId", "adAccountId", "date", "frequency", ${METRIC_FIELDS.map((f) => `"${f}"`).join(', ')}, "syncedAt")
       VALUES ${values.join(', ')}
       ON CONFLICT ("campaignId", "date") DO UPDATE SET
         "frequency" = EXCLUDED."frequency", ${METRIC_FIELDS.map((f) => `"${f}" = EXCLUDED."${f}"`).join(', ')},
         "syncedAt" = EXCLUDED."syncedAt"`,
      ...params,
    )
  }
}
