import { randomUUID } from 'node:crypto'
import type { Member, Prisma } from '../../generated/prisma/client.ts'
import { isMetaApiError } from '../../integrations/meta/errors.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { formatMoney } from '../../lib/money.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { settingsForAccount } from '../clients/client-policy.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'
import { toAppError } from '../meta-errors.ts'
import { loadSettings } from '../settings/workspace-settings.ts'
import { type ChangeWithContext, changeTargetOf, loadChange } from './change-include.ts'
import { objectLabel } from './change-target.ts'
import { budgetOf, createCampaignValue, isBudgetChange } from './change-values.ts'
import { dbNow } from './db-clock.ts'
import { canApprove, guardrailsRefusing } from './decide-change.ts'
import { findChange } from './find-change.ts'
import { guardrailInputOf } from './guardrail-input.ts'
import { evaluateGuardrails, failing, type GuardrailResult, HARD_GUARDRAILS } from './guardrails.ts'
import {
  BUDGET_BLOCK_MS,
  blockBudgetWrites,
  budgetBlockedUntil,
  isBudgetWriteBlock,
  type LiveObject,
  type LiveWrite,
  outcomeOf,
  readLive,
  storeReadBack,
  writeLive,
} from './live-object.ts'
import { applicableMinimum } from './minimum-budget.ts'

export type ApplyResult =
  | { kind: 'applied'; change: ChangeWithContext }
  | { kind: 'failed'; change: ChangeWithContext }
  | { kind: 'skipped'; change: ChangeWithContext }
  /**
   * Not now: try again after `retryAfterMs`. Meta throttled the write (the change is APPROVED again), or a create
   * whose answer was lost is settling (the change stays APPLYING; nobody takes it over before then).
   */
  | { kind: 'throttled'; change: ChangeWithContext; retryAfterMs: number }

/** How long a claim on an APPLYING change holds, and how often its worker renews it while it works. */
export interface ApplyLease {
  leaseMs: number
  heartbeatMs: number
  /**
   * A create that was sent but whose answer never came (timeout, network error, a worker that died or lost its
   * lease): how long after sending it Promoly keeps looking for the campaign on Meta before it creates it again.
   */
  createSettleMs: number
}

/**
 * Short, because it is renewed every `heartbeatMs` while Meta's calls (and the Graph client's retries, which
 * can take minutes) run: a worker that died is taken over after at most `leaseMs`, a live one never is.
 * Lease times are the database's clock (`clock_timestamp()`), the same for every worker.
 * The create settle period is 5 × the Graph client's per-attempt timeout (60 s; a create is never retried by the
 * client itself, only throttles are, and those created nothing).
 */
export const APPLY_LEASE: ApplyLease = { leaseMs: 30_000, heartbeatMs: 10_000, createSettleMs: 5 * 60_000 }

/**
 * Why a change of this ad account must not reach Meta now, or null: its Meta connection is not ACTIVE (Promoly was
 * removed from the Slack workspace or its bot token revoked — see installation-lifecycle —, or the connection was
 * disabled or needs reconnecting).
 */
async function notConnected(db: Pick<Prisma.TransactionClient, 'adAccount'>, adAccountId: string): Promise<string | null> {
  const account = await db.adAccount.findUnique({
    where: { id: adAccountId },
    select: { connection: { select: { status: true, statusReason: true } } },
  })
  if (account?.connection.status === 'ACTIVE') return null
  const why = account
    ? (account.connection.statusReason ?? `the connection is ${account.connection.status.toLowerCase().replaceAll('_', ' ')}`)
    : 'the ad account is gone'
  return `Not applied: the Meta connection of this ad account is not active (${why})`
}

/** This attempt no longer holds the change (its lease ran out and another worker took it over). */
class LeaseLost extends Error {}

/**
 * How soon a change waits to try again while another change of the same object is being applied: that one's Meta
 * read, write and read-back take a second or two (its lease is renewed while Meta's calls run).
 */
const OBJECT_BUSY_RETRY_MS = 3_000

/** Key space of the per-ad-account advisory lock that serialises the apply-time guardrail check. */
const APPLY_LOCK_NAMESPACE = 0x50524d4f // "PRMO"

