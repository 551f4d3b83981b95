import * as z from 'zod'
import { type BudgetChoice, describeBudgetChoice } from '../../domain/changes/budget-input.ts'
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.ts'
import type { MessageContent } from './types.ts'

/** The action ids of the two answers to "+20 % or +$20.00/day?" (one listener for both). */
export const BUDGET_CHOICE_ACTION_PREFIX = 'budget_choice_'

/** What an answer button carries: the campaign, the exact change, and the question it answers. */
export const budgetChoiceValue = z
  .object({
    /** Internal campaign id. */
    c: z.string().min(1).max(64),
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
  })
export type BudgetChoiceValue = z.infer<typeof budgetChoiceValue>

export function choiceOf(value: BudgetChoiceValue): BudgetChoice {
  return value.k === 'percent' ? { kind: 'percent', percent: value.v } : { kind: 'delta', minor: value.v }
}

/**
 * "Did you mean +20 % or +$20.00/day for *Spring Sale*?" with one button per reading; each proposes exactly
 * that change for that campaign.
 */
export function budgetQuestion(options: {
  campaign: { id: string; name: string }
  currency: string
  lifetime: boolean
  readings: [BudgetChoice, BudgetChoice]
  askedAt: Date
  questionId: string
}): MessageContent {
  const [a, b] = options.readings.map((r) => describeBudgetChoice(r, options.currency, options.lifetime))
  const name = escapeMrkdwn(truncate(options.campaign.name, 150))
  const text = `Did you mean ${a} or ${b}? (budget of *${name}*)`
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:thinking_face: ${text}` } },
      {
        type: 'actions',
        block_id: 'budget_choice',
        elements: options.readings.map((r, i) => {
          const value: BudgetChoiceValue = {
            c: options.campaign.id,
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
