import * as z from 'zod'
import type { ChangeRequest, ChangeType } from '../../generated/prisma/client.ts'
import { formatMoney } from '../../lib/money.ts'

/** The value a change reads or writes, by type. Money in minor units of the account currency. */
export const dailyBudgetValue = z.object({ dailyBudgetMinor: z.number().int().positive() })
export const lifetimeBudgetValue = z.object({ lifetimeBudgetMinor: z.number().int().positive() })
/** Meta's longest campaign name (characters). */
export const CAMPAIGN_NAME_MAX = 200

/** Why a new campaign can't have this name (in words for the person who typed it), or null. Surrounding spaces don't count. */
export function campaignNameProblem(name: string): string | null {
  const length = [...name.trim()].length
  if (length === 0) return `A campaign name needs 1 to ${CAMPAIGN_NAME_MAX} characters, not only spaces. Nothing was proposed.`
  if (length > CAMPAIGN_NAME_MAX)
    return `A campaign name needs 1 to ${CAMPAIGN_NAME_MAX} characters (Meta's limit); this one has ${length}. Nothing was proposed.`
  return null
}

const newCampaignShape = z.object({
  name: z.string().min(1).max(CAMPAIGN_NAME_MAX),
  objective: z.string(),
  /** The campaign's daily budget; absent: the budgets live on the ad sets (set when they are created). */
  dailyBudgetMinor: z.number().int().positive().optional(),
  specialAdCategories: z.array(z.string()),
  /** Where the special ad categories apply (Meta's special_ad_category_country, ISO 3166 alpha-2); none without one. */
  specialAdCategoryCountries: z
    .array(z.string().regex(/^[A-Z]{2}$/))
    .optional()
    .default([]),
  status: z.literal('PAUSED'),
})

/** A new campaign's parameters, as proposed: a special ad category comes with its countries (Meta refuses it without). */
export const createCampaignValue = newCampaignShape.refine(
  (v) => v.specialAdCategories.length === 0 || v.specialAdCategoryCountries.length > 0,
  {
    message: 'Meta needs the countries a special ad category applies in.',
    path: ['specialAdCategoryCountries'],
  },
)

/** "$50.00/day campaign budget" or "budgets on the ad sets": where a new campaign's budget lives, in words. */
function newCampaignBudget(v: z.output<typeof newCampaignShape>, currency: string): string {
  return v.dailyBudgetMinor === undefined
    ? 'budgets on the ad sets (set when they are created)'
    : `${formatMoney(v.dailyBudgetMinor, currency)}/day campaign budget`
}

/** "housing in US, CA": a new campaign's special ad categories and their countries, or null without any. */
function newCampaignCategories(v: z.output<typeof newCampaignShape>): string | null {
  if (v.specialAdCategories.length === 0) return null
  const categories = v.specialAdCategories.map((c) => c.replace(/_/g, ' ').toLowerCase()).join(', ')
  const where = v.specialAdCategoryCountries.length > 0 ? v.specialAdCategoryCountries.join(', ') : 'no country given'
  return `special ad category ${categories} in ${where}`
}

export function isBudgetChange(type: ChangeType): boolean {
  return type === 'SET_DAILY_BUDGET' || type === 'SET_LIFETIME_BUDGET'
}

export function budgetOf(value: unknown): number | null {
  const v = value as { dailyBudgetMinor?: number; lifetimeBudgetMinor?: number } | null
  return v?.dailyBudgetMinor ?? v?.lifetimeBudgetMinor ?? null
}

/** The budget a budget change proposes (proposals are validated when made, so one without is a broken record). */
export function proposedBudgetOf(proposedValue: unknown): number {
  const budget = budgetOf(proposedValue)
  if (budget === null) throw new Error('a budget change without a proposed budget')
  return budget
}

const LEVEL_WORD: Record<string, string> = { campaign: 'campaign', adset: 'ad set', ad: 'ad' }

/**
 * "Daily budget $50.00 → $60.00 (+20%)", "Pause ad set", "Create campaign …": what the change does, in words (a status
 * change names its level: a campaign's when no level is given).
 */
export function describeChange(
  c: Pick<ChangeRequest, 'type' | 'currentValue' | 'proposedValue'> & Partial<Pick<ChangeRequest, 'level'>>,
  currency: string,
): { action: string; current: string; proposed: string } {
  const level = LEVEL_WORD[c.level ?? 'campaign'] ?? 'campaign'
  switch (c.type) {
    case 'PAUSE':
      return {
        action: `Pause ${level}`,
        current: String((c.currentValue as { status?: string }).status ?? 'unknown').toLowerCase(),
        proposed: 'paused',
      }
    case 'RESUME':
      return {
        action: `Resume ${level}`,
        current: String((c.currentValue as { status?: string }).status ?? 'unknown').toLowerCase(),
        proposed: 'active',
      }
    case 'SET_DAILY_BUDGET':
    case 'SET_LIFETIME_BUDGET': {
      const from = budgetOf(c.currentValue)
      const to = proposedBudgetOf(c.proposedValue)
      const pct = from ? ` (${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(0)}%)` : ''
      return {
        action: c.type === 'SET_DAILY_BUDGET' ? 'Change daily budget' : 'Change lifetime budget',
        current: from === null ? 'none' : formatMoney(from, currency),
        proposed: `${formatMoney(to, currency)}${pct}`,
      }
    }
    case 'CREATE_CAMPAIGN': {
      const v = newCampaignShape.parse(c.proposedValue)
      const parts = [v.name, v.objective.replace('OUTCOME_', '').toLowerCase(), newCampaignBudget(v, currency), newCampaignCategories(v)]
      return { action: 'Create campaign', current: '—', proposed: [...parts.filter(Boolean), 'paused'].join(' · ') }
    }
  }
}

/**
 * What approving does, in a marketer's words, for a confirm dialog: "Pause" + the campaign, or "Budget" + the
 * campaign + "$80.00 → $96.00/day". The name is kept apart so each surface can mark it up (and escape it).
 */
export function approvalSummary(
  c: Pick<ChangeRequest, 'type' | 'currentValue' | 'proposedValue'>,
  currency: string,
  campaignName: string | null,
): { verb: string; name: string; amounts: string | null } {
  const name = campaignName ?? (c.proposedValue as { name?: string } | null)?.name ?? 'the campaign'
  switch (c.type) {
    case 'PAUSE':
      return { verb: 'Pause', name, amounts: null }
    case 'RESUME':
      return { verb: 'Resume', name, amounts: null }
    case 'SET_DAILY_BUDGET':
    case 'SET_LIFETIME_BUDGET': {
      const from = budgetOf(c.currentValue)
      const to = proposedBudgetOf(c.proposedValue)
      const unit = c.type === 'SET_DAILY_BUDGET' ? '/day' : ' lifetime'
      const was = from === null ? 'none' : formatMoney(from, currency)
      return { verb: 'Budget', name, amounts: `${was} → ${formatMoney(to, currency)}${unit}` }
    }
    case 'CREATE_CAMPAIGN': {
      const v = newCampaignShape.parse(c.proposedValue)
      return { verb: 'Create', name: v.name, amounts: `${newCampaignBudget(v, currency)}, paused` }
    }
  }
}
