import { listSyncingAdAccounts } from '../../domain/campaigns/list-syncing-ad-accounts.ts'
import { accountQueries } from '../../domain/campaigns/name-lookup.ts'
import { canApprove } from '../../domain/changes/decide-change.ts'
import { scopeForChannel } from '../../domain/clients/client-scope.ts'
import { listDigestSubscriptions } from '../../domain/digests/list-digest-subscriptions.ts'
import { isDirectMessage, requireDigestManager, subscribeDigest, unsubscribeDigest } from '../../domain/digests/subscriptions.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput, escapeMrkdwn } from '../../lib/mrkdwn.ts'
import { canonicalTimeZone, closestTimeZones } from '../../lib/time-zones.ts'
import { digestListMessage } from '../blocks/digest-list.ts'
import { digestSubscribeModal } from '../blocks/digest-subscribe-modal.ts'
import { infoMrkdwn } from '../blocks/error-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { slackChannelMembership } from '../channel-membership.ts'
import { resolveCaller } from '../resolve-caller.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

const CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/
const TIME = /^\d{1,2}(:\d{2})?$/
const ZONE = /^[A-Za-z_]+\/[A-Za-z0-9_/+-]+$|^UTC$/i

/**
 * A time zone typed in the command: the zone whatever its case; a near miss is refused with the closest names
 * ("Did you mean `Europe/Berlin`?"), and the form (`/promoly digest` alone) offers the list.
 */
function typedTimeZone(word: string): string {
  const zone = canonicalTimeZone(word)
  if (zone) return zone
  const close = closestTimeZones(word)
  const quoted = (z: string) => `\`${z}\``
  const hint = close.length > 0 ? ` Did you mean ${close.map(quoted).join(close.length === 2 ? ' or ' : ', ')}?` : ''
  throw new AppError(
    AppErrorCode.BAD_INPUT,
    `${quoted(echoInput(word.replaceAll('`', ''), 64))} is not a time zone.${hint} Run \`/promoly digest\` alone to choose one from a list.`,
  )
}

/** A channel typed as a plain `#name`: with `should_escape: false` (manifest.json) Slack sends channel names so, not as `<#C…>`. */
const PLAIN_CHANNEL = /^#[^\s<>#]{1,80}$/

/** The channel id of a channel mention (`<#C123|name>`), if the word is one. */
const mentionedChannel = (word: string): string | undefined => CHANNEL.exec(word)?.[1]

/**
 * A `#name` Slack left as text: Promoly cannot tell which channel that is (names change and repeat across
 * shared channels), so it says how to choose one instead of taking the name for an ad account.
 */
function plainChannelName(words: string[]): string | undefined {
  return words.find((w) => PLAIN_CHANNEL.test(w))
}

const plainChannelRefusal = (name: string, action: string) =>
  ephemeral(
    infoMrkdwn(
      `:warning: I cannot tell which channel ${escapeMrkdwn(name)} is: Slack sends a typed channel name to Promoly as plain text. Run \`/promoly digest ${action}\` in that channel itself${action === 'subscribe' ? ', or run `/promoly digest` alone and pick the channel in the form' : ''}. Nothing was changed.`,
    ),
  )

/**
 * `/promoly digest subscribe [#channel] [HH:MM] [time zone] [account name, another…]` (names separated by commas), `unsubscribe [#channel]`,
 * `list`, `now` (post one here immediately), `preview` (only you see it); alone, a form.
 * subscribe, unsubscribe and now are for admins and approvers (the domain checks; subscribe also that the
 * caller is in the channel); list shows admins and approvers every digest, anyone else only this channel's;
 * preview shows only the caller what any member can already see.
 */
