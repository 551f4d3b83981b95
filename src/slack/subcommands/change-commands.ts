import { randomUUID } from 'node:crypto'
import { type FoundObject, findObject } from '../../domain/campaigns/find-object.ts'
import { parseBudgetInput, readingsOf } from '../../domain/changes/budget-input.ts'
import { budgetRef, changeableRef, foundLabel } from '../../domain/changes/changeable-object.ts'
import { lastActiveNote } from '../../domain/changes/guardrails.ts'
import { budgetHolders, proposeBudgetChange } from '../../domain/changes/propose-budget-change.ts'
import { proposeChange } from '../../domain/changes/propose-change.ts'
import type { ClientScope } from '../../domain/clients/client-scope.ts'
import { OBJECT_LEVELS } from '../../domain/metrics/load-level-totals.ts'
import { currencyOfWord } from '../../lib/money.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import { budgetQuestion } from '../blocks/budget-question.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import type { SlackDeps } from '../deps.ts'
import { postChangeCard, proposalNote } from '../post-change-card.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** The campaign, ad set or ad a change command names (by id or name; ambiguous names are listed with their level). */
function findChangeObject(deps: SlackDeps, scope: ClientScope, query: string): Promise<FoundObject> {
  return findObject(deps.domain.prisma, scope, query, OBJECT_LEVELS, {
    notFound: `No campaign, ad set or ad matches "${echoInput(query)}". See \`/promoly campaigns\`, \`adsets\` and \`ads\`.`,
  })
}

/**
 * `/promoly pause <campaign|ad set|ad>` and `/promoly resume …`: a change request card, not an instant change. An
 * object deleted or archived on Meta is refused with the reason.
 */
function statusChange(type: 'PAUSE' | 'RESUME', name: 'pause' | 'resume'): Subcommand {
  return async ({ args, ack, respond, client, command, workspace, deps, scope }) => {
    if (args.length === 0) return ack(ephemeral(usageMessage('Name the campaign, ad set or ad.', name)))
    await ack()
    const found = await findChangeObject(deps, await scope(), args.join(' '))
    const change = await proposeChange(deps.domain, {
      workspaceId: workspace.id,
      type,
      source: 'COMMAND',
      ...changeableRef(found),
      requestedBySlackUserId: command.user_id,
    })
    await postChangeCard(deps, client, change, command.channel_id, command.user_id)
    const effect = lastActiveNote(change)
    await respond(ephemeral(infoMessage(`${proposalNote(change)}${effect ? ` ${effect}` : ''}`)))
  }
}

export const pause = statusChange('PAUSE', 'pause')
export const resume = statusChange('RESUME', 'resume')

/**
 * `/promoly budget <campaign|ad set> <amount>`: proposes a new daily (or lifetime) budget where the budget lives. `60`,
 * `$60`, `60 USD`: the new budget; `+20%` / `-10%`: relative; `+$20` / `-20 EUR`: so much more or less; `+20` (no %
 * and no currency) asks which one was meant, with a button for each. A campaign whose budgets live on its ad sets
 * gets one change per active ad set on one card (a percent or a difference applies to each); an ad set whose
 * campaign holds the budget, and an ad (ads have no budget), are refused with the reason. Another currency than the
 * account's is refused. A currency after the amount may be a code in any case (`60 usd`) or a word of one currency
 * (`9000 yen`); a word several currencies share (`dollars`) is refused with the forms to write, never read as one.
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
          `\`${echoInput(last.replaceAll('`', ''), 20)}\` is the name of several currencies. Write the amount with the account currency's symbol or code (e.g. \`$60\`, \`€60\`, \`60 USD\`), a percent (\`+20%\`) or the number alone. Nothing was proposed.`,
          'budget',
        ),
      ),
    )
  const suffixAfter = afterNumber && (typedCurrency !== null || last === '%')
  const amountWord = suffixAfter ? `${args.at(-2)}${last === '%' ? '' : ` ${typedCurrency}`}` : args.at(-1)
  const nameWords = args.slice(0, suffixAfter ? -2 : -1)
  if (nameWords.length === 0 || amountWord === undefined)
    return ack(
      ephemeral(
        usageMessage('Name the campaign or ad set and the new budget, e.g. `/promoly budget "Spring sale" 60` or `+20%`.', 'budget'),
      ),
    )
  await ack()
  const found = await findChangeObject(deps, await scope(), nameWords.join(' '))
  const ref = budgetRef(found)
  const holders = await budgetHolders(deps.domain, { workspaceId: workspace.id, ...ref })
  const currency = found.account.currency
  const input = parseBudgetInput(amountWord, currency)
  if (input.kind === 'ambiguous') {
    // Said before anything is proposed: the readings, and which ad sets a campaign-level answer changes.
    const adSets = 'campaignId' in ref ? holders.flatMap((h) => (h.adSetId ? [h.name] : [])) : []
    return void (await respond(
      ephemeral(
        budgetQuestion({
          target: { level: 'campaignId' in ref ? 'campaign' : 'adset', id: 'campaignId' in ref ? ref.campaignId : ref.adSetId },
          label: foundLabel(found),
          adSets,
          currency,
          lifetime: holders.every((h) => h.daily === null),
          readings: readingsOf(input),
          askedAt: deps.domain.now(),
          questionId: randomUUID(),
        }),
      ),
    ))
  }
  const parts = await proposeBudgetChange(deps.domain, {
    workspaceId: workspace.id,
    ...ref,
    choice: input,
    source: 'COMMAND',
    requestedBySlackUserId: command.user_id,
  })
  const [lead] = parts
  if (!lead) throw new Error('a budget proposal wrote nothing')
  await postChangeCard(deps, client, lead, command.channel_id, command.user_id)
  await respond(ephemeral(infoMessage(proposalNote(lead, parts))))
}
