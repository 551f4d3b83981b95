import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import type { ResultKind } from '../metrics/vocabulary.ts'
import type { OptimizerContext } from '../optimizer/types.ts'
import type { WorkspaceSettings } from '../settings/workspace-settings.ts'
import { clientSettingsOfAccount } from './client-policy.ts'
import { targetFor } from './client-settings.ts'

const RESULT_KINDS: readonly ResultKind[] = ['leads', 'purchases', 'link clicks']

/**
 * The optimizer's targets for an ad account: its client's target per result type in the account's currency.
 * For the default client only, the workspace's single target of older installs (one cost per result, one ROAS,
 * in `moneyCurrency`) still applies to a result type the client has no target for, so existing installs keep
 * theirs; another client never inherits it.
 */
export async function optimizerTargets(
  prisma: Pick<PrismaClient, 'adAccount'>,
  workspace: WorkspaceSettings,
  account: Pick<AdAccount, 'id' | 'currency'>,
): Promise<NonNullable<OptimizerContext['targets']>> {
  const client = await clientSettingsOfAccount(prisma, account.id)
  const byResult: Partial<Record<ResultKind, { costPerResultMinor?: number; roas?: number }>> = {}
  for (const result of RESULT_KINDS) {
    const t = targetFor(client, result, account.currency)
    if (t) byResult[result] = { costPerResultMinor: t.costPerResultMinor ?? undefined, roas: t.roas ?? undefined }
  }
  if (!client.isDefault) return { byResult }
  const o = workspace.optimizer
  return {
    byResult,
    // A target cost is money in the settings' currency: it only applies to accounts in that currency.
    targetCostPerResultMinor:
      workspace.moneyCurrency === null || workspace.moneyCurrency === account.currency
        ? (o.targetCostPerResultMinor ?? undefined)
        : undefined,
    targetRoas: o.targetRoas ?? undefined,
  }
}
