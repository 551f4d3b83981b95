/**
 * (a) Ack latency of `/promoly help` and `/promoly campaigns` beside a bare Bolt app that acks a static text,
 * in the same run: signed slash commands through the real HTTP receivers, 500 per target at 50 concurrent
 * (closed loop: each of the 50 clients sends its next request when its ack arrives), in interleaved rounds
 * so that a noisy neighbour weighs on every target alike.
 *
 * Promoly, the bare Bolt app and the fake Slack each run in their own process, and this one only sends
 * requests: Promoly's event loop is its own, as in production. A round of `campaigns` ends when every
 * list has reached its response_url, so its post-ack work never spills into the next target's round;
 * every posted list is checked (one per request, the right header).
 */
import { sendSlashCommand } from '../test/support/fake-slack.ts'
import { postgresAvailable } from '../test/support/test-database.ts'
import { type Child, startChild, wallNow } from './ack/protocol.ts'
import { ms, summary } from './stats.ts'

const SECRET = 'bench-signing-secret'
const CONCURRENCY = 50
const PER_TARGET = 500
const ROUNDS = 5
const WARM_UP = 100

type Target = 'bare' | 'help' | 'campaigns'

interface Posted {
  path: string
  at?: number
  responseType?: string
  header?: string
}

let runId = 0

/** `count` signed commands at `CONCURRENCY` in flight; ack times, and when each request was sent. */
async function load(
  endpoint: string,
  text: string,
  count: number,
  prefix: string,
): Promise<{ acks: number[]; sentAt: Map<string, number> }> {
  const acks: number[] = []
  const sentAt = new Map<string, number>()
  let next = 0
  const client = async () => {
    while (next < count) {
      const i = next++
      const path = `${prefix}-${i}`
      sentAt.set(`/response/${path}`, wallNow())
      const res = await sendSlashCommand(endpoint, SECRET, { text, responseUrl: `${responseBase}${path}` })
      if (res.status !== 200) throw new Error(`ack failed: HTTP ${res.status} ${res.body}`)
      acks.push(res.ms)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, client))
  return { acks, sentAt }
}

let responseBase = ''

/** Waits until the fake Slack has one response_url post per request of a round, and checks them. */
async function collect(slack: Child, prefix: string, sentAt: Map<string, number>, expectedHeader: string): Promise<number[]> {
  const deadline = Date.now() + 120_000
  for (;;) {
    const posted = await slack.ask<Posted[]>({ type: 'responses', prefix: `${prefix}-` })
    if (posted.length >= sentAt.size) {
      const paths = new Set(posted.map((p) => p.path))
      if (posted.length !== sentAt.size || paths.size !== sentAt.size)
        throw new Error(`${prefix}: ${posted.length} lists posted for ${sentAt.size} requests`)
      const wrong = posted.find((p) => p.responseType !== 'ephemeral' || p.header !== expectedHeader)
      if (wrong)
        throw new Error(`${prefix}: a posted list is not the expected one: ${JSON.stringify(wrong)} (expected "${expectedHeader}")`)
      return posted.map((p) => {
        const sent = sentAt.get(p.path)
        if (p.at === undefined || sent === undefined) throw new Error(`${prefix}: ${p.path} has no arrival time or was not sent`)
        return p.at - sent
      })
    }
    if (Date.now() > deadline) throw new Error(`${prefix}: only ${posted.length} of ${sentAt.size} lists were posted within 120 s`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function benchAckLatency(): Promise<void> {
  const slack = await startChild('fake-slack-process.ts')
  const env = { BENCH_SIGNING_SECRET: SECRET, BENCH_SLACK_API_URL: String(slack.ready.apiUrl) }
  responseBase = `${String(slack.ready.url)}/response/`
  const bare = await startChild('bare-bolt-process.ts', env)
  const ratios: string[] = []
  try {
    // BENCH_ACK_DATABASES=pglite (or postgres): only that run.
    const kinds = (process.env.BENCH_ACK_DATABASES ?? 'pglite,postgres').split(',')
    for (const kind of (['pglite', 'postgres'] as const).filter((k) => kinds.includes(k))) {
      if (kind === 'postgres' && !(await postgresAvailable())) {
        console.log('\n(a) PostgreSQL not reachable: skipped the run on a real server')
        continue
      }
      // BENCH_CPU_PROF_DIR=<dir>: each Promoly process writes a CPU profile of the measured part there.
      const promoly = await startChild('promoly-process.ts', { ...env, BENCH_DATABASE: kind })
      try {
        ratios.push(`${kind} ${await benchWith(kind, slack, bare, promoly)}`)
      } finally {
        await promoly.stop()
      }
    }
  } finally {
    await bare.stop()
    await slack.stop()
  }
  console.log(`\n(a) /promoly campaigns ack p99 ÷ bare Bolt ack p99: ${ratios.join(', ')}`)
}

async function benchWith(kind: string, slack: Child, bare: Child, promoly: Child): Promise<string> {
  const endpoints: Record<Target, string> = {
    bare: String(bare.ready.endpoint),
    help: String(promoly.ready.endpoint),
    campaigns: String(promoly.ready.endpoint),
  }
  const texts: Record<Target, string> = { bare: 'help', help: 'help', campaigns: 'campaigns' }
  const expectedHeader = `Active campaigns (${Number(promoly.ready.active)})`
  const acks: Record<Target, number[]> = { bare: [], help: [], campaigns: [] }
  const lists: number[] = []
  const order: Target[] = ['bare', 'help', 'campaigns']
  const run = async (target: Target, count: number) => {
    const prefix = `${kind}-${target}-${++runId}`
    const round = await load(endpoints[target], texts[target], count, prefix)
    if (target === 'campaigns') lists.push(...(await collect(slack, prefix, round.sentAt, expectedHeader)))
    return round.acks
  }
  for (const target of order) await run(target, WARM_UP)
  lists.length = 0
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so no target always follows the same one.
    for (const target of [...order.slice(r % 3), ...order.slice(0, r % 3)]) acks[target].push(...(await run(target, PER_TARGET / ROUNDS)))
  }
  const s = { bare: summary(acks.bare), help: summary(acks.help), campaigns: summary(acks.campaigns) }
  const ratio = (t: Target, p: 'p50' | 'p99') => `${(s[t][p] / s.bare[p]).toFixed(2)}×`
  console.log(
    `\n(a) Ack latency, ${PER_TARGET} signed requests per target at ${CONCURRENCY} concurrent, ${ROUNDS} interleaved rounds` +
      ` (database: ${kind}, ${Number(promoly.ready.campaigns)} campaigns; Promoly, the bare app and the fake Slack in separate processes)`,
  )
  console.log(`    bare Bolt app (static ack)   p50 ${ms(s.bare.p50)}  p99 ${ms(s.bare.p99)}  max ${ms(s.bare.max)}`)
  for (const t of ['help', 'campaigns'] as const) {
    console.log(
      `    /promoly ${t.padEnd(19)} p50 ${ms(s[t].p50)}  p99 ${ms(s[t].p99)}  max ${ms(s[t].max)}  ratio p50 ${ratio(t, 'p50')} p99 ${ratio(t, 'p99')}`,
    )
  }
  const l = summary(lists)
  console.log(
    `    campaigns list on response_url (request sent → list posted, ${l.n} checked): p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`,
  )
  return ratio('campaigns', 'p99')
}
