import { listOpenSuggestions } from '../../domain/suggestions/list-open-suggestions.ts'
import { changeCard } from '../blocks/change-card.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { suggestionMessage } from '../blocks/suggestion-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** A response_url takes 5 answers: the summary and the 4 most confident cards. */
const CARDS = 4

/** `/promoly suggestions [account|campaign]`: the open findings, each with its card. */
export const suggestions: Subcommand = async ({ args, ack, respond, deps, scope }) => {
  await ack()
  const query = args.join(' ').trim()
  const { total, suggestions: shown } = await listOpenSuggestions(deps.domain.prisma, {
    scope: await scope(),
    target: query || undefined,
    limit: CARDS,
  })
  if (total === 0) {
    return void (await respond(
      ephemeral(infoMessage(`No open suggestions${query ? ` for "${query}"` : ''}. Promoly looks again after every sync.`)),
    ))
  }
  const more = total > shown.length ? ` (the ${shown.length} most confident below)` : ''
  await respond(ephemeral(infoMessage(`${total} open suggestion${total === 1 ? '' : 's'}${query ? ` for "${query}"` : ''}${more}:`)))
  for (const s of shown) await respond(ephemeral(s.change ? changeCard(s.change) : suggestionMessage(s, s.place)))
}