/**
 * Applies an approved change exactly once. The job carries the change's idempotency key; each
 * attempt first reads Meta's live state and only writes what is not there yet, so a retried job
 * (after a crash or a lost answer) never makes a second budget change or a second campaign.
 * The outcome recorded is what Meta reports after the write, not what was asked.
 *
 * The claim is a lease with an owner: renewed by a heartbeat while the attempt works, checked again
 * before each write to Meta and in the final write, so a worker whose lease was taken over stops
 * without writing. A change leaving APPROVED passes the guardrails once more, under the ad account's
 * lock (see claim), counting what has reached Meta or is on its way.
 */
export async function applyChange(
  deps: DomainDeps,
  options: { changeId: string; idempotencyKey: string },
  timings: Partial<ApplyLease> = {},
): Promise<ApplyResult> {
  const lease: ApplyLease = { ...APPLY_LEASE, ...timings }
  const load = () => loadChange(deps.prisma, options.changeId)
  const first = await load()
  if (first.idempotencyKey !== options.idempotencyKey)
    throw new AppError(AppErrorCode.CONFLICT, 'idempotency key does not match this change')
  if (first.status !== 'APPROVED' && first.status !== 'APPLYING') return { kind: 'skipped', change: first }
  const owner = randomUUID()
  const claimed = await claim(deps, first, owner, lease)
  if (claimed === 'lost') return { kind: 'skipped', change: await load() }
  if (claimed === 'busy') {
    deps.logger.info({ changeId: first.id }, 'another change of this object is being applied; this one waits its turn')
    return { kind: 'throttled', change: await load(), retryAfterMs: OBJECT_BUSY_RETRY_MS }
  }
  if (typeof claimed === 'object') {
    // Meta blocked this object's budget for an hour: the change waits APPROVED, never tried sooner.
    const waitMs = Math.max(1_000, claimed.blockedUntil.getTime() - (await dbNow(deps.prisma)).getTime())
    deps.logger.info({ changeId: first.id, waitMs }, "Meta blocks this object's budget changes; the change waits until the block frees")
    return { kind: 'throttled', change: await load(), retryAfterMs: waitMs }
  }
  if (claimed === 'refused') return { kind: 'failed', change: await load() }
  const change = await load()
  const mine = { id: change.id, leaseOwner: owner, status: 'APPLYING' as const }
  if (change.attempts > MAX_APPLY_ATTEMPTS)
    return fail(deps, change, `Meta could not be reached after ${MAX_APPLY_ATTEMPTS} attempts.`, load, owner)

  /** Renews the lease; throws LeaseLost when another worker holds the change now. */
  const renew = async () => {
    const until = new Date((await dbNow(deps.prisma)).getTime() + lease.leaseMs)
    const r = await deps.prisma.changeRequest.updateMany({ where: mine, data: { leaseExpiresAt: until } })
    if (r.count === 0) throw new LeaseLost()
  }
  /** Before each write to Meta: still ours, and the ad account still connected (not uninstalled meanwhile). */
  const beforeWrite = async () => {
    await renew()
    const refusal = await notConnected(deps.prisma, change.adAccountId)
    if (refusal) throw new AppError(AppErrorCode.NOT_CONNECTED, `${refusal}; nothing was changed on Meta.`)
  }
  const heartbeat = setInterval(() => {
    renew().catch((err) => {
      if (!(err instanceof LeaseLost)) deps.logger.warn({ err, changeId: change.id }, 'could not renew the apply lease')
    })
  }, lease.heartbeatMs)
  heartbeat.unref()
  /** Which write to Meta is under way: a budget write's throttle blocks the object for an hour. */
  let writing: 'budget' | 'status' | null = null
  /** The object as read before writing (to say so when it was deleted on Meta since the proposal). */
  let liveBefore: LiveObject | null = null

  try {
    const account = await deps.prisma.adAccount.findUniqueOrThrow({ where: { id: change.adAccountId }, include: { connection: true } })
    const token = connectionToken(deps, account.connection)
    let metaCampaignId = change.campaign?.metaCampaignId
    if (change.type === 'CREATE_CAMPAIGN') {
      const parsed = createCampaignValue.safeParse(change.proposedValue)
      if (!parsed.success) {
        // A proposal stored before Promoly collected the countries of a special ad category: Meta would refuse it.
        const missingCountries = parsed.error.issues.some((i) => i.path.join('.') === 'specialAdCategoryCountries')
        if (!missingCountries) throw parsed.error
        return await fail(
          deps,
          change,
          'This proposal predates the countries of special ad categories: Meta requires the countries a special ad category applies in (special_ad_category_country), and this one names none. Nothing was created; propose it again.',
          load,
          owner,
        )
      }
      const v = parsed.data
      const earlier = (change.outcome ?? {}) as { metaCampaignId?: string; createSentAt?: string }
      metaCampaignId = earlier.metaCampaignId
      // Only a retry looks for a campaign an earlier attempt may have created before its answer was lost;
      // a first attempt never adopts someone else's campaign of the same name.
      if (!metaCampaignId && (earlier.createSentAt || change.attempts > 1))
        metaCampaignId = await findCreatedEarlier(deps, token, account.metaAccountId, v.name, change.decidedAt)
      if (!metaCampaignId && earlier.createSentAt) {
        // An earlier attempt sent the create and never heard back: Meta may still be creating it. Until the
        // settle period is over, look again later instead of creating a second campaign; the change stays
        // APPLYING (counted by the guardrails) and nobody takes it over before then.
        const settledAt = Date.parse(earlier.createSentAt) + lease.createSettleMs
        const waitMs = settledAt - (await dbNow(deps.prisma)).getTime()
        if (waitMs > 0) {
          const r = await deps.prisma.changeRequest.updateMany({
            where: mine,
            data: { leaseOwner: null, leaseExpiresAt: new Date(settledAt) },
          })
          if (r.count === 0) throw new LeaseLost()
          deps.logger.info({ changeId: change.id, waitMs }, 'a create was sent without an answer; looking for the campaign again later')
          return { kind: 'throttled', change: await load(), retryAfterMs: waitMs }
        }
      }
      if (!metaCampaignId) {
        await beforeWrite()
        // Marked before sending: any later attempt (after a timeout, a crash, a lost lease) knows a create may be on its way.
        const sentAt = (await dbNow(deps.prisma)).toISOString()
        const marked = await deps.prisma.changeRequest.updateMany({ where: mine, data: { outcome: { createSentAt: sentAt } } })
        if (marked.count === 0) throw new LeaseLost()
        const created = await deps.meta.createCampaign(token, account.metaAccountId, {
          name: v.name,
          objective: v.objective as never,
          status: 'PAUSED',
          specialAdCategories: v.specialAdCategories,
          specialAdCategoryCountries: v.specialAdCategoryCountries,
          // None: the budgets live on the ad sets (is_adset_budget_sharing_enabled=false is sent).
          ...(v.dailyBudgetMinor === undefined ? {} : { dailyBudgetMinor: v.dailyBudgetMinor }),
        })
        metaCampaignId = created.id
        await rememberCreated(deps, change.id, owner, metaCampaignId)
      }
    } else {
      const target = changeTargetOf(change)
      if (!target) throw new Error(`change ${change.id} (${change.type}) has no object to act on`)
      const live = await readLive(deps.meta, token, target.level, target.metaId)
      liveBefore = live
      const proposed = change.proposedValue as { status?: string; dailyBudgetMinor?: number; lifetimeBudgetMinor?: number }
      // The guardrails judged the change against the budget of the proposal: if someone changed it on
      // Meta since (and it is not our own earlier attempt), do not apply a change nobody approved.
      const was = change.currentValue as { dailyBudgetMinor?: number; lifetimeBudgetMinor?: number }
      const drifted =
        (change.type === 'SET_DAILY_BUDGET' &&
          live.dailyBudgetMinor !== was.dailyBudgetMinor &&
          live.dailyBudgetMinor !== proposed.dailyBudgetMinor) ||
        (change.type === 'SET_LIFETIME_BUDGET' &&
          live.lifetimeBudgetMinor !== was.lifetimeBudgetMinor &&
          live.lifetimeBudgetMinor !== proposed.lifetimeBudgetMinor)
      if (drifted) {
        return await fail(
          deps,
          change,
          `The budget changed on Meta since this was proposed (now ${nowOnMeta(live.dailyBudgetMinor ?? live.lifetimeBudgetMinor, change.adAccount.currency)}); nothing was applied. Propose the change again.`,
          load,
          owner,
        )
      }
      const write = missingWrite(change.type, live, proposed)
      if (write) {
        await beforeWrite()
        writing = 'status' in write ? 'status' : 'budget'
        await writeLive(deps.meta, token, target.level, target.metaId, write)
        writing = null
      }
      const after = await readLive(deps.meta, token, target.level, target.metaId)
      if (target.level !== 'campaign') return await finish(after)
      metaCampaignId = after.id
    }
    if (!metaCampaignId) throw new Error(`change ${change.id} (${change.type}) has no campaign to act on`)
    return await finish(await readLive(deps.meta, token, 'campaign', metaCampaignId))
  } catch (err) {
    return await failed(err)
  } finally {
    clearInterval(heartbeat)
  }

  /** APPLIED with what Meta reports after the write; the stored object brought up to date. */
  async function finish(after: LiveObject): Promise<ApplyResult> {
    const outcome = outcomeOf(after)
    const now = deps.now()
    const account = change.adAccount
    await deps.prisma.$transaction(async (tx) => {
      // The final write only while this attempt still holds the change (else nothing of it is kept).
      const won = await tx.changeRequest.updateMany({
        where: mine,
        data: {
          status: 'APPLIED',
          appliedAt: now,
          outcome: outcome as Prisma.InputJsonValue,
          failureReason: null,
          leaseOwner: null,
          leaseExpiresAt: null,
        },
      })
      if (won.count === 0) throw new LeaseLost()
      if (after.level !== 'campaign') await storeReadBack(tx, change, after)
      else {
        const campaign = await tx.campaign.upsert({
          where: { adAccountId_metaCampaignId: { adAccountId: account.id, metaCampaignId: after.id } },
          create: {
            adAccountId: account.id,
            metaCampaignId: after.id,
            name: after.name,
            objective: after.objective ?? 'UNKNOWN',
            status: after.status ?? 'PAUSED',
            effectiveStatus: after.effectiveStatus ?? after.status ?? 'PAUSED',
            dailyBudget: after.dailyBudgetMinor === null ? null : BigInt(after.dailyBudgetMinor),
            lifetimeBudget: after.lifetimeBudgetMinor === null ? null : BigInt(after.lifetimeBudgetMinor),
          },
          update: {
            status: after.status ?? undefined,
            effectiveStatus: after.effectiveStatus ?? undefined,
            dailyBudget: after.dailyBudgetMinor === null ? null : BigInt(after.dailyBudgetMinor),
            lifetimeBudget: after.lifetimeBudgetMinor === null ? null : BigInt(after.lifetimeBudgetMinor),
          },
        })
        await tx.changeRequest.update({ where: { id: change.id }, data: { campaignId: campaign.id } })
      }
      if (change.suggestionId) await tx.suggestion.updateMany({ where: { id: change.suggestionId }, data: { status: 'APPLIED' } })
      await recordAuditEvent(tx, {
        workspaceId: change.workspaceId,
        actorType: 'system',
        actorId: change.decidedBySlackUserId,
        action: 'change.applied',
        targetType: 'change_request',
        targetId: change.id,
        data: {
          type: change.type,
          before: change.currentValue as Prisma.InputJsonValue,
          after: outcome as Prisma.InputJsonValue,
          approvedBy: change.decidedBySlackUserId,
        },
      })
    })
    return { kind: 'applied', change: await load() }
  }

  /** What an error of this attempt leaves the change as. */
  async function failed(err: unknown): Promise<ApplyResult> {
    if (err instanceof LeaseLost) {
      deps.logger.warn({ changeId: change.id }, 'another worker took over this change; this attempt stops without writing')
      return { kind: 'skipped', change: await load() }
    }
    if (writing === 'budget' && isBudgetWriteBlock(err)) {
      // Meta blocks this object's budget for an hour (17, or 613/1487632): it wrote nothing; the change waits
      // APPROVED until the block frees, and nothing tries this object's budget sooner.
      const until = new Date((await dbNow(deps.prisma)).getTime() + BUDGET_BLOCK_MS)
      await deps.prisma.$transaction(async (tx) => {
        await blockBudgetWrites(tx, change, until)
        await tx.changeRequest.updateMany({ where: mine, data: { status: 'APPROVED', leaseOwner: null, leaseExpiresAt: null } })
      })
      deps.logger.warn({ changeId: change.id, until }, "Meta blocked this object's budget changes for an hour")
      return { kind: 'throttled', change: await load(), retryAfterMs: BUDGET_BLOCK_MS }
    }
    if (isMetaApiError(err) && err.kind === 'throttled') {
      // Meta refused the call, so it wrote nothing: the change waits APPROVED (and passes the guardrails again).
      await deps.prisma.changeRequest.updateMany({ where: mine, data: { status: 'APPROVED', leaseOwner: null, leaseExpiresAt: null } })
      return { kind: 'throttled', change: await load(), retryAfterMs: err.retryAfterMs ?? 60_000 }
    }
    if (isMetaApiError(err) && (err.kind === 'transient' || err.source === 'network' || err.source === 'timeout')) {
      // The write may have reached Meta: the change stays APPLYING (counted by the guardrails) and its lease is
      // released, so the job's retry (or the recovery sweep) takes it over at once and reads Meta's state.
      await deps.prisma.changeRequest.updateMany({ where: mine, data: { leaseOwner: null, leaseExpiresAt: null } })
      throw err
    }
    const reason = isMetaApiError(err)
      ? goneOnMeta(change, liveBefore, toAppError(err).userMessage)
      : err instanceof AppError
        ? err.userMessage
        : 'An unexpected error stopped the change (it has been logged).'
    if (!isMetaApiError(err) && !(err instanceof AppError)) deps.logger.error({ err, changeId: change.id }, 'applying a change failed')
    return fail(deps, change, reason, load, owner)
  }
}

