import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { createCampaign, parseObjective } from '../../domain/campaigns/create-campaign.ts'
import { canManage } from '../../domain/members/resolve-member.ts'
import { AppError, AppErrorCode, isAppError } from '../../lib/errors.ts'
import { parseMoneyInput } from '../../lib/money.ts'
import { campaignCreatedMessage } from '../blocks/campaign-created-message.ts'
import { createCampaignModal } from '../blocks/create-campaign-modal.ts'
import { errorMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { resolveCaller } from '../resolve-caller.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/**
 * `/promoly create` opens the form; `/promoly create "Spring sale" leads 50 [account]` creates
 * directly. Either way the campaign is created PAUSED on Meta.
 */
export const create: Subcommand = async (a) => {
  const { args, ack, respond, client, command, workspace, deps } = a
  if (args.length === 0) {
    await ack()
    const accounts = await deps.domain.prisma.adAccount.findMany({ where: { workspaceId: workspace.id, syncEnabled: true }, orderBy: { name: 'asc' } })
    if (accounts.length === 0) return void (await respond(ephemeral(errorMessage('No ad account is connected yet.', 'Run /promoly connect first.'))))
    // trigger_id expires 3 s after the command: open the form first; the role is checked again on submit.
    await client.views.open({ trigger_id: command.trigger_id, view: createCampaignModal(accounts, command.channel_id) })
    const member = await resolveCaller(deps, workspace, command.user_id, client)
    if (!canManage(member)) await respond(ephemeral(notAllowed()))
    return
  }
  if (args.length < 3) {
    return ack(ephemeral(usageMessage('Give a name, an objective and a daily budget, e.g. `/promoly create "Spring sale" leads 50`.', 'create')))
  }
  const [name, objectiveWord, budgetWord, ...accountWords] = args as [string, string, string, ...string[]]
  let objective
  try {
    objective = parseObjective(objectiveWord)
  } catch (err) {
    if (!isAppError(err)) throw err
    return ack(ephemeral(usageMessage(err.userMessage, 'create')))
  }
  await ack()
  const member = await resolveCaller(deps, workspace, command.user_id, client)
  if (!canManage(member)) return void (await respond(ephemeral(notAllowed())))
  const account = accountWords.length > 0 ? await findAdAccount(deps.domain.prisma, workspace.id, accountWords.join(' ')) : await onlyAccount(a)
  const dailyBudgetMinor = parseMoneyInput(budgetWord, account.currency)
  const campaign = await createCampaign(deps.domain, {
    workspaceId: workspace.id,
    adAccountId: account.id,
    name,
    objective,
    dailyBudgetMinor,
    specialAdCategories: [],
    slackUserId: command.user_id,
  })
  await respond({ response_type: 'in_channel', ...campaignCreatedMessage(campaign, account, command.user_id) })
}

async function onlyAccount({ deps, workspace }: Parameters<typeof create>[0]) {
  const accounts = await deps.domain.prisma.adAccount.findMany({ where: { workspaceId: workspace.id, syncEnabled: true }, orderBy: { name: 'asc' } })
  if (accounts.length === 1) return accounts[0]!
  if (accounts.length === 0) throw new AppError(AppErrorCode.NOT_CONNECTED, 'No ad account is connected yet. Run `/promoly connect` first.')
  throw new AppError(
    AppErrorCode.AMBIGUOUS,
    `Which ad account? Add its name or id at the end, e.g. \`/promoly create "Spring sale" leads 50 ${accounts[0]!.name}\`. Accounts: ${accounts.map((x) => x.name).join(', ')}.`,
  )
}

function notAllowed() {
  return errorMessage('Only Promoly admins and approvers can create campaigns.', 'Ask an admin to give you the approver role.')
}
