/**
 * Time to detection (issue 14): how many days after a problem starts each detector flags it, on simulated accounts
 * evaluated every morning with the data as the sync had it that morning (late results thinned by the account's
 * arrival curve; optimizer/onset-problems.ts). runOptimizer (whatever src holds) runs three times, told three different
 * arrival curves: none (ctx.completeness = {}, the conservative default a newly connected account has), the curve
 * production would learn from the same mornings' snapshots (estimateArrivalCurve), and the curve the generator thinned
 * with (an oracle, the best case). Beside it, on the oracle curve: the frozen issue-13 cost_spike and creative_fatigue
 * rules (optimizer/previous/) and the seed's fixed thresholds (classicRules). Figures: recall by days since onset,
 * median days to detection, alarms on stable campaigns per 100 campaign-weeks, one-day blips flagged — and the
 * issue's goals, met or not.
 */
import { type CampaignSeries, type OptimizerContext, runOptimizer } from '../src/domain/optimizer/index.ts'
import { must } from './must.ts'
import { classicRules } from './optimizer/classic-rules.ts'
import {
  blipFigures,
  DETECTION_KINDS,
  type DetectionKind,
  detectionFigures,
  type Flags,
  falseAlarms,
  KIND_BITS,
  RECALL_DAYS,
} from './optimizer/detection-scoring.ts'
import {
  ACCOUNT_KINDS,
  EXPECTED,
  estimatedCompleteness,
  generateOnsetAccount,
  type Mix,
  type OnsetAccount,
  PROBLEM_MORNINGS,
  PROBLEMS,
  type Problem,
  type Size,
  STABLE_MORNINGS,
  seenOn,
  sizeText,
  todayOn,
} from './optimizer/onset-problems.ts'
import { previousDetectionRules } from './optimizer/previous/run-previous.ts'

const SEEDS_PER_ACCOUNT_KIND = [1401, 1402, 1403, 1404]
const MIX: Mix = {
  perProblemAndSize: {
    'cost ×2 step': 5,
    'cost ×3 step': 5,
    'cost ×4 step': 5,
    'cost ramp to ×3': 5,
    fatigue: 7,
    'blip ×3': 5,
    stable: 40,
  },
}
const SIZES: readonly Size[] = ['small', 'medium', 'large']

/** Which arrival curve a detector is told: none (the default applies), production's estimate, or the true one. */
type CurveSource = 'default' | 'estimated' | 'oracle'

interface Detector {
  name: string
  curve: CurveSource
  run(series: CampaignSeries[], ctx: OptimizerContext): ReadonlyArray<{ campaignId: string; kind: string }>
}

const DETECTORS: readonly Detector[] = [
  { name: 'runOptimizer default', curve: 'default', run: (s, ctx) => runOptimizer(s, ctx) },
  { name: 'runOptimizer estimated', curve: 'estimated', run: (s, ctx) => runOptimizer(s, ctx) },
  { name: 'runOptimizer oracle', curve: 'oracle', run: (s, ctx) => runOptimizer(s, ctx) },
  { name: 'issue-13 rules', curve: 'oracle', run: (s, ctx) => previousDetectionRules(s, ctx) },
  { name: 'classicRules', curve: 'oracle', run: (s, ctx) => classicRules(s, ctx) },
]
/** The recall table is printed in two blocks, so each fits a terminal: runOptimizer's three curves, then the others. */
const BLOCKS: ReadonlyArray<readonly number[]> = [
  [0, 1, 2],
  [3, 4],
]
const NAME_WIDTH = 22

const isDetectionKind = (kind: string): kind is DetectionKind => kind in KIND_BITS

