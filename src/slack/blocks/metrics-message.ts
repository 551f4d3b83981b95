import type { MetricsReport, MetricsScope } from '../../domain/metrics/get-metrics-report.ts'
import { REACH_UNAVAILABLE } from '../../domain/metrics/period-reach.ts'
import { PERIODS, type PeriodKey, type PeriodName, rangeText } from '../../domain/metrics/periods.ts'
import { MULTIPLE_RESULT_TYPES, resultCount } from '../../domain/metrics/result-breakdown.ts'
import { formatDay } from '../../lib/dates.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import { ago } from './accounts-message.ts'
import { fmtDecimal, fmtDelta, fmtInt, fmtMoney, fmtPct, fmtRatio } from './format.ts'
import type { MessageContent } from './types.ts'

export const METRICS_PERIOD_ACTION_PREFIX = 'metrics_period_'
const PERIOD_BUTTON: Record<PeriodName, string> = {
  yesterday: 'Yesterday',
  last_7d: '7 days',
  last_14d: '14 days',
  last_30d: '30 days',
  last_week: 'Last week',
  this_month: 'Month to date',
  last_month: 'Last month',
}

/** What a period button carries: the id the report was made for, and the period to show. */
export interface MetricsPeriodValue {
  target: string
  period: PeriodKey
}

/** The id a period button looks the report's subject up by again. */
function targetOf(s: MetricsScope): string {
  switch (s.kind) {
    case 'account':
      return s.metaAccountId
    case 'campaign':
      return s.metaCampaignId
    case 'adset':
      return s.metaAdSetId
    case 'ad':
      return s.metaAdId
  }
}

const bold = (name: string, max = 80) => `*${escapeMrkdwn(truncate(name, max))}*`

/**
 * The header (plain text: the name and its level) and the line under it (mrkdwn: the level and parents, objective,
 * status — "deleted on Meta" for a deleted one, whose figures are kept — account and id).
 */
function heading(s: MetricsScope): { title: string; subtitle: string } {
  if (s.kind === 'account') return { title: `${s.name} (ad account)`, subtitle: `id ${s.metaAccountId}` }
  const status = s.gone ? `:wastebasket: ${s.gone} on Meta` : s.status.toLowerCase()
  const facts = (id: string) =>
    `${s.objective.replace('OUTCOME_', '').toLowerCase()} · ${status} · ${escapeMrkdwn(truncate(s.accountName, 80))} · id ${id}`
  switch (s.kind) {
    case 'campaign':
      return { title: s.name, subtitle: facts(s.metaCampaignId) }
    case 'adset':
      return {
        title: `${s.name} (ad set)`,
        subtitle: `Ad set ${bold(s.name)} in campaign ${bold(s.campaign.name)} · ${facts(s.metaAdSetId)}`,
      }
    case 'ad':
      return {
        title: `${s.name} (ad)`,
        subtitle: `Ad ${bold(s.name)} in ad set ${bold(s.adSet.name)} of campaign ${bold(s.campaign.name)}${s.creativeName ? ` · creative ${bold(s.creativeName)}` : ''} · ${facts(s.metaAdId)}`,
      }
  }
}

