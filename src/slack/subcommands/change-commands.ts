import { findCampaign } from '../../domain/campaigns/find-campaign.ts'
import { proposeChange } from '../../domain/changes/propose-change.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { parseMoneyInput } from '../../lib/money.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { postChangeCard, proposalNote } from '../post-change-card.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly pause <campaign>` and `/promoly resume <campaign>`: a change request card, not an instant change. */
function statusChange(type: 'PAUSE' | 'RESUME', name: 'pause' | 'resume'): Subcommand {
  return async ({ args, ack, respond, client, command, workspace, deps }) => {
    if (args.length === 0) return ack(ephemeral(usageMessage('Name the campaign.', name)))
    await ack()
    const campaign = await findCampaign(deps.domain.prisma, workspace.id, args.join(' '))
    const change = await proposeChange(deps.domain, {
      workspaceId: workspace.id,
      type,
      source: 'COMMAND',
      campaignId: campaign.id,
      requestedBySlackUserId: command.user_id,
    })
    await postChangeCard(deps, client, change, command.channel_id, command.user_id)
    await respond(ephemeral(infoMessage(proposalNote(change))))
  }
}

export const pause = statusChange('PAUSE', 'pause')
export const resume = statusChange('RESUME', 'resume')

const RELATIVE = /^([+-])(\d+(?:\.\d+)?)%$/

/** `/promoly budget <campaign> <amount | +20% | -10%>`: proposes a new daily (or lifetime) budget. */
export const budget: Subcommand = async ({ args, ack, respond, client, command, workspace, deps }) => {
  const amountWord = args.at(-1)
  if (args.length < 2 || amountWord === undefined)
    return ack(
      ephemeral(usageMessage('Name the campaign and the new budget, e.g. `/promoly budget "Spring sale" 60` or `+20%`.', 'budget')),
    )
  const query = args.slice(0, -1).join(' ')
  await ack()
  const campaign = await findCampaign(deps.domain.prisma, workspace.id, query)
  const currency = campaign.adAccount.currency
  const current = campaign.dailyBudget ?? campaign.lifetimeBudget
  if (current === null)
    throw new AppError(AppErrorCode.BAD_INPUT, `"${campaign.name}" has no campaign budget: its budgets are set on its ad sets.`)
  const rel = RELATIVE.exec(amountWord)
  const target = rel
    ? Math.round(Number(current) * (1 + (rel[1] === '-' ? -1 : 1) * (Number(rel[2]) / 100)))
    : parseMoneyInput(amountWord, currency)
  if (target <= 0) throw new AppError(AppErrorCode.BAD_INPUT, 'The new budget must be more than zero.')
  const lifetime = campaign.dailyBudget === null
  const change = await proposeChange(deps.domain, {
    workspaceId: workspace.id,
    type: lifetime ? 'SET_LIFETIME_BUDGET' : 'SET_DAILY_BUDGET',
    source: 'COMMAND',
    campaignId: campaign.id,
    proposedValue: lifetime ? { lifetimeBudgetMinor: target } : { dailyBudgetMinor: target },
    requestedBySlackUserId: command.user_id,
  })
  await postChangeCard(deps, client, change, command.channel_id, command.user_id)
  await respond(ephemeral(infoMessage(proposalNote(change))))
}