/** Every campaign of every account, each detector's flags on each morning 0 … 28. */
function evaluate(accounts: readonly OnsetAccount[]): { flags: Flags[][]; seconds: number[] } {
  const flags: Flags[][] = DETECTORS.map(() => [])
  const seconds = DETECTORS.map(() => 0)
  for (const account of accounts) {
    const first = must(flags[0], 'flags').length
    for (const list of flags) for (const _ of account.campaigns) list.push(new Uint8Array(STABLE_MORNINGS + 1))
    const index = new Map(account.campaigns.map((c, i) => [c.campaignId, first + i]))
    for (let m = 0; m <= STABLE_MORNINGS; m++) {
      // planted problems are read on mornings 1 … 13 only; after that the account holds its stable campaigns
      const judged = m <= PROBLEM_MORNINGS ? account.campaigns : account.campaigns.filter((c) => c.problem === 'stable')
      const series: CampaignSeries[] = judged.map((c) => ({
        campaignId: c.campaignId,
        name: c.name,
        objective: c.objective,
        status: 'ACTIVE',
        dailyBudgetMinor: c.dailyBudgetMinor,
        days: seenOn(c, m),
      }))
      const completeness = { default: {}, estimated: estimatedCompleteness(account, m), oracle: account.completeness }
      DETECTORS.forEach((detector, k) => {
        const ctx: OptimizerContext = { currency: 'USD', today: todayOn(m), completeness: completeness[detector.curve] }
        const started = performance.now()
        const found = detector.run(series, ctx)
        seconds[k] = must(seconds[k], 'seconds') + (performance.now() - started) / 1000
        const list = must(flags[k], 'flags')
        for (const s of found) {
          if (!isDetectionKind(s.kind)) continue
          const f = must(list[must(index.get(s.campaignId), `campaign ${s.campaignId}`)], 'flags of a campaign')
          f[m] = must(f[m], `morning ${m}`) | KIND_BITS[s.kind]
        }
      })
    }
  }
  return { flags, seconds }
}

