import type { AccountDigest, AdEfficiency, AdRanking } from '../../domain/digests/digest-types.ts'
import { MIN_AD_RESULTS } from '../../domain/digests/digest-types.ts'
import { resultCount } from '../../domain/metrics/result-breakdown.ts'
import { RESULT_METRICS } from '../../domain/metrics/vocabulary.ts'
import { escapeMrkdwn, escapeToFit } from '../../lib/mrkdwn.ts'
import { fmtMoney } from './format.ts'

/** Block Kit allows 3,000 characters in a section's text; the rest is kept for the last "…" line. */
const MAX_TEXT = 2900

/** "*Spring video* (ad “V2”) _(deleted)_ · Prospecting › Spring sale": the creative first, as people recognise ads by it. */
function adTitle(ad: AdEfficiency): string {
  const creative = ad.creativeName?.trim() || ad.name
  const adName = ad.creativeName?.trim() && ad.creativeName.trim() !== ad.name ? ` (ad “${escapeToFit(ad.name, 40)}”)` : ''
  const state = ad.state === 'active' ? '' : ` _(${ad.state})_`
  return `*${escapeToFit(creative, 60)}*${adName}${state} · ${escapeToFit(ad.adSet.name, 40)} › ${escapeToFit(ad.campaign.name, 40)}`
}

function adLine(ad: AdEfficiency, i: number): string {
  return `${i + 1}. ${adTitle(ad)} — ${escapeMrkdwn(ad.reason)}`
}

/** The lines of one result type: the rule in words, the best, the most expensive. */
function rankingLines(r: AdRanking, currency: string): string[] {
  const m = RESULT_METRICS[r.resultKind]
  const pooled = fmtMoney(r.pooledCostPerResultMinor, currency)
  const minSpend = fmtMoney(r.minSpendMinor, currency)
  const lines = [
    `_Each ad's cost per ${m.singular} against ${pooled}, what the account's ${r.adsWithSpend} ads seeking ${m.plural} paid per ${m.singular}. Best: at least ${resultCount(MIN_AD_RESULTS, r.resultKind, currency)}. Most expensive: at least ${minSpend} spent (what ${resultCount(MIN_AD_RESULTS, r.resultKind, currency)} usually cost)._`,
  ]
  if (r.best.length > 0) lines.push(`*Best cost per ${m.singular}*`, ...r.best.map(adLine))
  if (r.worst.length > 0) lines.push(`*Most expensive per ${m.singular}* (min. ${minSpend} spent)`, ...r.worst.map(adLine))
  return lines
}

/**
 * The account's best and most expensive ads of the week, one section's text (at most 3,000 characters whatever the
 * names); null when there is nothing to say about its ads (see domain/digests/rank-ads.ts for the rule).
 */
export function adsText(a: AccountDigest): string | null {
  if (a.ads.length === 0) return null
  let text = `:mag: *Ads, ${a.weekLabel}*`
  const lines = a.ads.flatMap((r) => rankingLines(r, a.currency))
  for (const [i, line] of lines.entries()) {
    if (text.length + line.length + 1 > MAX_TEXT) {
      text += `\n…and ${lines.length - i} more line${lines.length - i === 1 ? '' : 's'}`
      break
    }
    text += `\n${line}`
  }
  return text
}
