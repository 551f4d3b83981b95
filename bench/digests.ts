/**
 * Digests: building the data, the message and one chart per account for 100 subscriptions over 2,000 campaigns (20 ad accounts
 * × 100 campaigns × 45 days, embedded PGlite or TEST_DATABASE_URL), and the database queries each digest takes,
 * which must not grow with the number of campaigns.
 */

import { WebClient } from '@slack/web-api'
import { workspaceScope } from '../src/domain/clients/client-scope.ts'
import { ensureDefaultClient } from '../src/domain/clients/default-client.ts'
import { buildDigestData } from '../src/domain/digests/build-digest-data.ts'
import type { PrismaClient } from '../src/generated/prisma/client.ts'
import { addDays, localDate, toDbDate } from '../src/lib/dates.ts'
import { validateMessage } from '../src/playground/block-kit-validator.ts'
import { startSlackEmulator } from '../src/playground/server.ts'
import { digestMessage } from '../src/slack/blocks/digest-message.ts'
import { chartFileName, uploadCharts } from '../src/slack/outbound/upload-charts.ts'
import { countingQueries } from '../test/support/counting-queries.ts'
import { createTestDatabase } from '../test/support/test-database.ts'
import { must } from './must.ts'
import { ms, summary } from './stats.ts'

const ACCOUNTS = 20
const CAMPAIGNS_PER_ACCOUNT = 100
const DAYS = 45
const SUBSCRIPTIONS = 100
const NOW = new Date('2026-03-16T14:00:00Z')
const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'America/Los_Angeles', 'UTC']

