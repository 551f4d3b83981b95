import type { ChangeWithContext } from './change-include.ts'
import type { GuardrailInput } from './guardrails.ts'

/** The guardrails' view of a stored change (at approval, at apply, before a retry). */
export function guardrailInputOf(
  change: Pick<
    ChangeWithContext,
    'type' | 'level' | 'adAccountId' | 'campaignId' | 'adSetId' | 'adId' | 'groupId' | 'currentValue' | 'source' | 'adAccount'
  >,
  proposedValue: unknown,
  minimumDailyBudgetMinor?: GuardrailInput['minimumDailyBudgetMinor'],
): GuardrailInput {
  return {
    type: change.type,
    level: change.level === 'adset' || change.level === 'ad' ? change.level : 'campaign',
    adAccountId: change.adAccountId,
    campaignId: change.campaignId,
    adSetId: change.adSetId,
    adId: change.adId,
    groupId: change.groupId,
    currentValue: change.currentValue,
    proposedValue,
    currency: change.adAccount.currency,
    minimumDailyBudgetMinor,
    isUndo: change.source === 'UNDO',
  }
}
