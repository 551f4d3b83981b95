import * as z from 'zod'
import { applyChange, changesNeedingApply } from '../domain/changes/apply-change.ts'
import { expireChanges } from '../domain/changes/decide-change.ts'
import { evaluateOutcomes } from '../domain/changes/evaluate-outcomes.ts'
import { ensureDefaultConnection, type DefaultConnectionSource } from '../domain/connections/ensure-default-connection.ts'
import type { ChangeCardPublisher } from '../integrations/slack-web/change-card-publisher.ts'
import type { SuggestionPoster } from '../integrations/slack-web/suggestion-poster.ts'
import { optimizeAdAccount } from '../domain/suggestions/optimize-ad-account.ts'
import { claimDigest, dueDigests } from '../domain/digests/due-digests.ts'
import type { DigestPoster } from '../integrations/slack-web/digest-poster.ts'
import type { DomainDeps } from '../domain/deps.ts'
import { syncAdAccount } from '../domain/sync/sync-ad-account.ts'
import type { SlackClients } from '../integrations/slack-web/slack-clients.ts'
import { asAppError, isPermanentFailure, retryAfterMsOf } from '../domain/meta-errors.ts'
import { AppError } from '../lib/errors.ts'
import { escapeMrkdwn } from '../lib/mrkdwn.ts'
import { PermanentJobError, type JobDefinition, type JobQueue } from './job-queue.ts'

const notifySchema = z.object({ teamId: z.string(), channelId: z.string(), userId: z.string() })

export const syncAccountPayload = z.object({
  adAccountId: z.string().min(1),
  full: z.boolean().optional(),
  backfill: z.boolean().optional(),
  notify: notifySchema.optional(),
})
export type SyncAccountPayload = z.infer<typeof syncAccountPayload>

export interface JobDeps {
  domain: DomainDeps
  slack: SlackClients
  /** The deployment's own Meta token (env or simulator) every new workspace is connected with. */
  defaultConnection?: DefaultConnectionSource
  cards: ChangeCardPublisher
  postSuggestions: SuggestionPoster
  digests: DigestPoster
  /** Set once the queue exists (jobs enqueue other jobs). */
  queue(): JobQueue
}

export interface PromolyJobs {
  syncAccount: JobDefinition<SyncAccountPayload>
  syncAll: JobDefinition<Record<string, never>>
  bootstrapWorkspace: JobDefinition<{ workspaceId: string }>
  applyChange: JobDefinition<{ changeId: string; idempotencyKey: string }>
  expireChanges: JobDefinition<Record<string, never>>
  evaluateOutcomes: JobDefinition<Record<string, never>>
  optimizeAccount: JobDefinition<{ adAccountId: string }>
  recoverChanges: JobDefinition<Record<string, never>>
  digestTick: JobDefinition<Record<string, never>>
  postDigest: JobDefinition<{ runId: string }>
  all: JobDefinition<any>[]
}

