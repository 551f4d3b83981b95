import { randomUUID } from 'node:crypto'
import { findCampaign } from '../../domain/campaigns/find-campaign.ts'
import { parseBudgetInput, readingsOf } from '../../domain/changes/budget-input.ts'
import { proposeBudgetChange } from '../../domain/changes/propose-budget-change.ts'
import { proposeChange } from '../../domain/changes/propose-change.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { currencyOfWord } from '../../lib/money.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { budgetQuestion } from '../blocks/budget-question.ts'
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

/**
 * `/promoly budget <campaign> <amount>`: proposes a new daily (or lifetime) budget. `60`, `$60`, `60 USD`: the new
 * budget; `+20%` / `-10%`: relative; `+$20` / `-20 EUR`: so much more or less; `+20` (no % and no currency)
 * asks which one was meant, with a button for each. Another currency than the account's is refused. A currency
 * after the amount may be a code in any case (`60 usd`) or a word of one currency (`9000 yen`); a word several
 * currencies share (`dollars`) is refused with the forms to write, never read as one of them.
 */
export const budget: Subcommand = async ({ args, ack, respond, client, command, workspace, deps, scope }) => {
  // "60 USD", "+20 %": a currency code or a % after the amount belongs to the amount (parseBudgetInput checks it).
  const last = args.at(-1) ?? ''
  const afterNumber = args.length >= 3 && /\d/.test(args.at(-2) ?? '')
  const typedCurrency = afterNumber ? currencyOfWord(last) : null
  if (typedCurrency === 'shared')
    return ack(
      ephemeral(
        usageMessage(
          `\`${echoInput(last.replaceAll('`', ''), 20)}\` is the name of several currencies. Write the amount with the campaign currency's symbol or code (e.g. \`$60\`, \`€60\`, \`60 USD\`), a percent (\`+20%\`) or the number alone. Nothing was proposed.`,
          'budget',
        ),
      ),
    )
  const suffixAfter = afterNumber && (typedCurrency !== null || last === '%')
  const amountWord = suffixAfter ? `${args.at(-2)}${last === '%' ? '' : ` ${typedCurrency}`}` : args.at(-1)
  const nameWords = args.slice(0, suffixAfter ? -2 : -1)
  if (nameWords.length === 0 || amountWord === undefined)
    return ack(
      ephemeral(usageMessage('Name the campaign and the new budget, e.g. `/promoly budget "Spring sale" 60` or `+20%`.', 'budget')),
    )
  const query = nameWords.join(' ')
  await ack()
  const campaign = await findCampaign(deps.domain.prisma, await scope(), query)
  const currency = campaign.adAccount.currency
  const lifetime = campaign.dailyBudget === null
  if (campaign.dailyBudget === null && campaign.lifetimeBudget === null)
    throw new AppError(AppErrorCode.BAD_INPUT, `"${campaign.name}" has no campaign budget: its budgets are set on its ad sets.`)
  const input = parseBudgetInput(amountWord, currency)
  if (input.kind === 'ambiguous') {
    const askedAt = deps.domain.now()
    return void (await respond(
      ephemeral(budgetQuestion({ campaign, currency, lifetime, readings: readingsOf(input), askedAt, questionId: randomUUID() })),
    ))
  }
  const [change] = await proposeBudgetChange(deps.domain, {
    workspaceId: workspace.id,
    campaignId: campaign.id,
    choice: input,
    source: 'COMMAND',
    requestedBySlackUserId: command.user_id,
  })
  if (!change) throw new Error('a budget proposal wrote nothing')
  await postChangeCard(deps, client, change, command.channel_id, command.user_id)
  await respond(ephemeral(infoMessage(proposalNote(change))))
}
