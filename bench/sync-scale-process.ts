/**
 * Child of bench/sync-scale.ts: runs ONE sync of the scale account in its own process, so its peak RSS is the
 * sync's (the simulator and the parent's bookkeeping live in the parent), and reports the result over IPC.
 * Modes: `ad` (today's ad-level sync, settings from the parent) and `campaign` (the campaign-level sync Promoly did
 * before ad sets and ads: level=campaign insights, one upsert per chunk, for comparison).
 */

import { openDatabase } from '../src/db/database.ts'
import type { DomainDeps } from '../src/domain/deps.ts'
import { clearRunStage, newSyncRunId, stageAdDays } from '../src/domain/sync/stage-ad-days.ts'
import { syncAdAccount } from '../src/domain/sync/sync-ad-account.ts'
import type { SyncSettings } from '../src/domain/sync/sync-settings.ts'
import { createGraphClient } from '../src/integrations/meta/graph-client.ts'
import { type AdInsightRow, createMetaApi, type InsightRow } from '../src/integrations/meta/meta-api.ts'
import { createSecretBox } from '../src/lib/crypto.ts'
import { addDays, localDate } from '../src/lib/dates.ts'
import { silentLogger } from '../src/lib/logger.ts'

interface Job {
  mode: 'ad' | 'campaign'
  databaseUrl: string
  simUrl: string
  token: string
  adAccountId: string
  encryptionKey: string
  settings: Partial<Omit<SyncSettings, 'sleep' | 'clockMs'>>
}

const job = JSON.parse(process.env.SYNC_SCALE_JOB ?? 'null') as Job | null
if (!job || !process.send) throw new Error('bench/sync-scale-process.ts is a child of bench/sync-scale.ts, not run on its own')

// Only what the production worker loads (src/main.ts builds the same deps): no test support, no simulator.
const memory: Record<string, { rssMb: number; heapMb: number }> = {}
const mark = (at: string) => {
  const u = process.memoryUsage()
  memory[at] = { rssMb: Math.round(u.rss / 1048576), heapMb: Math.round(u.heapUsed / 1048576) }
}
mark('imported')
const db = await openDatabase({ databaseUrl: job.databaseUrl, migrate: false })
await db.ping()
mark('connected')
const meta = createMetaApi(createGraphClient({ baseUrl: job.simUrl, version: 'v26.0' }))
const deps: DomainDeps = {
  prisma: db.prisma,
  meta,
  secrets: createSecretBox(job.encryptionKey),
  logger: silentLogger(),
  now: () => new Date(),
  sync: job.settings,
}
let peakHeapMb = 0
// Run with NODE_OPTIONS=--expose-gc to collect before each sample: the peak then is the live set, not garbage.
const sampler = setInterval(() => {
  ;(globalThis as { gc?: () => void }).gc?.()
  peakHeapMb = Math.max(peakHeapMb, process.memoryUsage().heapUsed / 1048576)
}, 50)
const started = performance.now()
const result = job.mode === 'ad' ? await syncAdAccount(deps, { adAccountId: job.adAccountId }) : await campaignLevelSync(deps, job)
const wallMs = performance.now() - started
clearInterval(sampler)
mark('synced')
const maxRssMb = process.resourceUsage().maxRSS / 1024
// In the sync, each page's INSERT overlaps the fetch and parsing of the next page, so its measured time includes
// waiting for the event loop. Staging the same rows again, alone, page by page, gives the database's own time.
const stageAloneMs = job.mode === 'ad' ? await stageAlone(deps, job.adAccountId) : 0
process.send({ result, wallMs, maxRssMb, stageAloneMs, memory, peakHeapMb: Math.round(peakHeapMb) })
await db.close()
process.disconnect()

