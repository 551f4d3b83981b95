/**
 * Optimizer: precision and recall of runOptimizer beside the classic fixed-threshold rules on seeded simulated
 * accounts with planted problems and noise-only campaigns, and runOptimizer's run time for 1,000 campaigns × 90 days.
 */
import {
  type CampaignSeries,
  type OptimizerContext,
  runOptimizer,
  SUGGESTION_KINDS,
  type Suggestion,
} from '../src/domain/optimizer/index.ts'
import { classicRules } from './optimizer/classic-rules.ts'
import { GENERATOR_TODAY, generateLabelledCampaigns, type LabelledCampaign } from './optimizer/planted-problems.ts'
import { type Score, scoreSuggestions } from './optimizer/scoring.ts'
import { ms, summary } from './stats.ts'

const ACCOUNT_SEEDS = [101, 102, 103, 104, 105]
const CAMPAIGNS_PER_ACCOUNT = 300
const DAYS = 90
const TIMING_CAMPAIGNS = 1_000
const TIMING_RUNS = 7

function fmt(x: number, defined: boolean): string {
  return defined ? x.toFixed(2) : ' n/a'
}

function cell(s: Score): string {
  const predicted = s.truePositives + s.falsePositives
  const planted = s.truePositives + s.falseNegatives
  return `P ${fmt(s.precision, predicted > 0)}  R ${fmt(s.recall, planted > 0)}  (${String(s.truePositives).padStart(3)} TP ${String(s.falsePositives).padStart(4)} FP)`
}

export async function benchOptimizer(): Promise<void> {
  const ctx: OptimizerContext = { currency: 'USD', today: GENERATOR_TODAY }
  // Each seed is one ad account (peers, baselines); suggestions are scored over all of them together.
  const labelled: LabelledCampaign[] = []
  const ours: Suggestion[] = []
  const classic: Suggestion[] = []
  for (const seed of ACCOUNT_SEEDS) {
    const account = generateLabelledCampaigns({ seed, count: CAMPAIGNS_PER_ACCOUNT, days: DAYS, currency: 'USD' })
    const series = account.map((l) => l.series)
    labelled.push(...account)
    ours.push(...runOptimizer(series, ctx))
    classic.push(...classicRules(series, ctx))
  }
  const a = scoreSuggestions(labelled, ours)
  const b = scoreSuggestions(labelled, classic)
  const planted = labelled.filter((l) => l.planted !== null).length

  console.log(
    `\nOptimizer: ${ACCOUNT_SEEDS.length} simulated accounts × ${CAMPAIGNS_PER_ACCOUNT} campaigns × ${DAYS} days (seeds ${ACCOUNT_SEEDS.join(', ')}): ${planted} planted problems, ${a.noiseCampaigns} noise-only campaigns`,
  )
  console.log(`    ${'kind'.padEnd(22)} ${'planted'.padStart(7)}   ${'runOptimizer'.padEnd(38)} classicRules`)
  for (const kind of SUGGESTION_KINDS) {
    const n = labelled.filter((l) => l.planted === kind).length
    console.log(`    ${kind.padEnd(22)} ${String(n).padStart(7)}   ${cell(a.byKind[kind]).padEnd(38)} ${cell(b.byKind[kind])}`)
  }
  console.log(`    ${'overall'.padEnd(22)} ${String(planted).padStart(7)}   ${cell(a.overall).padEnd(38)} ${cell(b.overall)}`)
  console.log(
    `    noise-only campaigns with any suggestion: runOptimizer ${a.noiseCampaignsFlagged} of ${a.noiseCampaigns} (${((100 * a.noiseCampaignsFlagged) / a.noiseCampaigns).toFixed(1)}%), classicRules ${b.noiseCampaignsFlagged} (${((100 * b.noiseCampaignsFlagged) / b.noiseCampaigns).toFixed(1)}%)`,
  )

  const big: CampaignSeries[] = generateLabelledCampaigns({ seed: 7, count: TIMING_CAMPAIGNS, days: DAYS, currency: 'USD' }).map(
    (l) => l.series,
  )
  runOptimizer(big, ctx) // warm-up
  const samples: number[] = []
  let found = 0
  for (let i = 0; i < TIMING_RUNS; i++) {
    const started = performance.now()
    found = runOptimizer(big, ctx).length
    samples.push(performance.now() - started)
  }
  const t = summary(samples)
  console.log(
    `    run time, ${TIMING_CAMPAIGNS.toLocaleString('en-US')} campaigns × ${DAYS} days: median ${ms(t.p50)} of ${t.n} runs (max ${ms(t.max)}), ${found} suggestions`,
  )
}