/** A small deterministic generator, so every run seeds the same figures. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

async function seed(prisma: PrismaClient): Promise<{ workspaceId: string; accountIds: string[] }> {
  const ws = await prisma.workspace.create({ data: { slackTeamId: 'TBENCHDIGEST' } })
  const conn = await prisma.metaConnection.create({
    data: { workspaceId: ws.id, label: 'bench', accessTokenEnc: 'x', tokenFingerprint: 'bench' },
  })
  const client = await ensureDefaultClient(prisma, ws.id)
  const random = rng(42)
  const accountIds: string[] = []
  for (let a = 0; a < ACCOUNTS; a++) {
    const currency = a % 4 === 3 ? 'JPY' : a % 4 === 2 ? 'EUR' : 'USD'
    const unit = currency === 'JPY' ? 1 : 100
    const timezoneName = must(ZONES[a % ZONES.length], 'a time zone')
    const account = await prisma.adAccount.create({
      data: {
        workspaceId: ws.id,
        connectionId: conn.id,
        clientId: client.id,
        metaAccountId: `act_${7_000_000 + a}`,
        name: `Client ${a + 1} <${currency}>`,
        currency,
        timezoneName,
        lastSyncedAt: new Date(NOW.getTime() - 3_600_000),
        lastSyncError: a % 10 === 9 ? 'Meta API error (code 2): Service temporarily unavailable' : null,
      },
    })
    accountIds.push(account.id)
    const today = localDate(NOW, timezoneName)
    await prisma.campaign.createMany({
      data: Array.from({ length: CAMPAIGNS_PER_ACCOUNT }, (_, c) => ({
        adAccountId: account.id,
        metaCampaignId: `${a}_${c}`,
        name: `Campaign ${c + 1} & friends`,
        objective: c % 3 === 2 ? 'OUTCOME_SALES' : 'OUTCOME_LEADS',
        status: c % 10 === 0 ? 'PAUSED' : 'ACTIVE',
        effectiveStatus: c % 10 === 0 ? 'PAUSED' : 'ACTIVE',
        dailyBudget: BigInt(Math.round((20 + random() * 80) * unit * (currency === 'JPY' ? 150 : 1))),
      })),
    })
    const campaigns = await prisma.campaign.findMany({ where: { adAccountId: account.id }, select: { id: true, objective: true } })
    const rows = campaigns.flatMap((c) => {
      const quality = 0.3 + random() * 1.5
      return Array.from({ length: DAYS }, (_, k) => {
        const spendMajor = (10 + random() * 60) * (currency === 'JPY' ? 150 : 1)
        const impressions = Math.round(1_000 + random() * 9_000)
        const clicks = Math.round(impressions * (0.005 + random() * 0.02))
        const results = Math.round((spendMajor / (currency === 'JPY' ? 150 : 1) / 8) * quality * random())
        const sales = c.objective === 'OUTCOME_SALES'
        return {
          campaignId: c.id,
          adAccountId: account.id,
          date: toDbDate(addDays(today, -1 - k)),
          impressions: BigInt(impressions),
          reach: BigInt(Math.round(impressions * 0.8)),
          clicks: BigInt(clicks),
          linkClicks: BigInt(Math.round(clicks * 0.7)),
          spend: BigInt(Math.round(spendMajor * unit)),
          leads: BigInt(sales ? 0 : results),
          purchases: BigInt(sales ? results : 0),
          purchaseValue: BigInt(sales ? Math.round(results * (40 + random() * 40) * unit * (currency === 'JPY' ? 150 : 1)) : 0),
          syncedAt: new Date(NOW.getTime() - 3_600_000),
        }
      })
    })
    for (let i = 0; i < rows.length; i += 1_000) await prisma.campaignDailyMetric.createMany({ data: rows.slice(i, i + 1_000) })
    // Open optimizer suggestions, two with a budget change waiting for approval.
    for (let k = 0; k < 5; k++) {
      const campaignId = must(campaigns[k * 7], `campaign ${k * 7}`).id
      const change =
        k < 2
          ? await prisma.changeRequest.create({
              data: {
                workspaceId: ws.id,
                adAccountId: account.id,
                campaignId,
                type: 'SET_DAILY_BUDGET',
                source: 'OPTIMIZER',
                currentValue: { dailyBudgetMinor: 5_000 * unit },
                proposedValue: { dailyBudgetMinor: 6_000 * unit },
                expiresAt: new Date(NOW.getTime() + 86_400_000),
              },
            })
          : null
      await prisma.suggestion.create({
        data: {
          workspaceId: ws.id,
          adAccountId: account.id,
          campaignId,
          kind: k < 2 ? 'scale_winner' : 'creative_fatigue',
          title: `Suggestion ${k + 1} for client ${a + 1}`,
          confidence: 0.5 + random() * 0.5,
          metricName: 'cost_per_result',
          metricValue: 1,
          changeRequestId: change?.id ?? null,
        },
      })
    }
  }
  return { workspaceId: ws.id, accountIds }
}

export async function benchDigestBuild(): Promise<void> {
  const db = await createTestDatabase()
  let closeSlack = async () => {}
  try {
    const seeding = performance.now()
    const { workspaceId, accountIds } = await seed(db.prisma)
    const seeded = performance.now() - seeding
    // 100 subscriptions: one per account (client channels), and 80 more covering 2–20 accounts each, some "all".
    const subscriptions: string[][] = accountIds.map((id) => [id])
    for (let i = 0; subscriptions.length < SUBSCRIPTIONS; i++) {
      subscriptions.push(i % 8 === 0 ? [] : accountIds.filter((_, k) => (k + i) % (2 + (i % 5)) === 0))
    }
    console.log(
      `\nDigests: ${SUBSCRIPTIONS} subscriptions over ${ACCOUNTS} ad accounts × ${CAMPAIGNS_PER_ACCOUNT} campaigns (${(ACCOUNTS * CAMPAIGNS_PER_ACCOUNT).toLocaleString('en-US')}) × ${DAYS} days, ${db.kind} (seeded in ${ms(seeded)})`,
    )

    // Posting goes to the playground's Slack emulator (Web API + upload flow) on this machine.
    const slack = await startSlackEmulator({
      requestUrl: 'http://127.0.0.1:9/slack/events',
      rateLimit: { burst: 10_000, perSecond: 10_000 },
    })
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } })
    closeSlack = () => slack.close()
    const counter = countingQueries(db.prisma)
    await buildDigestData(counter.prisma, { scope: workspaceScope(workspaceId), now: NOW }) // warm-up
    const perDigest = { data: [] as number[], message: [] as number[], chart: [] as number[], post: [] as number[], total: [] as number[] }
    const queries: number[] = []
    let blocksMax = 0
    let charts = 0
    const started = performance.now()
    for (const adAccountIds of subscriptions) {
      const t0 = performance.now()
      counter.reset()
      const data = await buildDigestData(counter.prisma, { scope: workspaceScope(workspaceId), adAccountIds, now: NOW })
      queries.push(counter.queries())
      const t1 = performance.now()
      const message = digestMessage(data)
      const problems = validateMessage(message)
      if (problems.length > 0) throw new Error(`invalid digest message: ${problems.join('; ')}`)
      blocksMax = Math.max(blocksMax, message.blocks.length)
      const t2 = performance.now()
      // Posted like the poster: the message, then one chart per account in its thread (Slack's external upload flow,
      // up to ten images per reply).
      const res = await client.chat.postMessage({ channel: 'C0ADS00001', ...message })
      const t3 = performance.now()
      charts += await uploadCharts(
        client,
        { channel: 'C0ADS00001', threadTs: must(res.ts, 'the ts of the posted digest') },
        data.accounts.map((a, i) => ({
          series: a.series,
          currency: a.currency,
          resultsLabel: a.resultKind,
          title: `${a.name} (${a.currency}): spend and ${a.resultKind ?? 'results'}, 14 days`,
          fileTitle: `${a.name} — last 14 days`,
          filename: chartFileName('promoly-digest', a.name, i),
        })),
      )
      const t4 = performance.now()
      perDigest.data.push(t1 - t0)
      perDigest.message.push(t2 - t1)
      perDigest.post.push(t3 - t2)
      perDigest.chart.push(t4 - t3)
      perDigest.total.push(t4 - t0)
    }
    const total = performance.now() - started
    const line = (label: string, xs: number[]) => {
      const s = summary(xs)
      console.log(`    ${label.padEnd(26)} median ${ms(s.p50).padStart(9)}   p99 ${ms(s.p99).padStart(9)}   max ${ms(s.max).padStart(9)}`)
    }
    console.log(
      `    built and posted ${SUBSCRIPTIONS} digests in ${ms(total)} (${ms(total / SUBSCRIPTIONS)} per digest), ${charts} charts (one per account, rendered and uploaded in the thread), at most ${blocksMax} blocks per message`,
    )
    line('per digest: data', perDigest.data)
    line('per digest: message', perDigest.message)
    line('per digest: post message', perDigest.post)
    line('per digest: charts + upload', perDigest.chart)
    line('per digest: total', perDigest.total)
    const bySize = new Map<number, Set<number>>()
    subscriptions.forEach((ids, i) => {
      const size = ids.length === 0 ? ACCOUNTS : ids.length
      bySize.set(size, (bySize.get(size) ?? new Set()).add(must(queries[i], `the query count of digest ${i}`)))
    })
    const sizes = [...bySize].sort(([a], [b]) => a - b)
    const fmtSet = (set: Set<number>) => [...set].sort((a, b) => a - b).join('/')
    console.log(
      `    database queries per digest: min ${Math.min(...queries)}, max ${Math.max(...queries)} (one more looks up the ads that spent when there are ad-level figures, and one the proposed changes of the top suggestions when they link any)`,
    )
    console.log(
      `    by digest size: ${sizes.map(([n, counts]) => `${n} account${n === 1 ? '' : 's'} (${(n * CAMPAIGNS_PER_ACCOUNT).toLocaleString('en-US')} campaigns) → ${fmtSet(counts)}`).join(', ')}`,
    )
  } finally {
    await closeSlack()
    await db.drop()
  }
}
