import { tool } from 'langchain'
import * as z from 'zod'
import { parseObjective, SPECIAL_AD_CATEGORIES } from '../../domain/campaigns/campaign-options.ts'
import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { listSyncingAdAccounts } from '../../domain/campaigns/list-syncing-ad-accounts.ts'
import { specialAdCountries } from '../../domain/campaigns/special-ad-countries.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { parseMoneyInput } from '../../lib/money.ts'
import { proposeForAgent } from './propose.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

export function proposeNewCampaignTool(ctx: ToolContext) {
  return tool(
    ({ name, objective, budget_on, daily_budget, account, special_ad_categories, special_ad_category_countries, reason }) =>
      runTool(ctx, 'propose_new_campaign', 'Preparing a proposal…', async () => {
        const adAccount = account ? await findAdAccount(ctx.deps.prisma, ctx.scope, account) : await onlyAccount(ctx)
        const dailyBudgetMinor = campaignBudget(budget_on ?? 'campaign', daily_budget, adAccount.currency)
        const categories = special_ad_categories ?? []
        const countries = specialAdCountries({
          categories,
          countries: special_ad_category_countries,
          accountCountry: adAccount.countryCode,
        })
        return proposeForAgent(ctx, {
          type: 'CREATE_CAMPAIGN',
          adAccountId: adAccount.id,
          proposedValue: {
            name,
            objective: parseObjective(objective),
            ...(dailyBudgetMinor === undefined ? {} : { dailyBudgetMinor }),
            specialAdCategories: categories,
            specialAdCategoryCountries: countries,
          },
          reason,
        })
      }),
    {
      name: 'propose_new_campaign',
      description:
        'Proposes creating a new campaign (created PAUSED) as a change request card that an admin or approver must approve. Does not create anything by itself. The budget lives either on the campaign (a daily amount) or on its ad sets (set when the ad sets are created); ask the user which when unclear.',
      schema: z.object({
        name: z.string().min(1).max(200).describe('Campaign name.'),
        objective: z.string().describe('leads, sales, traffic, awareness, engagement or app (or a Meta OUTCOME_… objective).'),
        budget_on: z
          .enum(['campaign', 'ad_sets'])
          .optional()
          .describe(
            'Where the budget lives: "campaign" (a campaign daily budget, give daily_budget; the default) or "ad_sets" (no daily_budget).',
          ),
        daily_budget: z
          .string()
          .optional()
          .describe(
            'Campaign daily budget in the account currency, major units, e.g. "50". Required with budget_on "campaign"; omit with "ad_sets".',
          ),
        account: z.string().optional().describe('Ad account name or id; may be omitted when only one is connected.'),
        special_ad_categories: z
          .array(z.enum(SPECIAL_AD_CATEGORIES))
          .optional()
          .describe('Meta special ad categories that apply (employment, housing, credit…); none when omitted.'),
        special_ad_category_countries: z
          .array(z.string())
          .optional()
          .describe(
            'ISO 3166 alpha-2 codes of the countries a special ad category applies in, e.g. ["US", "CA"]; Meta requires them with a category. Omitted: the ad account\'s country.',
          ),
        reason: z.string().max(500).optional().describe('Why, in one sentence; shown on the card.'),
      }),
    },
  )
}

/** The campaign daily budget in minor units, or undefined for budgets on the ad sets; a mismatch is refused in words. */
function campaignBudget(budgetOn: 'campaign' | 'ad_sets', dailyBudget: string | undefined, currency: string): number | undefined {
  if (budgetOn === 'ad_sets') {
    if (dailyBudget !== undefined && dailyBudget.trim() !== '')
      throw new AppError(
        AppErrorCode.BAD_INPUT,
        'With budgets on the ad sets the campaign has no daily budget: leave daily_budget out, or use budget_on "campaign".',
      )
    return undefined
  }
  if (dailyBudget === undefined || dailyBudget.trim() === '')
    throw new AppError(AppErrorCode.BAD_INPUT, 'A campaign budget needs daily_budget (e.g. "50"), or use budget_on "ad_sets".')
  const minor = parseMoneyInput(dailyBudget, currency)
  if (minor <= 0) throw new AppError(AppErrorCode.BAD_INPUT, 'The daily budget must be more than zero.')
  return minor
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
