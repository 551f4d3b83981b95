/**
 * (a) Ack latency of `/promoly help` and `/promoly campaigns` under 50 concurrent signed requests,
 * through the real HTTP receiver, beside a bare Bolt app that acks a static text in the same run.
 */
import { App, LogLevel } from '@slack/bolt'
import { sendSlashCommand } from '../test/support/fake-slack.ts'
import { createPGliteTestDatabase, createPostgresTestDatabase, postgresAvailable, postgresServerUrl, type TestDatabase } from '../test/support/test-database.ts'
import { ms, summary } from './stats.ts'
import { freePort } from '../test/support/net.ts'
import { startPromolyOnFakeSlack } from '../test/support/start-promoly.ts'

const SECRET = 'bench-signing-secret'
const CONCURRENCY = 50
const ROUNDS = 8


async function measure(endpoint: string, text: string, responseUrl: string): Promise<number[]> {
  const samples: number[] = []
  // one warm-up round
  await Promise.all(Array.from({ length: 5 }, () => sendSlashCommand(endpoint, SECRET, { text, responseUrl })))
  for (let r = 0; r < ROUNDS; r++) {
    const results = await Promise.all(Array.from({ length: CONCURRENCY }, () => sendSlashCommand(endpoint, SECRET, { text, responseUrl })))
    for (const res of results) {
      if (res.status !== 200) throw new Error(`ack failed: HTTP ${res.status} ${res.body}`)
      samples.push(res.ms)
    }
  }
  return samples
}

export async function benchAckLatency(): Promise<void> {
  await benchWith(await createPGliteTestDatabase())
  if (await postgresAvailable()) await benchWith(await createPostgresTestDatabase(postgresServerUrl().url))
  else console.log('\n(a) PostgreSQL not reachable: skipped the run on a real server')
}

async function benchWith(db: TestDatabase): Promise<void> {
  // Returns once the embedded workspace is connected and synced, so `campaigns` has data.
  const { slack, endpoint, stop } = await startPromolyOnFakeSlack({ db, signingSecret: SECRET, botToken: 'xoxb-bench', timeoutMs: 120_000 })
  const barePort = await freePort()
  const bare = new App({ signingSecret: SECRET, token: 'xoxb-bare', botId: 'B', botUserId: 'U', logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: slack.apiUrl } })
  bare.command('/promoly', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'static' }))
  await bare.start(barePort)
  try {
    const bareEndpoint = `http://127.0.0.1:${barePort}/slack/events`
    const responseUrl = slack.responseUrl('bench')
    const bareS = summary(await measure(bareEndpoint, 'help', responseUrl))
    const helpS = summary(await measure(endpoint, 'help', responseUrl))
    const campS = summary(await measure(endpoint, 'campaigns', responseUrl))
    const campaigns = await db.prisma.campaign.count()
    console.log(`\n(a) Ack latency, ${CONCURRENCY} concurrent signed requests × ${ROUNDS} rounds (database: ${db.kind}, ${campaigns} campaigns)`)
    console.log(`    bare Bolt app (static ack)   p50 ${ms(bareS.p50)}  p99 ${ms(bareS.p99)}  max ${ms(bareS.max)}`)
    console.log(`    /promoly help                p50 ${ms(helpS.p50)}  p99 ${ms(helpS.p99)}  max ${ms(helpS.max)}  ratio p50 ${(helpS.p50 / bareS.p50).toFixed(2)}× p99 ${(helpS.p99 / bareS.p99).toFixed(2)}×`)
    console.log(`    /promoly campaigns           p50 ${ms(campS.p50)}  p99 ${ms(campS.p99)}  max ${ms(campS.max)}  ratio p50 ${(campS.p50 / bareS.p50).toFixed(2)}× p99 ${(campS.p99 / bareS.p99).toFixed(2)}×`)
    console.log(`    (the ack of /promoly campaigns is empty; the list follows on response_url after the ack)`)
  } finally {
    await bare.stop()
    await stop()
  }
}
