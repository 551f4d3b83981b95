import type { AdAccount, Prisma, Suggestion as SuggestionRow } from '../../generated/prisma/client.ts'
import { localDate } from '../../lib/dates.ts'
import type { ChangeWithContext } from '../changes/change-include.ts'
import { expireProposalsOf } from '../changes/decide-change.ts'
import { proposeChange } from '../changes/propose-change.ts'
import { settingsForAccount } from '../clients/client-policy.ts'
import { optimizerTargets } from '../clients/client-targets.ts'
import type { DomainDeps } from '../deps.ts'
import { confidencePct } from '../optimizer/format.ts'
import { type OptimizerContext, runOptimizer, type Suggestion, type SuggestionKind, type SuggestionLevel } from '../optimizer/index.ts'
import { supersededBy } from '../optimizer/one-per-cause.ts'
import { loadSettings, type WorkspaceSettings } from '../settings/workspace-settings.ts'
import { loadCompleteness } from '../sync/arrival-curve.ts'
import { loadCampaignSeries } from './load-series.ts'

export interface OptimizeResult {
  /** Findings that are new (to be posted). */
  created: SuggestionRow[]
  /** Open findings refreshed in place (not reposted). */
  updated: number
  /**
   * Those of the updated findings whose card reads differently now (title, notice, evidence, expected effect or
   * confidence as shown), after the update; their open proposal's reason and evidence were brought up to date too.
   * Their posted messages are redrawn in place; a finding whose numbers did not move is not in it.
   */
  changed: SuggestionRow[]
  /** Open findings that no longer hold. */
  resolved: number
  /** Their proposals, expired now (their cards need updating: no Approve button any more). */
  expired: ChangeWithContext[]
}

/** An open finding is resolved once it has not held for this long (a few fast-loop runs). */
const RESOLVE_AFTER_MS = 3 * 3_600_000

/** A finding resolved this recently that holds again is reopened, not posted anew. */
const REOPEN_WITHIN_MS = 24 * 3_600_000

/** The object a finding is about, as suggestion rows are filtered: campaign level has neither ad set nor ad. */
function objectWhere(f: Pick<Suggestion, 'campaignId' | 'adSetId' | 'adId'>) {
  return { campaignId: f.campaignId, adSetId: f.adSetId ?? null, adId: f.adId ?? null }
}

/** Dedupe key: one open suggestion per object and kind. */
function objectKey(s: { campaignId: string; adSetId?: string | null; adId?: string | null; kind: string }): string {
  return `${s.campaignId}|${s.adSetId ?? ''}|${s.adId ?? ''}|${s.kind}`
}

/** How far a metric moved the wrong way, relative to its baseline (or to itself without one). */
function gap(value: number, baseline: number | null): number {
  return baseline === null || baseline === 0 ? Math.abs(value) : Math.abs(value - baseline) / Math.abs(baseline)
}

/**
 * Runs the optimizer over an account's stored daily metrics and records its findings without
 * repeats, per object (campaign, ad set or ad) and kind: an open suggestion is updated, not reposted; a rejected one stays quiet for the
 * configured cooldown unless its metric got materially worse. Findings with an applicable change
 * become change requests (PROPOSED: nothing is applied without an approval).
 */
