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
import { classicRules, classicRulesByLevel } from './optimizer/classic-rules.ts'
import { LEVELS, scoreByLevel } from './optimizer/level-scoring.ts'
import { generateLabelledAccountWithAds, type LevelLabel } from './optimizer/planted-levels.ts'
import { GENERATOR_TODAY, generateLabelledCampaigns, type LabelledCampaign } from './optimizer/planted-problems.ts'
import { type Score, scoreSuggestions } from './optimizer/scoring.ts'
import { ms, summary } from './stats.ts'

const ACCOUNT_SEEDS = [101, 102, 103, 104, 105]
const CAMPAIGNS_PER_ACCOUNT = 300
const DAYS = 90
const TIMING_CAMPAIGNS = 1_000
const TIMING_RUNS = 7
const LEVEL_CAMPAIGNS_PER_ACCOUNT = 150

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

  benchOptimizerByLevel(ctx)

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

/** Precision/recall per level and per kind on accounts with ad sets and ads, problems planted at every level. */
function benchOptimizerByLevel(ctx: OptimizerContext): void {
  const labels: LevelLabel[] = []
  const ours: Suggestion[] = []
  const classic: Suggestion[] = []
  let adSets = 0
  let ads = 0
  let campaigns = 0
  let seconds = 0
  for (const seed of ACCOUNT_SEEDS) {
    const account = generateLabelledAccountWithAds({ seed, count: LEVEL_CAMPAIGNS_PER_ACCOUNT, days: DAYS, currency: 'USD' })
    labels.push(...account.labels)
    campaigns += account.campaigns.length
    for (const c of account.campaigns) {
      adSets += c.adSets?.length ?? 0
      for (const s of c.adSets ?? []) ads += s.ads.length
    }
    const started = performance.now()
    ours.push(...runOptimizer(account.campaigns, ctx))
    seconds += (performance.now() - started) / 1000
    classic.push(...classicRulesByLevel(account.campaigns, ctx))
  }
  const a = scoreByLevel(labels, ours)
  const b = scoreByLevel(labels, classic)
  console.log(
    `\nOptimizer by level: ${ACCOUNT_SEEDS.length} simulated accounts × ${LEVEL_CAMPAIGNS_PER_ACCOUNT} campaigns (${campaigns} campaigns, ${adSets} ad sets, ${ads} ads) × ${DAYS} days: ${labels.length} planted problems (${LEVELS.map((l) => `${labels.filter((x) => x.level === l).length} ${l}`).join(', ')}); runOptimizer took ${seconds.toFixed(2)} s in all`,
  )
  console.log(
    `    ${'level'.padEnd(9)} ${'kind'.padEnd(22)} ${'planted'.padStart(7)}   ${'runOptimizer'.padEnd(38)} classicRules (CTR < 2 %, CPL > $50, utilisation < 80 %, …)`,
  )
  for (const level of LEVELS) {
    for (const kind of SUGGESTION_KINDS) {
      const n = labels.filter((l) => l.level === level && l.kind === kind).length
      const x = a.byLevel[level].byKind[kind]
      const y = b.byLevel[level].byKind[kind]
      if (n === 0 && x.falsePositives + y.falsePositives === 0) continue
      console.log(`    ${level.padEnd(9)} ${kind.padEnd(22)} ${String(n).padStart(7)}   ${cell(x).padEnd(38)} ${cell(y)}`)
    }
    const n = labels.filter((l) => l.level === level).length
    console.log(
      `    ${level.padEnd(9)} ${'(all kinds)'.padEnd(22)} ${String(n).padStart(7)}   ${cell(a.byLevel[level].overall).padEnd(38)} ${cell(b.byLevel[level].overall)}`,
    )
  }
  console.log(`    ${'overall'.padEnd(32)} ${String(labels.length).padStart(7)}   ${cell(a.overall).padEnd(38)} ${cell(b.overall)}`)
  console.log(
    `    right kind on another level of the planted campaign (counted as FP): runOptimizer ${a.wrongLevel}, classicRules ${b.wrongLevel}`,
  )
  const plantedAds = new Map(labels.filter((l) => l.level === 'ad').map((l) => [l.id, l.kind]))
  const found = ours.filter((s) => s.level === 'ad' && s.adId && plantedAds.get(s.adId) === s.kind)
  console.log(
    `    planted ads found: ${found.length}, of which ${found.filter((s) => s.change?.type === 'pause').length} propose pausing the ad (healthy siblings deliver), ${found.filter((s) => !s.change).length} are notices`,
  )
}