/** Stages the account's ad-days again (read back a day at a time, staged 500 rows a page), timing the INSERTs only. */
async function stageAlone(deps: DomainDeps, adAccountId: string): Promise<number> {
  const run = { syncRunId: newSyncRunId(new Date(), 'benchstagealone'), adAccountId }
  const dates = await deps.prisma.adDailyMetric.findMany({ where: { adAccountId }, distinct: ['date'], select: { date: true } })
  let ms = 0
  for (const { date } of dates) {
    const days = await deps.prisma.adDailyMetric.findMany({
      where: { adAccountId, date },
      include: {
        ad: {
          select: { metaAdId: true, name: true, adSet: { select: { metaAdSetId: true } }, campaign: { select: { metaCampaignId: true } } },
        },
      },
    })
    const rows: AdInsightRow[] = days.map((d) => ({
      campaignId: d.ad.campaign.metaCampaignId,
      campaignName: '',
      adSetId: d.ad.adSet.metaAdSetId,
      adSetName: '',
      adId: d.ad.metaAdId,
      adName: d.ad.name,
      objective: null,
      date: d.date.toISOString().slice(0, 10),
      impressions: Number(d.impressions),
      reach: Number(d.reach),
      frequency: d.frequency,
      clicks: Number(d.clicks),
      linkClicks: Number(d.linkClicks),
      spendMinor: Number(d.spend),
      leads: Number(d.leads),
      purchases: Number(d.purchases),
      purchaseValueMinor: Number(d.purchaseValue),
    }))
    for (let i = 0; i < rows.length; i += 500) {
      const t = performance.now()
      await stageAdDays(deps.prisma, run, rows.slice(i, i + 500))
      ms += performance.now() - t
    }
  }
  await clearRunStage(deps.prisma, run.syncRunId)
  return ms
}

/** The campaign-level sync as Promoly ran it before: campaigns, level=campaign daily insights, chunked upserts. */
async function campaignLevelSync(deps: DomainDeps, job: Job) {
  const account = await deps.prisma.adAccount.findUniqueOrThrow({ where: { id: job.adAccountId } })
  const until = localDate(new Date(), account.timezoneName)
  const since = addDays(until, -27)
  const campaigns = await deps.meta.listCampaigns(job.token, account.metaAccountId)
  const rows: InsightRow[] = []
  for await (const page of deps.meta.fetchDailyCampaignInsights(job.token, account.metaAccountId, {
    since,
    until,
    currency: account.currency,
  }))
    rows.push(...page)
  const writeStarted = performance.now()
  await deps.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO "Campaign" ("id", "adAccountId", "metaCampaignId", "name", "objective", "status", "effectiveStatus", "createdAt", "updatedAt")
         SELECT gen_random_uuid()::text, $1::text, v.meta, v.name, v.objective, v.status, v.status, now(), now()
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS v(meta, name, objective, status)
         ON CONFLICT ("adAccountId", "metaCampaignId") DO UPDATE SET "name" = EXCLUDED."name", "status" = EXCLUDED."status"`,
        account.id,
        campaigns.map((c) => c.id),
        campaigns.map((c) => c.name),
        campaigns.map((c) => c.objective ?? 'UNKNOWN'),
        campaigns.map((c) => c.status ?? 'UNKNOWN'),
      )
      for (let i = 0; i < rows.length; i += 800) {
        const chunk = rows.slice(i, i + 800)
        await tx.$executeRawUnsafe(
          `INSERT INTO "CampaignDailyMetric" ("campaignId", "adAccountId", "date", "impressions", "reach", "frequency", "clicks", "linkClicks", "spend", "leads", "purchases", "purchaseValue", "syncedAt")
           SELECT c."id", $1::text, v.date, v.impressions, v.reach, v.frequency, v.clicks, v.link_clicks, v.spend, v.leads, v.purchases, v.value, now()
             FROM unnest($2::text[], $3::date[], $4::bigint[], $5::bigint[], $6::double precision[], $7::bigint[], $8::bigint[], $9::bigint[],
                         $10::bigint[], $11::bigint[], $12::bigint[])
                  AS v(meta, date, impressions, reach, frequency, clicks, link_clicks, spend, leads, purchases, value)
             JOIN "Campaign" c ON c."adAccountId" = $1 AND c."metaCampaignId" = v.meta
           ON CONFLICT ("campaignId", "date") DO UPDATE SET "spend" = EXCLUDED."spend", "impressions" = EXCLUDED."impressions"`,
          account.id,
          chunk.map((r) => r.campaignId),
          chunk.map((r) => r.date),
          chunk.map((r) => String(r.impressions)),
          chunk.map((r) => String(r.reach)),
          chunk.map((r) => r.frequency),
          chunk.map((r) => String(r.clicks)),
          chunk.map((r) => String(r.linkClicks)),
          chunk.map((r) => String(r.spendMinor)),
          chunk.map((r) => String(r.leads)),
          chunk.map((r) => String(r.purchases)),
          chunk.map((r) => String(r.purchaseValueMinor)),
        )
      }
    },
    { timeout: 120_000 },
  )
  const commitMs = performance.now() - writeStarted
  return { since, until, campaigns: campaigns.length, metricRows: rows.length, timings: { fetchMs: 0, stageMs: 0, commitMs } }
}
