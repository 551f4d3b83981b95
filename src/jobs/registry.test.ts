/** The registry: every job once, recurring ones on their schedules, and the start-up runs. */
import { describe, expect, it } from 'vitest'
import type { DomainDeps } from '../domain/deps.ts'
import type { Notifier } from '../domain/notifier.ts'
import type { EnqueueOptions, JobDefinition, JobQueue, Schedule } from './job-queue.ts'
import { createJobs, scheduleJobs } from './registry.ts'

function recordingQueue() {
  const calls: Array<
    | { op: 'schedule'; id: string; job: string; payload: unknown; schedule: Schedule }
    | { op: 'enqueue'; job: string; payload: unknown; options?: EnqueueOptions }
  > = []
  const queue: JobQueue = {
    kind: 'in-process',
    async enqueue(def, payload, options) {
      calls.push({ op: 'enqueue', job: def.name, payload, options })
      return true
    },
    async schedule(id, def, payload, schedule) {
      calls.push({ op: 'schedule', id, job: def.name, payload, schedule })
    },
    async startWorker() {},
    async ping() {},
    async drain() {},
    async close() {},
  }
  return { queue, calls }
}

describe('job registry', () => {
  // Building the jobs runs no handler: nothing of the domain or the notifier is touched here.
  const jobs = createJobs({
    domain: {} as DomainDeps,
    notifier: {} as Notifier,
    syncIntervalMs: 3 * 3_600_000,
    queue: () => recordingQueue().queue,
  })

  it('lists each job once, under a distinct name, with its named handle among them', () => {
    const names = jobs.all.map((d) => d.name)
    expect(new Set(names).size).toBe(names.length)
    const named = Object.entries(jobs)
      .filter(([k]) => k !== 'all' && k !== 'recurring')
      .map(([, d]) => d as JobDefinition<unknown>)
    expect(named.map((d) => d.name).sort()).toEqual([...names].sort())
    for (const d of named) expect(jobs.all).toContain(d)
  })

  it('schedules every recurring job under its own name, then enqueues the start-up runs once', async () => {
    const { queue, calls } = recordingQueue()
    await scheduleJobs(queue, jobs)
    const schedules = Object.fromEntries(calls.flatMap((c) => (c.op === 'schedule' ? [[c.id, c.schedule]] : [])))
    expect(schedules).toEqual({
      'sync-all': { everyMs: 3 * 3_600_000 },
      'fast-sync-tick': { everyMs: 15 * 60_000 },
      'expire-changes': { everyMs: 5 * 60_000 },
      'evaluate-outcomes': { everyMs: 6 * 3_600_000 },
      'recover-changes': { everyMs: 15_000 },
      'digest-tick': { cron: '* * * * *' },
    })
    expect(calls.every((c) => c.op === 'enqueue' || (c.id === c.job && JSON.stringify(c.payload) === '{}'))).toBe(true)
    const enqueued = calls.flatMap((c) => (c.op === 'enqueue' ? [[c.job, c.options?.dedupeKey]] : []))
    expect(enqueued).toEqual([
      ['recover-changes', 'recover-changes-startup'],
      ['sync-all', 'sync-all-startup'],
    ])
    // Start-up runs come after the schedules exist.
    expect(calls.findIndex((c) => c.op === 'enqueue')).toBe(calls.filter((c) => c.op === 'schedule').length)
  })

  it('accepts the empty payload of every recurring job', () => {
    for (const job of jobs.recurring) expect(job.definition.schema.safeParse({}).success).toBe(true)
  })
})