const r2 = (x: number) => (Number.isNaN(x) ? '  – ' : x >= 1 ? '1.00' : x.toFixed(2).replace(/^0/, ' '))
const days = (x: number) => (Number.isNaN(x) ? '–' : Number.isFinite(x) ? String(x) : '>13')
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(0)} %`)

export async function benchDetection(): Promise<void> {
  const started = performance.now()
  const accounts: OnsetAccount[] = []
  for (const kind of ACCOUNT_KINDS) for (const seed of SEEDS_PER_ACCOUNT_KIND) accounts.push(generateOnsetAccount(seed, kind, MIX))
  const campaigns = accounts.flatMap((a) => a.campaigns)
  const { flags, seconds } = evaluate(accounts)
  const of = (k: number, keep: (problem: Problem, size: Size) => boolean): Flags[] =>
    campaigns.flatMap((c, i) => (keep(c.problem, c.size) ? [must(must(flags[k], 'flags')[i], 'flags')] : []))

  console.log(
    `\nTime to detection: ${accounts.length} simulated accounts (${ACCOUNT_KINDS.map((k) => `${k.name} [${k.fractions.join(', ')}]`).join('; ')}), ${campaigns.length} campaigns, each seen every morning as the sync had it (recent results thinned by the account's arrival curve)`,
  )
  console.log(
    '    runOptimizer is told: default = no curve (ctx.completeness = {}, a newly connected account); estimated = the curve production learns from the first-seen-at-age snapshots of days 7–42 days old; oracle = the curve the generator thinned with (best case). The others are told the oracle curve.',
  )
  console.log(
    '    recall = share flagged with the expected kind on some morning ≤ d complete days after onset; med = median days to detection over all (never within 13 counted as later: >13)',
  )
  for (const block of BLOCKS) {
    const header = block
      .map((k) => `${must(DETECTORS[k], 'detector').name.padEnd(NAME_WIDTH)}${RECALL_DAYS.map((x) => `d${x}`.padStart(5)).join('')}  med`)
      .join(' │ ')
    console.log(`    ${'problem'.padEnd(16)} ${'size'.padEnd(22)} ${'n'.padStart(3)} │ ${header}`)
    for (const problem of PROBLEMS) {
      const kind = EXPECTED[problem]
      if (!kind || !isDetectionKind(kind)) continue
      for (const size of SIZES) {
        const cells = block.map((k) => {
          const f = detectionFigures(
            of(k, (p, s) => p === problem && s === size),
            kind,
          )
          return `${''.padEnd(NAME_WIDTH)}${RECALL_DAYS.map((d) => r2(f.recallBy(d)).padStart(5)).join('')}  ${days(f.median).padStart(3)}`
        })
        const n = campaigns.filter((c) => c.problem === problem && c.size === size).length
        console.log(`    ${problem.padEnd(16)} ${sizeText(problem, size).padEnd(22)} ${String(n).padStart(3)} │ ${cells.join(' │ ')}`)
      }
    }
  }

  console.log(
    '    one-day blips (cost per result ×3 on one day, then normal): share flagged on morning 1 (indistinguishable from a new spike) │ on any morning 2–13 (should be none)',
  )
  for (const size of SIZES) {
    const cells = DETECTORS.map((d, k) => {
      const b = blipFigures(of(k, (p, s) => p === 'blip ×3' && s === size))
      return `${d.name}: ${pct(b.onDay1).padStart(5)} │ ${pct(b.later).padStart(5)}`
    })
    const n = campaigns.filter((c) => c.problem === 'blip ×3' && c.size === size).length
    console.log(`    ${'blip ×3'.padEnd(16)} ${sizeText('blip ×3', size).padEnd(22)} ${String(n).padStart(3)}   ${cells.join('    ')}`)
  }
  // What mornings 2–13 would show without any blip: stable campaigns of the same sizes over the same mornings.
  const reference = DETECTORS.map((d, k) => `${d.name}: ${pct(blipFigures(of(k, (p) => p === 'stable')).later)}`)
  console.log(`    for reference, stable campaigns with a cost alarm on some morning 2–13: ${reference.join(', ')}`)

  console.log(
    `    alarms on stable campaigns, mornings 1–${STABLE_MORNINGS} (a ${DETECTION_KINDS.join(' or ')} suggestion appearing), per 100 campaign-weeks:`,
  )
  for (const size of [...SIZES, null]) {
    const cells = DETECTORS.map((d, k) => {
      const a = falseAlarms(
        of(k, (p, s) => p === 'stable' && (size === null || s === size)),
        STABLE_MORNINGS,
      )
      return `${d.name}: ${a.per100.toFixed(2).padStart(6)} (${a.alarms})`
    })
    const n = campaigns.filter((c) => c.problem === 'stable' && (size === null || c.size === size)).length
    console.log(
      `    ${'stable'.padEnd(16)} ${(size ? sizeText('stable', size) : 'all').padEnd(22)} ${String(n).padStart(4)}  ${cells.join('    ')}`,
    )
  }

  // The generator's thinning, checked: the share of final results present 1, 2 and 3 days after the day.
  const check = ACCOUNT_KINDS.map((kind) => {
    const seen = [0, 0, 0]
    let final = 0
    for (const c of accounts.filter((a) => a.kind === kind).flatMap((a) => a.campaigns))
      c.final.forEach((d, t) => {
        if (!d) return
        final += kind.result === 'leads' ? d.leads : d.purchases
        const arrived = must(c.arrived[t], `arrivals of day ${t}`)[kind.result]
        arrived.forEach((x, i) => {
          seen[i] = must(seen[i], 'age') + x
        })
      })
    return `${kind.name} ${seen.map((x) => (x / final).toFixed(3)).join(' / ')} (curve ${kind.fractions.join(' / ')})`
  })
  console.log(`    thinning check, share of final results seen 1 / 2 / 3 days after the day: ${check.join('; ')}`)
  // What the estimated column was told: production's estimate on the first and the last morning, per account.
  const estimates = ACCOUNT_KINDS.map((kind) => {
    const curves = accounts
      .filter((a) => a.kind === kind)
      .flatMap((a) => [0, STABLE_MORNINGS].map((m) => estimatedCompleteness(a, m)[kind.result]?.fractions))
    const range = [0, 1, 2].map((i) => {
      const xs = curves.map((c) => c?.[i] ?? Number.NaN)
      return `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`
    })
    return `${kind.name} ${range.join(' / ')}`
  })
  console.log(`    estimated curves (every account, first and last morning), 1 / 2 / 3 days: ${estimates.join('; ')}`)
  printGoals(of)
  console.log(
    `    run time: ${DETECTORS.map((d, k) => `${d.name} ${must(seconds[k], 'seconds').toFixed(1)} s`).join(', ')}; whole detection bench ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
}

/** The issue's goals beside each detector's figures. */
function printGoals(of: (k: number, keep: (problem: Problem, size: Size) => boolean) => Flags[]): void {
  const goals: Array<{ text: string; figure: (k: number) => { value: number; text: string; met: boolean } }> = [
    {
      text: 'cost spike ×3 or worse, ≥ 10 results/day: median days to detection ≤ 2',
      figure: (k) => {
        const f = detectionFigures(
          of(k, (p, s) => (p === 'cost ×3 step' || p === 'cost ×4 step') && s === 'large'),
          'cost_spike',
        )
        return { value: f.median, text: `median ${days(f.median)}`, met: f.median <= 2 }
      },
    },
    {
      text: "fatigue like the issue's example: flagged within 7 days (recall at d7 ≥ 0.9)",
      figure: (k) => {
        const f = detectionFigures(
          of(k, (p, s) => p === 'fatigue' && s === 'medium'),
          'creative_fatigue',
        )
        return { value: f.recallBy(7), text: `d7 ${r2(f.recallBy(7)).trim()}, median ${days(f.median)}`, met: f.recallBy(7) >= 0.9 }
      },
    },
    {
      text: 'recall ≥ 0.9 for problems ≥ 5 days old (cost and fatigue, small campaigns left out)',
      figure: (k) => {
        let hit = 0
        let n = 0
        for (const problem of PROBLEMS) {
          const kind = EXPECTED[problem]
          if (!kind || !isDetectionKind(kind)) continue
          const f = detectionFigures(
            of(k, (p, s) => p === problem && s !== 'small'),
            kind,
          )
          hit += f.recallBy(5) * f.n
          n += f.n
        }
        return { value: hit / n, text: `d5 ${r2(hit / n).trim()}`, met: hit / n >= 0.9 }
      },
    },
    {
      text: '≤ 1 false alarm per 100 stable campaign-weeks',
      figure: (k) => {
        const a = falseAlarms(
          of(k, (p) => p === 'stable'),
          STABLE_MORNINGS,
        )
        return { value: a.per100, text: a.per100.toFixed(2), met: a.per100 <= 1 }
      },
    },
    {
      text: 'one-day blips not flagged from the second morning on (≤ 5 % of blips)',
      figure: (k) => {
        const b = blipFigures(of(k, (p) => p === 'blip ×3'))
        return { value: b.later, text: pct(b.later), met: b.later <= 0.05 }
      },
    },
  ]
  console.log(
    '    goals judged on the default and estimated columns (what a new and an established account get); the oracle column is the best case',
  )
  console.log(`    goals (issue 14)${''.padEnd(68)} ${DETECTORS.map((d) => d.name.padEnd(32)).join('')}`)
  for (const g of goals) {
    const cells = DETECTORS.map((_, k) => {
      const f = g.figure(k)
      return `${f.text} ${f.met ? 'met' : 'NOT met'}`.padEnd(32)
    })
    console.log(`    ${g.text.padEnd(84)} ${cells.join('')}`)
  }
}