export function metricsMessage(r: MetricsReport, now: Date): MessageContent {
  const c = r.current
  const p = r.previous
  const cur = r.currency
  const field = (label: string, value: string) => ({ type: 'mrkdwn' as const, text: `*${label}*\n${value}` })
  // Before Promoly's first synced day the numbers are unknown, not zero: no changes against them.
  const { historyFrom } = r
  const incomplete = historyFrom !== null && historyFrom > r.period.previous.since
  const delta: typeof fmtDelta = incomplete ? () => '' : fmtDelta
  const s = r.scope
  const adLevel = s.kind === 'adset' || s.kind === 'ad'
  const fields = [
    field('Spend', `${fmtMoney(c.totals.spend, cur)}${delta(c.totals.spend, p.totals.spend)}`),
    field('Impressions', `${fmtInt(c.totals.impressions, cur)}${delta(c.totals.impressions, p.totals.impressions)}`),
    // Reach does not add up over days: only the period's own reach, cached by the sync for exactly this range (for
    // accounts and campaigns; ad sets and ads have daily reach only, so none is shown for them).
    ...(adLevel
      ? []
      : [
          field('Reach', r.reach ? fmtInt(r.reach.reach, cur) : `_${REACH_UNAVAILABLE}_`),
          field('Frequency', r.reach?.frequency != null ? fmtDecimal(r.reach.frequency, cur) : `_${REACH_UNAVAILABLE}_`),
        ]),
    field('Clicks', `${fmtInt(c.totals.clicks, cur)}${delta(c.totals.clicks, p.totals.clicks)}`),
    field('CTR', `${fmtPct(c.derived.ctr)}${delta(c.derived.ctr, p.derived.ctr)}`),
    field('CPC', `${fmtMoney(c.derived.cpc, cur)}${delta(c.derived.cpc, p.derived.cpc, true)}`),
    field('CPM', `${fmtMoney(c.derived.cpm, cur)}${delta(c.derived.cpm, p.derived.cpm, true)}`),
  ]
  if (c.derived.multipleResults) {
    // As Ads Manager: no single number over campaigns seeking different results; one line per result type instead.
    fields.push(field('Results', MULTIPLE_RESULT_TYPES), field('Cost per result', MULTIPLE_RESULT_TYPES))
  } else if (c.derived.resultLabel) {
    const label = c.derived.resultLabel.charAt(0).toUpperCase() + c.derived.resultLabel.slice(1)
    fields.push(field(`Results (${label})`, `${fmtInt(c.derived.results, cur)}${delta(c.derived.results, p.derived.results)}`))
    fields.push(
      field('Cost per result', `${fmtMoney(c.derived.costPerResult, cur)}${delta(c.derived.costPerResult, p.derived.costPerResult, true)}`),
    )
  } else {
    fields.push(field('Results', s.kind === 'account' ? 'no campaign seeks a counted result' : 'not measured for this objective'))
  }
  if (c.derived.roas !== null || p.derived.roas !== null) {
    const label = s.kind === 'account' ? 'ROAS (sales campaigns)' : 'ROAS'
    fields.push(field(label, `${fmtRatio(c.derived.roas)}${delta(c.derived.roas, p.derived.roas)}`))
  }
  // Per result type, each over the spend of the campaigns seeking it ("12 leads at €9.15").
  const byResult = c.derived.multipleResults
    ? c.derived.byResult.map((l) => {
        const before = p.derived.byResult.find((x) => x.kind === l.kind)
        return `• ${resultCount(l.results, l.kind, cur)}${delta(l.results, before?.results ?? null)} at ${fmtMoney(l.costPerResult, cur)}${delta(l.costPerResult, before?.costPerResult ?? null, true)} over ${fmtMoney(l.spend, cur)} spent by the ${l.kind === 'link clicks' ? 'traffic' : l.kind === 'leads' ? 'lead' : 'sales'} campaigns`
      })
    : []
  const { title, subtitle } = heading(s)
  const notes = [
    `${r.period.label}: ${rangeText(r.period.current)} (${escapeMrkdwn(r.timeZone)}), compared with ${r.period.previousLabel} (${rangeText(r.period.previous)}).`,
    ...(incomplete
      ? [
          `:warning: ${adLevel ? 'Ad-level figures (ad sets and ads) start' : "Promoly's history of this account starts"} on ${formatDay(historyFrom)}, so ${historyFrom > r.period.current.since ? 'both periods are' : 'the earlier period is'} incomplete and the changes are not meaningful yet.`,
        ]
      : []),
    ...(adLevel && historyFrom === null ? ['No ad-level figures are synced for this account yet.'] : []),
    ...(adLevel ? ['Reach is not shown for ad sets and ads: it is kept per day, and days do not add up to unique people.'] : []),
    r.lastSyncedAt
      ? `Data synced ${ago(r.lastSyncedAt, now)}${r.partlySynced ? ` (:warning: ${r.partlySynced})` : ''}; the last 3 days may still be revised by Meta.`
      : 'Not synced yet: run `/promoly sync`.',
  ]
  return {
    text: `${escapeMrkdwn(title)} — ${r.period.label}: spend ${fmtMoney(c.totals.spend, cur)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(`${title} — ${r.period.label}`, 150) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: subtitle }] },
      { type: 'section', fields: fields.slice(0, 10) },
      ...(fields.length > 10 ? [{ type: 'section' as const, fields: fields.slice(10) }] : []),
      ...(byResult.length > 0
        ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `*Results by objective*\n${byResult.join('\n')}` } }]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: notes.join(' ') }] },
      {
        type: 'actions',
        block_id: 'metrics_periods',
        elements: PERIODS.map((p) => ({
          type: 'button' as const,
          action_id: `${METRICS_PERIOD_ACTION_PREFIX}${p}`,
          text: { type: 'plain_text' as const, text: PERIOD_BUTTON[p] },
          value: JSON.stringify({ target: targetOf(s), period: p } satisfies MetricsPeriodValue),
          ...(p === r.period.key ? { style: 'primary' as const } : {}),
        })),
      },
    ],
  }
}
