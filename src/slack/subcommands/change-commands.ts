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
  return async ({ args, ack, respond, client, command, workspace, deps, scope }) => {
    if (args.length === 0) return ack(ephemeral(usageMessage('Name the campaign.', name)))
    await ack()
    const campaign = await findCampaign(deps.domain.prisma, await scope(), args.join(' '))
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

/** Three capital letters: an ISO currency code typed after an amount ("5000 JPY"). */
const CURRENCY_CODE = /^[A-Z]{3}$/

/** `/promoly budget <campaign> <amount | +20% | -10%>`: proposes a new daily (or lifetime) budget. */
export const budget: Subcommand = async ({ args, ack, respond, client, command, workspace, deps, scope }) => {
  // "60 USD": a currency code after the amount belongs to the amount (parseMoneyInput checks it is the account's).
  const codeAfter = args.length >= 3 && CURRENCY_CODE.test(args.at(-1) ?? '') && /\d/.test(args.at(-2) ?? '')
  const amountWord = codeAfter ? `${args.at(-2)}${args.at(-1)}` : args.at(-1)
  const nameWords = args.slice(0, codeAfter ? -2 : -1)
  if (nameWords.length === 0 || amountWord === undefined)
    return ack(
      ephemeral(usageMessage('Name the campaign and the new budget, e.g. `/promoly budget "Spring sale" 60` or `+20%`.', 'budget')),
    )
  const query = nameWords.join(' ')
  await ack()
  const campaign = await findCampaign(deps.domain.prisma, await scope(), query)
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
