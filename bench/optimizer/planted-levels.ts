/**
 * Simulated ad accounts with ad sets and ads, and problems PLANTED at the level where they live, for the optimizer's
 * per-level bench. Deterministic for a seed. Each campaign has 1–3 ad sets of 2–4 ads; every ad is simulated on its
 * own (planted-problems.ts' day model: seasonality, auction noise, pacing, learning, late conversions) with its share
 * of the budget and its own creative (CTR, CPM, frequency vary by ad), and the ad sets' and campaign's days are the
 * sums of their ads' (as the sync rolls them up).
 *
 * Scenarios, spread evenly over the planted share:
 *   - campaign level (campaign budget): any planted kind, on every ad of the campaign;
 *   - ad set level (ad set budgets; the campaign has none): overpacing, underpacing, zero delivery, a cost spike or a
 *     winner, in ONE ad set; its sibling ad sets are healthy;
 *   - ad level: creative fatigue or a low CTR on ONE ad, beside healthy siblings delivering in the same ad set.
 * Everything else is noise-only (a campaign budget or ad set budgets).
 *
 * In about a quarter of the ad sets, one ad (never a planted ad-level one) was deleted 1–20 days ago and replaced by a
 * new ad that took over its delivery: the deleted ad's days stay the ad set's and the campaign's (retiredAds), as
 * in the stored ad-days. Drawn from a second generator, so the accounts are otherwise the same as without it.
 */
import type { AdSetSeries, CampaignSeries, SuggestionKind, SuggestionLevel } from '../../src/domain/optimizer/index.ts'
import { addDays } from '../../src/lib/dates.ts'
import { currencyOffset } from '../../src/lib/money.ts'
import { must } from '../must.ts'
import { AUDIENCES, GENERATOR_TODAY, makeProfile, PLANTED_KINDS, type Profile, simulate, THEMES } from './planted-problems.ts'
import { createRng, type Rng } from './rng.ts'

/** A planted problem: the object (campaign, ad set or ad id) and the kind that should fire on it. */
export interface LevelLabel {
  level: SuggestionLevel
  id: string
  kind: SuggestionKind
}

export interface LabelledAccount {
  campaigns: CampaignSeries[]
  labels: LevelLabel[]
}

const AD_SET_KINDS: readonly SuggestionKind[] = ['overpacing', 'underpacing', 'zero_delivery', 'cost_spike', 'scale_winner']
const AD_KINDS: readonly SuggestionKind[] = ['creative_fatigue', 'low_ctr']

type Scenario = { level: SuggestionLevel; kind: SuggestionKind } | null

/** Shares summing to 1, none below about half an even share. */
function shares(rng: Rng, n: number): number[] {
  const w = Array.from({ length: n }, () => rng.uniform(0.6, 1.4))
  const sum = w.reduce((a, b) => a + b, 0)
  return w.map((x) => x / sum)
}

/** The same campaign profile for one ad: its budget share and its own creative. */
function adProfile(rng: Rng, p: Profile, budgetUsd: number, healthy: boolean): Profile {
  const own = healthy ? { ...p, ...p.healthy, plant: null } : { ...p }
  return {
    ...own,
    budgetUsd,
    ctr: own.ctr * rng.lognormal(0.1),
    cpmUsd: own.cpmUsd * rng.lognormal(0.1),
    frequency: own.frequency * rng.lognormal(0.03),
  }
}

type AdSeries = AdSetSeries['ads'][number]

/** Share of ad sets where one ad was deleted and replaced. */
const REPLACED_SHARE = 0.25

/**
 * `ads` with the one at `index` deleted `daysAgo` days before GENERATOR_TODAY and replaced by a new ad that delivers
 * from that day on (the same simulated delivery, split at the cut): the live ads and the deleted one.
 */
function replaceAd(ads: AdSeries[], index: number, daysAgo: number): { ads: AdSeries[]; retired: AdSeries } {
  const old = must(ads[index], 'the replaced ad')
  const cut = addDays(GENERATOR_TODAY, -daysAgo)
  const retired: AdSeries = { ...old, status: 'DELETED', days: old.days.filter((d) => d.date < cut) }
  const replacement: AdSeries = {
    adId: `${old.adId}r`,
    name: `${old.name} (new)`,
    status: 'ACTIVE',
    days: old.days.filter((d) => d.date >= cut),
  }
  return { ads: ads.map((a, i) => (i === index ? replacement : a)), retired }
}