/** Every job Promoly runs: name, zod payload (ids only, never tokens) and handler. */
export function createJobDefinitions(deps: JobDeps): PromolyJobs {
  const { domain } = deps
  const log = domain.logger

  async function tell(notify: z.infer<typeof notifySchema> | undefined, text: string) {
    if (!notify) return
    const client = await deps.slack.forTeam(notify.teamId)
    await client?.chat.postEphemeral({ channel: notify.channelId, user: notify.userId, text }).catch((err) => log.warn({ err }, 'could not post the sync result'))
  }

  async function tellReconnect(adAccountId: string, notify: z.infer<typeof notifySchema> | undefined, message: string) {
    if (notify) return tell(notify, `:warning: ${escapeMrkdwn(message)}`)
    const account = await domain.prisma.adAccount.findUnique({ where: { id: adAccountId }, include: { connection: true, workspace: true } })
    const userId = account?.connection.createdBySlackUserId
    if (!account || !userId) return
    const client = await deps.slack.forTeam(account.workspace.slackTeamId)
    await client?.chat
      .postMessage({ channel: userId, text: `:warning: Syncing *${escapeMrkdwn(account.name)}* stopped: ${escapeMrkdwn(message)}` })
      .catch((err) => log.warn({ err }, 'could not DM the reconnect notice'))
  }

  const syncAccount: JobDefinition<SyncAccountPayload> = {
    name: 'sync-account',
    schema: syncAccountPayload,
    attempts: 5,
    backoffMs: 5_000,
    async handler(payload, ctx) {
      try {
        const r = await syncAdAccount(domain, { adAccountId: payload.adAccountId, full: payload.full, backfill: payload.backfill })
        if (r.skipped === 'needs_reconnect') {
          await tell(payload.notify, ':warning: Meta no longer accepts the token of this ad account. An admin needs to run `/promoly connect` again.')
          return
        }
        if (r.skipped) return
        if (payload.full) {
          // The first sync took 28 days: fetch the month before in the background for comparisons.
          await deps.queue().enqueue(syncAccount, { adAccountId: r.adAccountId, backfill: true }, { dedupeKey: `backfill-${r.adAccountId}` })
        }
        if (payload.backfill) return
        // Fresh numbers: look for what is worth changing (one optimizer run per account at a time).
        await deps.queue().enqueue(optimizeAccount, { adAccountId: r.adAccountId }, { dedupeKey: `optimize-${r.adAccountId}` })
        const account = await domain.prisma.adAccount.findUnique({ where: { id: r.adAccountId } })
        await tell(payload.notify, `:white_check_mark: Synced *${escapeMrkdwn(account?.name ?? r.metaAccountId)}*: ${r.campaigns} campaigns, ${r.metricRows} campaign-days (${r.since} → ${r.until}).`)
      } catch (err) {
        const appErr = asAppError(err)
        const permanent = appErr !== undefined && isPermanentFailure(appErr)
        // Auth and permission errors pause the connection (sync-ad-account), so this notice is sent once.
        const retryAfterMs = appErr && retryAfterMsOf(appErr)
        if (retryAfterMs !== undefined) {
          // Meta said when it frees up: come back then instead of burning retries now.
          await deps.queue().enqueue(syncAccount, payload, { delayMs: retryAfterMs, dedupeKey: `sync-throttled-${payload.adAccountId}` })
          ctx.logger.info({ retryAfterMs }, 'Meta throttled the sync; rescheduled')
          return
        }
        if (permanent) {
          await tellReconnect(payload.adAccountId, payload.notify, appErr?.userMessage ?? 'Meta refused the request.')
          throw new PermanentJobError(appErr?.userMessage ?? 'sync failed', { cause: err })
        }
        if (ctx.attempt >= 5) await tell(payload.notify, `:warning: The sync failed: ${escapeMrkdwn(appErr?.userMessage ?? 'an unexpected error (logged)')}. It will run again at the next scheduled sync.`)
        throw err
      }
    },
  }

  const syncAll: JobDefinition<Record<string, never>> = {
    name: 'sync-all',
    schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
    attempts: 1,
    async handler() {
      const accounts = await domain.prisma.adAccount.findMany({ where: { syncEnabled: true, connection: { status: 'ACTIVE' } }, select: { id: true } })
      for (const a of accounts) await deps.queue().enqueue(syncAccount, { adAccountId: a.id }, { dedupeKey: `sync-${a.id}` })
    },
  }

  const bootstrapWorkspace: JobDefinition<{ workspaceId: string }> = {
    name: 'bootstrap-workspace',
    schema: z.object({ workspaceId: z.string() }),
    attempts: 5,
    backoffMs: 10_000,
    async handler({ workspaceId }) {
      if (!deps.defaultConnection) return
      const existing = await domain.prisma.metaConnection.count({ where: { workspaceId } })
      if (existing > 0) return
      const accounts = await ensureDefaultConnection(domain, workspaceId, deps.defaultConnection)
      for (const a of accounts) await deps.queue().enqueue(syncAccount, { adAccountId: a.id, full: true }, { dedupeKey: `sync-${a.id}` })
    },
  }

  const optimizeAccount: JobDefinition<{ adAccountId: string }> = {
    name: 'optimize-account',
    schema: z.object({ adAccountId: z.string().min(1) }),
    attempts: 3,
    async handler({ adAccountId }, ctx) {
      const r = await optimizeAdAccount(domain, { adAccountId })
      ctx.logger.info({ adAccountId, created: r.created.length, updated: r.updated, resolved: r.resolved }, 'optimizer ran')
      const workspaceId = r.created[0]?.workspaceId
      if (workspaceId) await deps.postSuggestions(workspaceId, r.created)
    },
  }

  const applyChangeJob: JobDefinition<{ changeId: string; idempotencyKey: string }> = {
    name: 'apply-change',
    schema: z.object({ changeId: z.string(), idempotencyKey: z.string() }),
    attempts: 5,
    backoffMs: 5_000,
    async handler(payload, ctx) {
      const result = await applyChange(domain, payload)
      if (result.kind === 'throttled') {
        // Meta said when the write can go through: the change waits APPROVED until then.
        await deps.queue().enqueue(applyChangeJob, payload, { delayMs: result.retryAfterMs, dedupeKey: `apply-throttled-${payload.changeId}-${result.change.attempts}` })
        ctx.logger.info({ retryAfterMs: result.retryAfterMs }, 'Meta throttled the change; rescheduled')
      }
      if (result.kind !== 'skipped') await deps.cards.refresh(result.change)
    },
  }

  const postDigestJob: JobDefinition<{ runId: string }> = {
    name: 'post-digest',
    schema: z.object({ runId: z.string().min(1) }),
    // A failed post is marked FAILED and claimed again by a later tick (never posted twice by a retry here).
    attempts: 1,
    async handler({ runId }) {
      await deps.digests.postRun(runId)
    },
  }

  const digestTickJob: JobDefinition<Record<string, never>> = {
    name: 'digest-tick',
    schema: z.object({}) as z.ZodType<Record<string, never>>,
    attempts: 1,
    async handler() {
      for (const due of await dueDigests(domain.prisma, domain.now())) {
        const run = await claimDigest(domain.prisma, due.subscription.id, due.localDate)
        if (run) await deps.queue().enqueue(postDigestJob, { runId: run.id }, { dedupeKey: `digest-${run.id}-${run.attempts}` })
      }
    },
  }

  const recoverChangesJob: JobDefinition<Record<string, never>> = {
    name: 'recover-changes',
    schema: z.object({}) as z.ZodType<Record<string, never>>,
    attempts: 1,
    async handler(_p, ctx) {
      // Approved changes whose job was lost (restart, retries used up) or whose worker died.
      const stuck = await changesNeedingApply(domain)
      for (const c of stuck) await deps.queue().enqueue(applyChangeJob, { changeId: c.id, idempotencyKey: c.idempotencyKey }, { dedupeKey: `apply-${c.id}` })
      if (stuck.length > 0) ctx.logger.info({ count: stuck.length }, 'queued approved changes again')
    },
  }

  const expireChangesJob: JobDefinition<Record<string, never>> = {
    name: 'expire-changes',
    schema: z.object({}) as z.ZodType<Record<string, never>>,
    attempts: 1,
    async handler() {
      for (const c of await expireChanges(domain)) await deps.cards.refresh(c)
    },
  }

  const evaluateOutcomesJob: JobDefinition<Record<string, never>> = {
    name: 'evaluate-outcomes',
    schema: z.object({}) as z.ZodType<Record<string, never>>,
    attempts: 2,
    async handler(_p, ctx) {
      const judged = await evaluateOutcomes(domain)
      if (judged > 0) ctx.logger.info({ judged }, 'evaluated applied changes')
    },
  }

  return {
    postDigest: postDigestJob,
    digestTick: digestTickJob,
    recoverChanges: recoverChangesJob,
    optimizeAccount,
    evaluateOutcomes: evaluateOutcomesJob,
    syncAccount,
    syncAll,
    bootstrapWorkspace,
    applyChange: applyChangeJob,
    expireChanges: expireChangesJob,
    all: [syncAccount, syncAll, bootstrapWorkspace, optimizeAccount, applyChangeJob, recoverChangesJob, expireChangesJob, evaluateOutcomesJob, digestTickJob, postDigestJob],
  }
}