/** The write a change still needs on Meta, or null when Meta already has it (an earlier attempt wrote it). */
function missingWrite(
  type: ChangeWithContext['type'],
  live: LiveObject,
  proposed: { status?: string; dailyBudgetMinor?: number; lifetimeBudgetMinor?: number },
): LiveWrite | null {
  if ((type === 'PAUSE' || type === 'RESUME') && live.status !== proposed.status) return { status: proposed.status as 'PAUSED' | 'ACTIVE' }
  if (type === 'SET_DAILY_BUDGET' && proposed.dailyBudgetMinor !== undefined && live.dailyBudgetMinor !== proposed.dailyBudgetMinor)
    return { dailyBudgetMinor: proposed.dailyBudgetMinor }
  if (
    type === 'SET_LIFETIME_BUDGET' &&
    proposed.lifetimeBudgetMinor !== undefined &&
    live.lifetimeBudgetMinor !== proposed.lifetimeBudgetMinor
  )
    return { lifetimeBudgetMinor: proposed.lifetimeBudgetMinor }
  return null
}

/** Meta's refusal, said plainly when the object was deleted (or archived) on Meta since the proposal. */
function goneOnMeta(change: ChangeWithContext, live: LiveObject | null, metaMessage: string): string {
  const target = changeTargetOf(change)
  if (!live || !target || (live.status !== 'DELETED' && live.status !== 'ARCHIVED')) return metaMessage
  return `${objectLabel(target)} was ${live.status.toLowerCase()} on Meta since this was proposed; nothing was changed. Meta said: ${metaMessage}`
}