export async function optimizeAdAccount(deps: DomainDeps, options: { adAccountId: string }): Promise<OptimizeResult> {
  const account = await deps.prisma.adAccount.findUniqueOrThrow({ where: { id: options.adAccountId } })
  const now = deps.now()
  const { ctx, settings } = await optimizerContext(deps, account, now)
  const series = await loadCampaignSeries(deps.prisma, account.id, ctx.today, account.timezoneName)
  const findings = runOptimizer(series, ctx)
  const result: OptimizeResult = { created: [], updated: 0, changed: [], resolved: 0, expired: [] }
  const seen = new Set<string>()
  for (const f of findings) {
    seen.add(objectKey(f))
    const open = await deps.prisma.suggestion.findFirst({ where: { ...objectWhere(f), kind: f.kind, status: 'OPEN' } })
    if (open) {
      const updated = await deps.prisma.suggestion.update({ where: { id: open.id }, data: { ...fields(f), updatedAt: now } })
      // Its proposal expired undecided while the problem lasts, or the finding was a notice and now calls for a change
      // (a spike first seen over 2 days is a notice; once severe and sustained it proposes the pause): propose it (and
      // post its card).
      const linked = open.changeRequestId
        ? await deps.prisma.changeRequest.findUnique({ where: { id: open.changeRequestId }, select: { status: true } })
        : null
      if (f.change && (linked === null || linked.status === 'EXPIRED')) {
        await proposeFor(deps, account.workspaceId, f, open.id)
        result.created.push(await deps.prisma.suggestion.findUniqueOrThrow({ where: { id: open.id } }))
      } else {
        result.updated++
        // The fast loop reruns this hourly: only a card whose words or numbers moved is redrawn.
        if (shownAs(open) !== shownAs(updated)) {
          // A proposal still waiting for a decision carries the finding's words: keep them the card's.
          if (linked?.status === 'PROPOSED')
            await deps.prisma.changeRequest.updateMany({
              where: { suggestionId: open.id, status: 'PROPOSED' },
              data: proposalText(f),
            })
          result.changed.push(updated)
        }
      }
      continue
    }
    // The fast loop reruns this hourly: a finding on a rule's edge that resolved within the last day comes back as the
    // same suggestion, its card redrawn in place, not as a new post.
    const resolved = await deps.prisma.suggestion.findFirst({
      where: {
        ...objectWhere(f),
        kind: f.kind,
        status: 'RESOLVED',
        alertKey: null,
        updatedAt: { gt: new Date(now.getTime() - REOPEN_WITHIN_MS) },
      },
      orderBy: { updatedAt: 'desc' },
    })
    if (resolved) {
      const reopened = await deps.prisma.suggestion.update({
        where: { id: resolved.id },
        data: { status: 'OPEN', ...fields(f), updatedAt: now },
      })
      const linked = resolved.changeRequestId
        ? await deps.prisma.changeRequest.findUnique({
            where: { id: resolved.changeRequestId },
            select: { id: true, status: true, type: true, expiresAt: true },
          })
        : null
      const sameChange = linked && f.change && linked.type === (f.change.type === 'pause' ? 'PAUSE' : 'SET_DAILY_BUDGET')
      if (f.change && !(sameChange && linked.status === 'PROPOSED')) {
        // Its proposal was expired by the resolution, before its own time: it waits for a decision again (as one row:
        // a group's other parts stay as they are). Otherwise a fresh proposal and card.
        const revived =
          sameChange &&
          linked.status === 'EXPIRED' &&
          linked.expiresAt > now &&
          (
            await deps.prisma.changeRequest.updateMany({
              where: { id: linked.id, status: 'EXPIRED', groupId: null },
              data: { status: 'PROPOSED', ...proposalText(f) },
            })
          ).count === 1
        if (!revived) {
          await proposeFor(deps, account.workspaceId, f, resolved.id)
          result.created.push(await deps.prisma.suggestion.findUniqueOrThrow({ where: { id: resolved.id } }))
          continue
        }
      }
      result.changed.push(reopened)
      continue
    }
    const cooldownStart = new Date(now.getTime() - settings.optimizer.rejectedCooldownDays * 86_400_000)
    const rejected = await deps.prisma.suggestion.findFirst({
      where: { ...objectWhere(f), kind: f.kind, status: 'REJECTED', rejectedAt: { gt: cooldownStart } },
      orderBy: { rejectedAt: 'desc' },
    })
    if (rejected) {
      const worse =
        gap(f.metric.value, f.metric.baseline) >=
        gap(rejected.metricValue, rejected.metricBaseline) * (1 + settings.optimizer.materiallyWorsePct / 100)
      if (!worse) continue
    }
    const row = await deps.prisma.suggestion.create({
      data: {
        workspaceId: account.workspaceId,
        adAccountId: account.id,
        ...objectWhere(f),
        level: f.level,
        kind: f.kind,
        ...fields(f),
        updatedAt: now,
      },
    })
    if (f.change) await proposeFor(deps, account.workspaceId, f, row.id)
    result.created.push(await deps.prisma.suggestion.findUniqueOrThrow({ where: { id: row.id } }))
  }
  // Open findings the data no longer supports are resolved (their proposals may still be decided). Intraday alerts
  // are not the optimizer's: they last their day (domain/alerts).
  const stillOpen = await deps.prisma.suggestion.findMany({
    where: { adAccountId: account.id, status: 'OPEN', alertKey: null },
    select: { id: true, campaignId: true, adSetId: true, adId: true, kind: true, level: true, updatedAt: true },
  })
  for (const s of stillOpen) {
    if (seen.has(objectKey(s))) continue
    // Hysteresis: the fast loop reruns this hourly while late results arrive, so one run without the finding is not
    // enough — it resolves once it has not held for RESOLVE_AFTER_MS (its row is touched at every run it holds).
    // A finding now superseded by a more specific one (a spike silences scaling) resolves at once.
    const placed = {
      kind: s.kind as SuggestionKind,
      level: (s.level === 'ad' || s.level === 'adset' ? s.level : 'campaign') as SuggestionLevel,
      campaignId: s.campaignId,
      adSetId: s.adSetId ?? undefined,
      adId: s.adId ?? undefined,
    }
    if (s.updatedAt.getTime() > now.getTime() - RESOLVE_AFTER_MS && !supersededBy(placed, findings)) continue
    await deps.prisma.suggestion.update({ where: { id: s.id }, data: { status: 'RESOLVED', updatedAt: now } })
    // The problem is gone: its proposal must not be approved any more.
    result.expired.push(...(await expireProposalsOf(deps, [s.id])))
    result.resolved++
  }
  return result
}

