import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt'
import { OBJECTIVES } from '../../../domain/campaigns/campaign-options.ts'
import { getAdAccount } from '../../../domain/campaigns/get-ad-account.ts'
import { specialAdCountries } from '../../../domain/campaigns/special-ad-countries.ts'
import { proposeChange } from '../../../domain/changes/propose-change.ts'
import { scopeForChannel } from '../../../domain/clients/client-scope.ts'
import { isAppError } from '../../../lib/errors.ts'
import { parseMoneyInput } from '../../../lib/money.ts'
import { BUDGET_LEVELS, CREATE_FIELDS } from '../../blocks/create-campaign-modal.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { postChangeCard } from '../../post-change-card.ts'
import { replyError } from '../../reply-error.ts'

/**
 * The create-campaign form: fields are checked before the ack (errors shown under the field, as
 * Slack does); the proposal (a change request card) is posted where the command was run.
 */
export function createCampaignSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const v = view.state.values
    const F = CREATE_FIELDS
    const accountId = v[F.account.block]?.[F.account.action]?.selected_option?.value
    const name = v[F.name.block]?.[F.name.action]?.value?.trim() ?? ''
    const objective = v[F.objective.block]?.[F.objective.action]?.selected_option?.value
    const onAdSets = v[F.budgetLevel.block]?.[F.budgetLevel.action]?.selected_option?.value === BUDGET_LEVELS.adSets
    const budgetText = v[F.budget.block]?.[F.budget.action]?.value?.trim() ?? ''
    const categories = v[F.categories.block]?.[F.categories.action]?.selected_options?.map((o) => o.value) ?? []
    const countriesText = v[F.countries.block]?.[F.countries.action]?.value ?? ''
    const workspace = requireWorkspace(context)
    const errors: Record<string, string> = {}
    const { channelId } = JSON.parse(view.private_metadata || '{}') as { channelId?: string }
    // The form offered the accounts of the channel it was opened in (a client's channel: that client's only).
    const scope = await scopeForChannel(deps.domain.prisma, workspace.id, channelId)
    const account = accountId ? await getAdAccount(deps.domain.prisma, { scope, adAccountId: accountId }) : null
    if (!account) errors[F.account.block] = 'Choose an ad account.'
    if (name.length === 0) errors[F.name.block] = 'Give the campaign a name.'
    if (!objective || !(OBJECTIVES as readonly string[]).includes(objective)) errors[F.objective.block] = 'Choose an objective.'
    let dailyBudgetMinor: number | undefined
    if (onAdSets) {
      if (budgetText !== '')
        errors[F.budget.block] = 'Leave this empty with budgets on the ad sets: each ad set gets its budget when it is created.'
    } else if (budgetText === '') {
      errors[F.budget.block] = 'Enter the daily budget, or choose budgets on the ad sets.'
    } else if (account) {
      try {
        dailyBudgetMinor = parseMoneyInput(budgetText, account.currency)
        if (dailyBudgetMinor <= 0) errors[F.budget.block] = 'The budget must be more than zero.'
      } catch (err) {
        errors[F.budget.block] = isAppError(err) ? err.userMessage : 'Enter an amount such as 50 or 49.90.'
      }
    }
    let countries: string[] = []
    if (account) {
      try {
        countries = specialAdCountries({ categories, countries: countriesText, accountCountry: account.countryCode })
      } catch (err) {
        if (!isAppError(err)) throw err
        errors[F.countries.block] = err.userMessage
      }
    }
    if (!account || Object.keys(errors).length > 0) return ack({ response_action: 'errors', errors })
    await ack()

    const userId = body.user.id
    try {
      const change = await proposeChange(deps.domain, {
        workspaceId: workspace.id,
        type: 'CREATE_CAMPAIGN',
        source: 'COMMAND',
        adAccountId: account.id,
        proposedValue: {
          name,
          objective,
          ...(dailyBudgetMinor === undefined ? {} : { dailyBudgetMinor }),
          specialAdCategories: categories,
          specialAdCategoryCountries: countries,
        },
        requestedBySlackUserId: userId,
      })
      await postChangeCard(deps, client, change, channelId ?? userId, userId)
    } catch (err) {
      await replyError({ client, userId, channelId }, err, {
        logger: deps.logger,
        what: 'create campaign',
        prefix: `The campaign "${name}" was not proposed: `,
      })
    }
  }
}
