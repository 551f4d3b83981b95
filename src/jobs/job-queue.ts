import * as z from 'zod'
import type { Logger } from '../lib/logger.ts'

/** A job kind: a name, the zod schema of its payload (ids only, never secrets) and its handler. */
export interface JobDefinition<P = unknown> {
  readonly name: string
  readonly schema: z.ZodType<P>
  /** Total tries, including the first (default 3). */
  readonly attempts?: number
  /** First retry delay; doubles each attempt (default 2 s). */
  readonly backoffMs?: number
  handler(payload: P, ctx: JobContext): Promise<void>
}

export interface JobContext {
  readonly logger: Logger
  /** 1 on the first try. */
  readonly attempt: number
  readonly jobId: string
}

export interface EnqueueOptions {
  /**
   * While a job with this key is waiting or running, enqueueing another with the same key is a no-op.
   * Use it for "sync this account": ten clicks on sync make one job.
   */
  dedupeKey?: string
  delayMs?: number
}

export type Schedule = { everyMs: number } | { cron: string; tz?: string }

/** The payload of jobs that take none (every recurring job). */
export type EmptyPayload = Record<string, never>

/** The schema of that payload: an empty object, nothing more. */
export const emptyPayload = z.object({}).strict() as z.ZodType<EmptyPayload>

/** A job as its file defines it (src/jobs/definitions/): run when enqueued, never on a schedule. */
export interface Job<P> {
  readonly definition: JobDefinition<P>
  readonly schedule?: undefined
}

/** A job that also runs on a schedule (its id is the job's name), optionally once more at start-up. */
export interface RecurringJob {
  readonly definition: JobDefinition<EmptyPayload>
  readonly schedule: Schedule
  /** Also enqueued once when a worker starts (several workers: one run), instead of waiting a whole interval. */
  readonly atStartup?: boolean
}

/** The one interface jobs go through: BullMQ on Redis when REDIS_URL is set, in-process otherwise. */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process'
  /** Resolves to false when a job with the same dedupe key was already waiting or running. */
  enqueue<P>(def: JobDefinition<P>, payload: P, options?: EnqueueOptions): Promise<boolean>
  /** Idempotent: calling it again with the same id replaces the schedule. */
  schedule<P>(id: string, def: JobDefinition<P>, payload: P, schedule: Schedule): Promise<void>
  /** Starts consuming jobs in this process (the `worker` role). */
  startWorker(): Promise<void>
  /** Resolves when the queue backend answers (readiness). */
  ping(): Promise<void>
  /** Resolves when nothing is waiting or running (tests, benchmarks). */
  drain(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** Errors a retry cannot fix (bad input, revoked token): the queue gives up at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PermanentJobError'
  }
}

export function backoffDelay(def: JobDefinition<unknown>, attempt: number): number {
  const base = def.backoffMs ?? 2000
  return Math.min(base * 2 ** (attempt - 1), 10 * 60_000)
}

export function findDefinition(defs: readonly JobDefinition<unknown>[], name: string): JobDefinition<unknown> {
  const def = defs.find((d) => d.name === name)
  if (!def) throw new PermanentJobError(`Unknown job "${name}"`)
  return def
}
