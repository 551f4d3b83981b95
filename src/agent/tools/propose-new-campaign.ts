import { tool } from 'langchain'
import * as z from 'zod'
import { parseObjective, SPECIAL_AD_CATEGORIES } from '../../domain/campaigns/campaign-options.ts'
import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { listSyncingAdAccounts } from '../../domain/campaigns/list-syncing-ad-accounts.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { parseMoneyInput } from '../../lib/money.ts'
import { proposeForAgent } from './propose.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

export function proposeNewCampaignTool(ctx: ToolContext) {
  return tool(
    ({ name, objective, daily_budget, account, special_ad_categories, reason }) =>
      runTool(ctx, 'propose_new_campaign', 'Preparing a proposal…', async () => {
        const adAccount = account ? await findAdAccount(ctx.deps.prisma, ctx.scope, account) : await onlyAccount(ctx)
        const dailyBudgetMinor = parseMoneyInput(daily_budget, adAccount.currency)
        if (dailyBudgetMinor <= 0) throw new AppError(AppErrorCode.BAD_INPUT, 'The daily budget must be more than zero.')
        return proposeForAgent(ctx, {
          type: 'CREATE_CAMPAIGN',
          adAccountId: adAccount.id,
          proposedValue: { name, objective: parseObjective(objective), dailyBudgetMinor, specialAdCategories: special_ad_categories ?? [] },
          reason,
        })
      }),
    {
      name: 'propose_new_campaign',
      description:
        'Proposes creating a new campaign (created PAUSED, with a campaign daily budget) as a change request card that an admin or approver must approve. Does not create anything by itself.',
      schema: z.object({
        name: z.string().min(1).max(200).describe('Campaign name.'),
        objective: z.string().describe('leads, sales, traffic, awareness, engagement or app (or a Meta OUTCOME_… objective).'),
        daily_budget: z.string().describe('Daily budget in the account currency, major units, e.g. "50".'),
        account: z.string().optional().describe('Ad account name or id; may be omitted when only one is connected.'),
        special_ad_categories: z
          .array(z.enum(SPECIAL_AD_CATEGORIES))
          .optional()
          .describe('Meta special ad categories that apply (employment, housing, credit…); none when omitted.'),
        reason: z.string().max(500).optional().describe('Why, in one sentence; shown on the card.'),
      }),
    },
  )
}

async function onlyAccount(ctx: ToolContext) {
  const accounts = await listSyncingAdAccounts(ctx.deps.prisma, { scope: ctx.scope })
  const [first, ...others] = accounts
  if (!first) throw new AppError(AppErrorCode.NOT_CONNECTED, 'No ad account is connected yet. Someone can run `/promoly connect`.')
  if (others.length === 0) return first
  throw new AppError(
    AppErrorCode.AMBIGUOUS,
    `Which ad account? There are ${accounts.length}: ${accounts.map((a) => quote(a.name)).join(', ')}.`,
  )
}