/**
 * Takes the change for this attempt: APPROVED, or APPLYING whose lease ran out (its worker died mid-way).
 * Under a per-ad-account advisory lock, a change leaving APPROVED passes the guardrails again — counting the
 * account's changes APPLYING now and APPLIED (by when) — so changes approved at the same moment go through
 * one after the other; the ones over a limit end FAILED with the reason, audited. An override given at
 * approval still covers the guardrails it overrode then, never a hard one (Meta's hourly limit, the ceiling).
 * A change taken over while APPLYING has passed them already (and may be on Meta): it is not checked again.
 * One change at a time per campaign: while another change of the same campaign is APPLYING under a live lease
 * (its Meta read, write and read-back under way), this one is not taken ('busy': it stays as it is and its job
 * tries again shortly), so its drift check sees the other's write on Meta — never a stale budget.
 */
async function claim(
  deps: DomainDeps,
  change: ChangeWithContext,
  owner: string,
  lease: ApplyLease,
): Promise<'claimed' | 'lost' | 'refused' | 'busy' | { blockedUntil: Date }> {
  const settings = await settingsForAccount(deps.prisma, await loadSettings(deps.prisma, change.workspaceId), change.adAccountId)
  const overridden = new Set(
    change.overrideReason ? ((change.guardrails ?? []) as unknown as GuardrailResult[]).filter((g) => !g.ok).map((g) => g.name) : [],
  )
  // Meta's minimum for the object, read before the lock (a Graph call): the apply judges a raise to the minimum as the
  // approval did (allowed beyond the per-change limit). Unreadable: the plain fallback, which refuses less.
  const minimum =
    change.status === 'APPROVED' && isBudgetChange(change.type)
      ? await deps.prisma.adAccount
          .findUniqueOrThrow({ where: { id: change.adAccountId }, include: { connection: true } })
          .then((account) => applicableMinimum(deps, account, change))
          .catch(() => null)
      : null
  return deps.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPLY_LOCK_NAMESPACE}::int, hashtext(${change.adAccountId}))`
    const clock = await dbNow(tx)
    const row = await tx.changeRequest.findUnique({ where: { id: change.id }, select: { status: true, leaseExpiresAt: true } })
    const free = row?.status === 'APPROVED' || (row?.status === 'APPLYING' && (row.leaseExpiresAt === null || row.leaseExpiresAt < clock))
    if (!row || !free) return 'lost'
    const object = sameObject(change)
    if (object) {
      const other = await tx.changeRequest.findFirst({
        where: { ...object, id: { not: change.id }, status: 'APPLYING', leaseExpiresAt: { gte: clock } },
        select: { id: true },
      })
      if (other) {
        // Waiting, not stuck: the recovery sweep leaves an APPROVED change alone while it keeps being touched.
        if (row.status === 'APPROVED')
          await tx.changeRequest.updateMany({ where: { id: change.id, status: 'APPROVED' }, data: { updatedAt: clock } })
        return 'busy'
      }
    }
    const disconnected = await notConnected(tx, change.adAccountId)
    if (disconnected) {
      // Uninstalled (or the connection stopped) after the approval: nothing more goes to Meta for this change.
      const reason =
        row.status === 'APPROVED'
          ? `${disconnected}; nothing was changed on Meta.`
          : `${disconnected}. Promoly stopped before it could confirm this change: an earlier attempt may have reached Meta, check the campaign in Ads Manager.`
      await tx.changeRequest.updateMany({
        where: { id: change.id, status: row.status, leaseExpiresAt: row.leaseExpiresAt },
        data: { status: 'FAILED', failureReason: reason, leaseOwner: null, leaseExpiresAt: null },
      })
      await recordAuditEvent(tx, {
        workspaceId: change.workspaceId,
        actorType: 'system',
        action: 'change.failed',
        targetType: 'change_request',
        targetId: change.id,
        data: { reason },
      })
      return 'refused'
    }
    if (isBudgetChange(change.type)) {
      const blockedUntil = await budgetBlockedUntil(tx, change, clock)
      if (blockedUntil) {
        // Not taken: it stays as it is (APPROVED, or APPLYING with a lapsed lease) and its job waits for the block.
        if (row.status === 'APPROVED')
          await tx.changeRequest.updateMany({ where: { id: change.id, status: 'APPROVED' }, data: { updatedAt: clock } })
        return { blockedUntil }
      }
    }
    if (row.status === 'APPROVED') {
      const results = await evaluateGuardrails(
        tx,
        guardrailInputOf(change, change.proposedValue, minimum?.minor),
        settings,
        deps.now(),
        change.id,
        'apply',
      )
      const refused = failing(results).filter((r) => HARD_GUARDRAILS.has(r.name) || !overridden.has(r.name))
      if (refused.length > 0) {
        const reason = `Refused by the guardrails when it was to be applied: ${refused.map((r) => r.message).join('; ')}. Nothing was changed on Meta.`
        await tx.changeRequest.update({
          where: { id: change.id },
          data: { status: 'FAILED', failureReason: reason, guardrails: results as unknown as Prisma.InputJsonValue },
        })
        await recordAuditEvent(tx, {
          workspaceId: change.workspaceId,
          actorType: 'system',
          action: 'change.failed',
          targetType: 'change_request',
          targetId: change.id,
          data: { reason, guardrails: refused.map((r) => r.name) },
        })
        return 'refused'
      }
    }
    const won = await tx.changeRequest.updateMany({
      where: { id: change.id, status: row.status, leaseExpiresAt: row.leaseExpiresAt },
      data: {
        status: 'APPLYING',
        attempts: { increment: 1 },
        leaseOwner: owner,
        leaseExpiresAt: new Date(clock.getTime() + lease.leaseMs),
      },
    })
    return won.count === 1 ? 'claimed' : 'lost'
  })
}

const MAX_APPLY_ATTEMPTS = 10

/** The changes that write to the same object on Meta as this one (one at a time each), or null for a create. */
function sameObject(change: ChangeWithContext): Prisma.ChangeRequestWhereInput | null {
  if (change.level === 'ad' && change.adId) return { level: 'ad', adId: change.adId }
  if (change.level === 'adset' && change.adSetId) return { level: 'adset', adSetId: change.adSetId }
  if (change.campaignId) return { level: 'campaign', campaignId: change.campaignId }
  return null
}

/** FAILED with a reason, audited — only while this attempt (`owner`) still holds the change. */
async function fail(
  deps: DomainDeps,
  change: ChangeWithContext,
  reason: string,
  load: () => Promise<ChangeWithContext>,
  owner: string,
): Promise<ApplyResult> {
  const done = await deps.prisma.$transaction(async (tx) => {
    const r = await tx.changeRequest.updateMany({
      where: { id: change.id, leaseOwner: owner, status: 'APPLYING' },
      data: { status: 'FAILED', failureReason: reason, leaseOwner: null, leaseExpiresAt: null },
    })
    if (r.count === 0) return false
    await recordAuditEvent(tx, {
      workspaceId: change.workspaceId,
      actorType: 'system',
      action: 'change.failed',
      targetType: 'change_request',
      targetId: change.id,
      data: { reason },
    })
    return true
  })
  return { kind: done ? 'failed' : 'skipped', change: await load() }
}

/**
 * Approved changes whose apply job is gone (queue restarted, job dropped after its retries) or
 * whose worker died while APPLYING: the recovery sweep queues them again with the same key.
 */
export async function changesNeedingApply(deps: DomainDeps): Promise<Array<{ id: string; idempotencyKey: string; stuckSince: Date }>> {
  // Leases are stamped with the database's clock; updatedAt with the writer's (a few seconds of skew do not matter
  // against a minute).
  const now = await dbNow(deps.prisma)
  // A budget change of an object Meta blocked (17 or 613/1487632) waits for the block: its own delayed job takes it
  // then, and the sweep does not queue it every 15 s meanwhile. Left out in the query itself, before the `take`: any
  // number of blocked changes never hides a stuck one behind them. (Said positively: a NOT over a relation filter
  // would drop the rows whose block is NULL too.)
  const free = { OR: [{ budgetWritesBlockedUntil: null }, { budgetWritesBlockedUntil: { lte: now } }] }
  const notBlocked: Prisma.ChangeRequestWhereInput = {
    OR: [
      { type: { notIn: ['SET_DAILY_BUDGET', 'SET_LIFETIME_BUDGET'] } },
      { level: { notIn: ['adset', 'campaign'] } },
      { level: 'adset', OR: [{ adSetId: null }, { adSet: { is: free } }] },
      { level: 'campaign', OR: [{ campaignId: null }, { campaign: { is: free } }] },
    ],
  }
  const rows = await deps.prisma.changeRequest.findMany({
    where: {
      OR: [
        { status: 'APPROVED', updatedAt: { lt: new Date(now.getTime() - 60_000) } },
        { status: 'APPLYING', OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
      ],
      AND: [notBlocked],
    },
    select: { id: true, idempotencyKey: true, status: true, updatedAt: true, leaseExpiresAt: true },
    orderBy: { updatedAt: 'asc' },
    take: 100,
  })
  return rows.map((r) => ({
    id: r.id,
    idempotencyKey: r.idempotencyKey,
    stuckSince: (r.status === 'APPLYING' ? r.leaseExpiresAt : null) ?? r.updatedAt,
  }))
}

/**
 * The id of a campaign just created, kept on the change at once (if anything below fails, a retry adopts it
 * instead of creating another). Written while this attempt holds the change — or, when its lease was taken over
 * meanwhile, only if no campaign is recorded yet: a late answer never replaces what the new holder recorded.
 * A change left waiting for this answer (no holder, settling) is free again at once: the next attempt adopts it.
 */
async function rememberCreated(deps: DomainDeps, changeId: string, owner: string, metaCampaignId: string): Promise<void> {
  const outcome = JSON.stringify({ metaCampaignId })
  await deps.prisma.$executeRaw`
    UPDATE "ChangeRequest" SET "outcome" = ${outcome}::jsonb, "updatedAt" = now(),
      "leaseExpiresAt" = CASE WHEN "leaseOwner" IS NULL THEN NULL ELSE "leaseExpiresAt" END
    WHERE "id" = ${changeId} AND "status" = 'APPLYING'
      AND ("leaseOwner" = ${owner} OR "outcome" IS NULL OR NOT jsonb_exists("outcome", 'metaCampaignId'))`
}

/** A campaign with this exact name created since the approval: a previous attempt's, adopted. */
async function findCreatedEarlier(
  deps: DomainDeps,
  token: string,
  actId: string,
  name: string,
  since: Date | null,
): Promise<string | undefined> {
  const campaigns = await deps.meta.listCampaigns(token, actId)
  const match = campaigns.find(
    (c) => c.name === name && (!since || !c.createdTime || Date.parse(c.createdTime) >= since.getTime() - 60_000),
  )
  return match?.id
}

/**
 * FAILED → APPROVED again (the Retry button), keeping the same idempotency key. Only admins and approvers may
 * retry (a retry moves money like an approval), and only while the ad account's Meta connection is active.
 * Every guardrail is checked again with the rules of the apply (what has reached Meta, by when it was applied:
 * the retried change is applied next, so a retry accepted now is not refused at apply for another count),
 * with no override: one given at the approval does not carry over to a retry (propose the change again to
 * override anew), and Meta's own limit is never skipped.
 */
export async function retryChange(
  deps: DomainDeps,
  options: { workspaceId: string; changeId: string; member: Pick<Member, 'role' | 'slackUserId'> },
): Promise<boolean> {
  if (!canApprove(options.member))
    throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins and approvers can retry a change. Nothing was changed.')
  const change = await findChange(deps.prisma, options)
  if (change?.status !== 'FAILED') return false
  const disconnected = await notConnected(deps.prisma, change.adAccountId)
  if (disconnected) throw new AppError(AppErrorCode.NOT_CONNECTED, `${disconnected}. Nothing was changed.`)
  const refused = await guardrailsRefusing(deps, change)
  if (refused.length > 0) {
    throw new AppError(
      AppErrorCode.FORBIDDEN,
      `Refused by guardrails now: ${refused.map((r) => r.message).join('; ')}.${change.overrideReason ? ' The override given at approval does not cover a retry; propose the change again.' : ''}`,
    )
  }
  return deps.prisma.$transaction(async (tx) => {
    const r = await tx.changeRequest.updateMany({
      where: { id: options.changeId, workspaceId: options.workspaceId, status: 'FAILED' },
      data: { status: 'APPROVED', failureReason: null, overrideReason: null },
    })
    if (r.count === 1)
      await recordAuditEvent(tx, {
        workspaceId: options.workspaceId,
        actorType: 'user',
        actorId: options.member.slackUserId,
        action: 'change.retried',
        targetType: 'change_request',
        targetId: options.changeId,
      })
    return r.count === 1
  })
}

/** The value to go back to when undoing an applied change. */
export function undoValue(change: ChangeWithContext): { type: ChangeWithContext['type']; proposedValue?: unknown } {
  switch (change.type) {
    case 'PAUSE':
      return { type: 'RESUME' }
    case 'RESUME':
      return { type: 'PAUSE' }
    case 'SET_DAILY_BUDGET':
      return { type: 'SET_DAILY_BUDGET', proposedValue: { dailyBudgetMinor: budgetOf(change.currentValue) } }
    case 'SET_LIFETIME_BUDGET':
      return { type: 'SET_LIFETIME_BUDGET', proposedValue: { lifetimeBudgetMinor: budgetOf(change.currentValue) } }
    case 'CREATE_CAMPAIGN':
      return { type: 'PAUSE' }
  }
}

/** A budget as Meta now reports it, in the account's currency (or "none" when the object has no such budget). */
function nowOnMeta(minor: number | null | undefined, currency: string): string {
  return minor === null || minor === undefined ? 'none' : formatMoney(minor, currency)
}
