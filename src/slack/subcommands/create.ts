import { type Objective, parseObjective } from '../../domain/campaigns/campaign-options.ts'
import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { listSyncingAdAccounts } from '../../domain/campaigns/list-syncing-ad-accounts.ts'
import { campaignNameProblem } from '../../domain/changes/change-values.ts'
import { proposeChange } from '../../domain/changes/propose-change.ts'
import { AppError, AppErrorCode, isAppError } from '../../lib/errors.ts'
import { parseMoneyInput } from '../../lib/money.ts'
import { createCampaignModal } from '../blocks/create-campaign-modal.ts'
import { errorMessage, infoMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { postChangeCard, proposalNote } from '../post-change-card.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/**
 * `/promoly create` opens the form; `/promoly create "Spring sale" leads 50 [account]` proposes
 * directly (`adsets` for the amount: budgets on the ad sets, set when they are created; a special ad category
 * needs the form). Either way it is a change request: created (PAUSED) on Meta only once approved.
 */
/** The budget word for budgets on the ad sets: `adsets`, `ad-sets`, `ad_sets`. */
const AD_SET_BUDGETS = /^ad[-_]?sets?$/i

export const create: Subcommand = async (a) => {
  const { args, ack, ackBeforeModal, respond, client, command, workspace, deps, scope } = a
  if (args.length === 0) {
    await ackBeforeModal()
    const accounts = await listSyncingAdAccounts(deps.domain.prisma, { scope: await scope() })
    if (accounts.length === 0)
      return void (await respond(ephemeral(errorMessage('No ad account is connected yet.', 'Run /promoly connect first.'))))
    await client.views.open({ trigger_id: command.trigger_id, view: createCampaignModal(accounts, command.channel_id) })
    return
  }
  if (args.length < 3) {
    return ack(
      ephemeral(usageMessage('Give a name, an objective and a daily budget, e.g. `/promoly create "Spring sale" leads 50`.', 'create')),
    )
  }
  const [name, objectiveWord, budgetWord, ...accountWords] = args as [string, string, string, ...string[]]
  const nameProblem = campaignNameProblem(name)
  if (nameProblem) return ack(ephemeral(usageMessage(nameProblem, 'create')))
  let objective: Objective
  try {
    objective = parseObjective(objectiveWord)
  } catch (err) {
    if (!isAppError(err)) throw err
    return ack(ephemeral(usageMessage(err.userMessage, 'create')))
  }
  await ack()
  const account =
    accountWords.length > 0 ? await findAdAccount(deps.domain.prisma, await scope(), accountWords.join(' ')) : await onlyAccount(a)
  const dailyBudgetMinor = AD_SET_BUDGETS.test(budgetWord) ? undefined : parseMoneyInput(budgetWord, account.currency)
  if (dailyBudgetMinor !== undefined && dailyBudgetMinor <= 0)
    throw new AppError(AppErrorCode.BAD_INPUT, 'The daily budget must be more than zero.')
  const change = await proposeChange(deps.domain, {
    workspaceId: workspace.id,
    type: 'CREATE_CAMPAIGN',
    source: 'COMMAND',
    adAccountId: account.id,
    proposedValue: { name, objective, ...(dailyBudgetMinor === undefined ? {} : { dailyBudgetMinor }), specialAdCategories: [] },
    requestedBySlackUserId: command.user_id,
  })
  await postChangeCard(deps, client, change, command.channel_id, command.user_id)
  await respond(ephemeral(infoMessage(proposalNote(change))))
}

async function onlyAccount({ deps, scope }: Parameters<typeof create>[0]) {
  const accounts = await listSyncingAdAccounts(deps.domain.prisma, { scope: await scope() })
  const [first, ...others] = accounts
  if (!first) throw new AppError(AppErrorCode.NOT_CONNECTED, 'No ad account is connected yet. Run `/promoly connect` first.')
  if (others.length === 0) return first
  throw new AppError(
    AppErrorCode.AMBIGUOUS,
    `Which ad account? Add its name or id at the end, e.g. \`/promoly create "Spring sale" leads 50 ${first.name}\`. Accounts: ${accounts.map((x) => x.name).join(', ')}.`,
  )
}