export const digest: Subcommand = async ({ args, ack, ackBeforeModal, respond, client, command, workspace, deps, scope }) => {
  const [action = '', ...rest] = args
  const prisma = deps.domain.prisma
  switch (action.toLowerCase()) {
    case 'subscribe': {
      const typed = plainChannelName(rest)
      if (typed) return ack(plainChannelRefusal(typed, 'subscribe'))
      let channelId = command.channel_id
      let localTime: string | undefined
      let timeZone: string | undefined
      const accountWords: string[] = []
      for (const w of rest) {
        const ch = mentionedChannel(w)
        if (ch) channelId = ch
        else if (!localTime && TIME.test(w)) localTime = w
        else if (!timeZone && ZONE.test(w)) timeZone = typedTimeZone(w)
        else accountWords.push(w)
      }
      const accounts = accountQueries(accountWords)
      await ack()
      const member = await resolveCaller(deps, workspace, command.user_id, client)
      const { subscription: sub, outcome } = await subscribeDigest(prisma, {
        workspaceId: workspace.id,
        channelId,
        localTime,
        timeZone,
        accounts,
        by: { member, channelMembership: slackChannelMembership(client) },
      })
      // The digest covers the accounts of the channel's client when it is bound to one (its scope, not the caller's).
      const target = await scopeForChannel(prisma, workspace.id, channelId)
      const covers =
        sub.adAccountIds.length === 0
          ? target.client
            ? `every ad account of *${escapeMrkdwn(target.client.name)}*`
            : 'every connected ad account'
          : `${sub.adAccountIds.length} ad account${sub.adAccountIds.length === 1 ? '' : 's'}`
      const when = `every day at ${sub.localTime} (${escapeMrkdwn(sub.timeZone)})`
      const text =
        outcome === 'created'
          ? `Subscribed <#${channelId}>: a digest of ${covers} ${when}.`
          : outcome === 'updated'
            ? `Updated the digest of ${covers} in <#${channelId}>: now ${when}.`
            : outcome === 'resumed'
              ? `Resumed the paused digest of ${covers} in <#${channelId}>: ${when}. You are now its creator.`
              : `<#${channelId}> already gets a digest of ${covers} ${when}.`
      return void (await respond(ephemeral(infoMrkdwn(text))))
    }
    case 'unsubscribe': {
      const typed = plainChannelName(rest)
      if (typed) return ack(plainChannelRefusal(typed, 'unsubscribe'))
      const ch = rest[0] ? mentionedChannel(rest[0]) : undefined
      await ack()
      const channelId = ch ?? command.channel_id
      const member = await resolveCaller(deps, workspace, command.user_id, client)
      const n = await unsubscribeDigest(prisma, { workspaceId: workspace.id, channelId, member })
      return void (await respond(
        ephemeral(infoMrkdwn(n === 0 ? 'This channel has no digest.' : `Removed ${n} digest${n === 1 ? '' : 's'} from <#${channelId}>.`)),
      ))
    }
    case 'list': {
      await ack()
      const member = await resolveCaller(deps, workspace, command.user_id, client)
      const manager = canApprove(member)
      const subs = await listDigestSubscriptions(prisma, { scope: await scope(), viewer: { member, channelId: command.channel_id } })
      return void (await respond({ response_type: 'ephemeral', ...digestListMessage(subs, manager) }))
    }
    case 'now':
    case 'preview': {
      const preview = action.toLowerCase() === 'preview'
      // It posts (or shows) here only: a channel named after it is refused rather than ignored.
      const other = rest.map(mentionedChannel).find((ch) => ch !== undefined && ch !== command.channel_id)
      if (other)
        return ack(
          ephemeral(
            infoMrkdwn(
              `:warning: \`digest ${preview ? 'preview' : 'now'}\` works in this channel only; run it in <#${other}>. Nothing was posted.`,
            ),
          ),
        )
      const typed = plainChannelName(rest)
      if (typed) return ack(plainChannelRefusal(typed, preview ? 'preview' : 'now'))
      if (!preview && isDirectMessage(command.channel_id))
        return ack(
          ephemeral(
            infoMrkdwn(
              ':warning: `digest now` posts in a channel, not in a direct message. Run it in the channel, or use `/promoly digest preview` to see it here. Nothing was posted.',
            ),
          ),
        )
      await ack()
      // Posting every account's spend into the channel is for admins and approvers; a preview only the caller sees is not.
      if (!preview) requireDigestManager(await resolveCaller(deps, workspace, command.user_id, client))
      await deps.digests.postNow({ scope: await scope(), channelId: command.channel_id, preview, respond })
      return
    }
    case '': {
      // No arguments: the same as a form.
      await ackBeforeModal()
      // The time zone selected at first: the person's own in Slack when Slack says, else the first account's.
      const [accounts, caller] = await Promise.all([
        listSyncingAdAccounts(prisma, { scope: await scope() }),
        // A nicety: whatever goes wrong with users.info, the form opens (with the account's zone).
        (async () => deps.slackUsers.lookUp(client, workspace.slackTeamId, command.user_id))().catch(() => undefined),
      ])
      const own = caller?.timeZone ? canonicalTimeZone(caller.timeZone) : undefined
      await client.views.open({
        trigger_id: command.trigger_id,
        view: digestSubscribeModal({ channelId: command.channel_id, accounts, defaultTimeZone: own ?? accounts[0]?.timezoneName ?? 'UTC' }),
      })
      return
    }
    default:
      return ack(ephemeral(usageMessage(`Unknown digest action "${action.slice(0, 30)}".`, 'digest')))
  }
}