/**
 * What the optimizer is told about an account as of `now`: its currency and local day, the client's targets, the
 * guardrail on budget increases and the account's arrival curves (learned, or absent for the default).
 */
export async function optimizerContext(
  deps: DomainDeps,
  account: AdAccount,
  now: Date,
): Promise<{ ctx: OptimizerContext; settings: WorkspaceSettings }> {
  const settings = await loadSettings(deps.prisma, account.workspaceId)
  const { guardrails } = await settingsForAccount(deps.prisma, settings, account.id)
  const today = localDate(now, account.timezoneName)
  const ctx: OptimizerContext = {
    currency: account.currency,
    today,
    targets: await optimizerTargets(deps.prisma, settings, account),
    // Winners are scaled within the per-action guardrail (the client's, when it is stricter).
    settings: { maxBudgetIncreasePct: Math.min(20, guardrails.maxBudgetChangePct) },
    // Recent days are judged at the completeness this account's results usually have by then.
    completeness: await loadCompleteness(deps.prisma, account.id, today),
  }
  return { ctx, settings }
}

async function proposeFor(deps: DomainDeps, workspaceId: string, f: Suggestion, suggestionId: string): Promise<void> {
  if (!f.change) return
  const change = await proposeChange(deps, {
    workspaceId,
    type: f.change.type === 'pause' ? 'PAUSE' : 'SET_DAILY_BUDGET',
    source: 'OPTIMIZER',
    // The object acted on: the ad, the ad set (where its budget lives) or the campaign.
    ...(f.level === 'ad' ? { adId: f.adId } : f.level === 'adset' ? { adSetId: f.adSetId } : { campaignId: f.campaignId }),
    proposedValue: f.change.type === 'set_daily_budget' ? { dailyBudgetMinor: f.change.toMinor } : undefined,
    ...proposalText(f),
    suggestionId,
  }).catch((err) => {
    deps.logger.warn({ err: { message: (err as Error).message }, suggestion: suggestionId }, 'the suggestion has no applicable change')
    return null
  })
  if (change)
    await deps.prisma.suggestion.update({ where: { id: suggestionId }, data: { changeRequestId: change.id, updatedAt: deps.now() } })
}

/** A proposal's words from its finding: in plain words on the first line; the statistics go with the evidence (the card's small print). */
function proposalText(f: Suggestion): { reason: string; evidence: Prisma.InputJsonValue } {
  return {
    reason: [f.title, [f.notice, `Expected: ${f.expectedEffect.text}.`].filter(Boolean).join(' ')].join('\n'),
    evidence: [
      ...f.evidence,
      { label: 'Confidence', value: confidencePct(f.confidence) },
      { label: 'Expected from', value: f.expectedEffect.basis },
    ] as unknown as Prisma.InputJsonValue,
  }
}

/** What a finding's card shows, as one string: two rows that give the same string draw the same card. */
function shownAs(s: Pick<SuggestionRow, 'title' | 'notice' | 'evidence' | 'expectedEffect' | 'confidence'>): string {
  return JSON.stringify([s.title, s.notice, s.evidence, s.expectedEffect, confidencePct(s.confidence)])
}

function fields(f: Suggestion) {
  return {
    title: f.title,
    evidence: f.evidence as unknown as Prisma.InputJsonValue,
    confidence: f.confidence,
    notice: f.notice ?? null,
    expectedEffect: f.expectedEffect as unknown as Prisma.InputJsonValue,
    metricName: f.metric.name,
    metricValue: f.metric.value,
    metricBaseline: f.metric.baseline,
  }
}
