import * as z from 'zod'
import { type BudgetChoice, describeBudgetChoice } from '../../domain/changes/budget-input.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import type { MessageContent } from './types.ts'

/** The action ids of the two answers to "+20 % or +$20.00/day?" (one listener for both). */
export const BUDGET_CHOICE_ACTION_PREFIX = 'budget_choice_'

/** How many ad sets the question names before "and N more". */
const AD_SETS_NAMED = 5

/** What an answer button carries: the object (its level and id), the exact change, and the question it answers. */
export const budgetChoiceValue = z.preprocess(
  // A button posted before ad set budgets (`c`: a campaign id) still answers for that campaign.
  (raw) => {
    if (typeof raw !== 'object' || raw === null || !('c' in raw) || 'o' in raw) return raw
    const { c, ...rest } = raw as Record<string, unknown>
    return { l: 'campaign', o: c, ...rest }
  },
  z
    .object({
      /** Where the budget is changed: a campaign (its own budget, or each of its active ad sets') or an ad set. */
      l: z.enum(['campaign', 'adset']),
      /** Internal id of that campaign or ad set. */
      o: z.string().min(1).max(64),
      /** The account's currency when asked: an answer for another currency is refused. */
      cur: z.string().regex(/^[A-Z]{3}$/),
      k: z.enum(['percent', 'delta']),
      /** Percent, or minor units (signed). */
      v: z.number().finite(),
      /** When the question was asked (ms), and its id: one proposal per question. */
      t: z.number().int().positive(),
      q: z.string().min(1).max(64),
    })
    .strict()
    .refine((v) => (v.k === 'percent' ? v.v > -100 && v.v <= 10_000 && v.v !== 0 : Number.isSafeInteger(v.v) && v.v !== 0), {
      message: 'not a budget change',
    }),
)
export type BudgetChoiceValue = z.infer<typeof budgetChoiceValue>

export function choiceOf(value: BudgetChoiceValue): BudgetChoice {
  return value.k === 'percent' ? { kind: 'percent', percent: value.v } : { kind: 'delta', minor: value.v }
}

/**
 * "Did you mean +20 % or +$20.00/day? (budget of *Campaign “Spring Sale”*)" with one button per reading; each
 * proposes exactly that change for that object. A campaign whose budgets live on its ad sets names the ad sets an
 * answer changes (each by the same percent or amount).
 */
export function budgetQuestion(options: {
  target: { level: 'campaign' | 'adset'; id: string }
  /** The object with its level and parent, plain text ("Ad set “X” in campaign “Y”"). */
  label: string
  /** The active ad sets a campaign-level answer changes (none when the budget is the object's own). */
  adSets: string[]
  currency: string
  lifetime: boolean
  readings: [BudgetChoice, BudgetChoice]
  askedAt: Date
  questionId: string
}): MessageContent {
  const [a, b] = options.readings.map((r) => describeBudgetChoice(r, options.currency, options.lifetime))
  const label = escapeMrkdwn(truncate(options.label, 200))
  const named = options.adSets.slice(0, AD_SETS_NAMED).map((n) => `*${escapeMrkdwn(truncate(n, 100))}*`)
  const more = options.adSets.length - named.length
  const each =
    options.adSets.length > 0
      ? ` Its budgets live on its ad sets: the answer changes each of its ${options.adSets.length} active ad set${options.adSets.length === 1 ? '' : 's'} (${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}), on one card.`
      : ''
  const text = `Did you mean ${a} or ${b}? (budget of *${label}*)${each}`
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:thinking_face: ${text}` } },
      {
        type: 'actions',
        block_id: 'budget_choice',
        elements: options.readings.map((r, i) => {
          const value: BudgetChoiceValue = {
            l: options.target.level,
            o: options.target.id,
            cur: options.currency,
            k: r.kind === 'percent' ? 'percent' : 'delta',
            v: r.kind === 'percent' ? r.percent : r.kind === 'delta' ? r.minor : 0,
            t: options.askedAt.getTime(),
            q: options.questionId,
          }
          return {
            type: 'button' as const,
            action_id: `${BUDGET_CHOICE_ACTION_PREFIX}${value.k}`,
            text: { type: 'plain_text' as const, text: i === 0 ? (a ?? '') : (b ?? '') },
            value: JSON.stringify(value),
          }
        }),
      },
    ],
  }
}