export function generateLabelledAccountWithAds(options: {
  seed: number
  count: number
  days: number
  currency: string
  plantedShare?: number
}): LabelledAccount {
  const { seed, count, days, currency } = options
  const firstDate = addDays(GENERATOR_TODAY, -days)
  const unit = currencyOffset(currency) === 100 ? 100 : 150
  const rng = createRng(seed)
  const replacing = createRng(seed ^ 0x5eed)
  const menu: Scenario[] = [
    ...PLANTED_KINDS.map((kind) => ({ level: 'campaign' as const, kind })),
    ...AD_SET_KINDS.map((kind) => ({ level: 'adset' as const, kind })),
    ...AD_KINDS.flatMap((kind) => [
      { level: 'ad' as const, kind },
      { level: 'ad' as const, kind },
    ]),
  ]
  const planted = Math.round(count * (options.plantedShare ?? 0.45))
  const scenarios: Scenario[] = Array.from({ length: count }, (_, i) => (i < planted ? must(menu[i % menu.length], 'a scenario') : null))
  for (let i = scenarios.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1))
    ;[scenarios[i], scenarios[j]] = [scenarios[j] ?? null, scenarios[i] ?? null]
  }
  const labels: LevelLabel[] = []
  const campaigns = scenarios.map((scenario, i): CampaignSeries => {
    const p = makeProfile(rng, scenario?.kind ?? null, days)
    const campaignId = `${seed}${String(i).padStart(5, '0')}`
    const onAdSets = scenario ? scenario.level === 'adset' : !p.campaignBudget
    const nAdSets = scenario?.level === 'adset' ? rng.int(2, 3) : rng.int(1, 3)
    const plantedSet = rng.int(0, nAdSets - 1)
    const setShares = shares(rng, nAdSets)
    const adSets: AdSetSeries[] = setShares.map((share, k) => {
      const adSetId = `${campaignId}s${k}`
      const nAds = rng.int(2, 4)
      // Ad set budgets: the planted ad set keeps the planted budget (big enough to show it), its siblings vary.
      const setBudgetUsd = onAdSets
        ? scenario && k === plantedSet
          ? p.budgetUsd
          : Math.max(5, Math.round(p.budgetUsd * rng.uniform(0.5, 1.5)))
        : p.budgetUsd * share
      const setPlanted = scenario?.level === 'campaign' || (scenario?.level === 'adset' && k === plantedSet)
      const adShares = shares(rng, nAds)
      // a planted ad among siblings is the one with the largest share, so the problem is visible on it
      const plantedAd = adShares.indexOf(Math.max(...adShares))
      const ads = adShares.map((adShare, a) => {
        const isPlanted = setPlanted || (scenario?.level === 'ad' && k === plantedSet && a === plantedAd)
        const adId = `${adSetId}a${a}`
        if (isPlanted && scenario?.level === 'ad') labels.push({ level: 'ad', id: adId, kind: scenario.kind })
        const profile = adProfile(rng, p, setBudgetUsd * adShare, scenario !== null && !isPlanted)
        return { adId, name: `Ad ${a + 1} – ${rng.pick(THEMES)}`, status: 'ACTIVE', days: simulate(rng, profile, days, firstDate, unit) }
      })
      if (scenario?.level === 'adset' && k === plantedSet) labels.push({ level: 'adset', id: adSetId, kind: scenario.kind })
      const set: AdSetSeries = {
        adSetId,
        name: `${rng.pick(AUDIENCES)} ${k + 1}`,
        status: 'ACTIVE',
        dailyBudgetMinor: onAdSets ? Math.round(setBudgetUsd) * unit : null,
        ads,
      }
      const replaced = replacing.int(0, nAds - 1)
      const daysAgo = replacing.int(1, 20)
      const plantedHere = scenario?.level === 'ad' && k === plantedSet && replaced === plantedAd
      if (!replacing.chance(REPLACED_SHARE) || plantedHere) return set
      const { ads: live, retired } = replaceAd(ads, replaced, daysAgo)
      return { ...set, ads: live, retiredAds: [retired] }
    })
    if (scenario?.level === 'campaign') labels.push({ level: 'campaign', id: campaignId, kind: scenario.kind })
    const byDate = new Map<string, CampaignSeries['days'][number]>()
    for (const s of adSets)
      for (const ad of [...s.ads, ...(s.retiredAds ?? [])])
        for (const d of ad.days) {
          const into = byDate.get(d.date)
          if (!into) byDate.set(d.date, { ...d })
          else
            for (const f of ['impressions', 'reach', 'clicks', 'linkClicks', 'spend', 'leads', 'purchases', 'purchaseValue'] as const)
              into[f] += d[f]
        }
    return {
      campaignId,
      name: `${rng.pick(THEMES)} – ${rng.pick(AUDIENCES)} ${i + 1}`,
      objective: p.objective,
      status: p.pausedFrom !== null ? 'PAUSED' : 'ACTIVE',
      dailyBudgetMinor: onAdSets ? null : Math.round(p.budgetUsd) * unit,
      days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
      adSets,
    }
  })
  return { campaigns, labels }
}
