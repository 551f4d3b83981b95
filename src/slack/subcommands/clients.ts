import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { findClientByName } from '../../domain/clients/client-admin.ts'
import { bindChannel, unbindChannel } from '../../domain/clients/client-channels.ts'
import { workspaceScope } from '../../domain/clients/client-scope.ts'
import { listClients } from '../../domain/clients/list-clients.ts'
import { addClient, renameClient } from '../../domain/clients/manage-clients.ts'
import { moveAdAccount } from '../../domain/clients/move-ad-account.ts'
import { previewClientRemoval } from '../../domain/clients/remove-client.ts'
import { isAdmin } from '../../domain/members/resolve-member.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { escapeToFit } from '../../lib/mrkdwn.ts'
import { clientRemovalQuestion, clientsListMessage, plainMessage } from '../blocks/clients-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { resolveCaller } from '../resolve-caller.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

const name = (text: string) => escapeToFit(text, 120)

/** Splits `<a…> to <b…>` at the first word `to`; null when either side is empty. */
function splitAtTo(args: string[]): [string, string] | null {
  const at = args.findIndex((w, i) => i > 0 && w.toLowerCase() === 'to')
  if (at < 0 || at === args.length - 1) return null
  return [args.slice(0, at).join(' '), args.slice(at + 1).join(' ')]
}

const USAGE = {
  add: 'Name the new client, e.g. `/promoly clients add Northwind Traders`.',
  rename: 'Say which client and its new name: `/promoly clients rename Acme to Acme Corp`.',
  remove: 'Name the client to remove: `/promoly clients remove Acme`.',
  move: 'Say which ad account and which client: `/promoly clients move Acme EU to Acme`.',
  bind: 'Run it in the client’s channel and name the client: `/promoly clients bind Acme`.',
}

/**
 * `/promoly clients` (admins): list the clients, add, rename, remove (asks first), move an ad account to
 * another client, and bind or unbind the current channel. Answers are ephemeral.
 */
export const clients: Subcommand = async ({ args, ack, respond, client, command, workspace, deps }) => {
  const [verbWord, ...rest] = args
  const verb = (verbWord ?? 'list').toLowerCase()
  const text = rest.join(' ').trim()
  const known = ['list', 'add', 'rename', 'remove', 'move', 'bind', 'unbind']
  if (!known.includes(verb)) return ack(ephemeral(usageMessage(`I don't know \`clients ${verbWord?.slice(0, 30) ?? ''}\`.`, 'clients')))
  if (verb in USAGE && text === '') return ack(ephemeral(usageMessage(USAGE[verb as keyof typeof USAGE], 'clients')))
  const parts = splitAtTo(rest)
  if ((verb === 'rename' || verb === 'move') && !parts) return ack(ephemeral(usageMessage(USAGE[verb], 'clients')))
  const [before, after] = parts ?? ['', '']
  await ack()
  const prisma = deps.domain.prisma
  const member = await resolveCaller(deps, workspace, command.user_id, client)
  if (!isAdmin(member)) throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins can manage clients.')
  const actor = { workspaceId: workspace.id, actorSlackUserId: command.user_id }
  const say = (message: string) => respond(ephemeral(plainMessage(message)))
  switch (verb) {
    case 'list':
      return void (await respond(ephemeral(clientsListMessage(await listClients(prisma, workspace.id)))))
    case 'add': {
      const added = await addClient(prisma, { ...actor, name: text })
      return void (await say(
        `:white_check_mark: Added the client *${name(added.name)}*. Move its ad accounts with \`/promoly clients move <account> to ${name(added.name)}\`, and give it a channel with \`/promoly clients bind ${name(added.name)}\` in that channel.`,
      ))
    }
    case 'rename': {
      const target = await findClientByName(prisma, workspace.id, before)
      const renamed = await renameClient(prisma, { ...actor, clientId: target.id, name: after })
      return void (await say(`:white_check_mark: *${name(target.name)}* is now called *${name(renamed.name)}*.`))
    }
    case 'remove': {
      const target = await findClientByName(prisma, workspace.id, text)
      return void (await respond(ephemeral(clientRemovalQuestion(await previewClientRemoval(prisma, { ...actor, clientId: target.id })))))
    }
    case 'move': {
      const account = await findAdAccount(prisma, workspaceScope(workspace.id), before)
      const target = await findClientByName(prisma, workspace.id, after)
      const moved = await moveAdAccount(prisma, { ...actor, adAccountId: account.id, toClientId: target.id })
      if (moved.from.id === moved.to.id) return void (await say(`*${name(account.name)}* already belongs to *${name(target.name)}*.`))
      const paused = moved.subscriptionsPaused.length
      return void (await say(
        [
          `:white_check_mark: *${name(account.name)}* moved from *${name(moved.from.name)}* to *${name(moved.to.name)}*, with its history, suggestions and changes.`,
          moved.subscriptionsTrimmed > 0
            ? `${moved.subscriptionsTrimmed === 1 ? 'A daily digest' : `${moved.subscriptionsTrimmed} daily digests`} of ${name(moved.from.name)} no longer ${moved.subscriptionsTrimmed === 1 ? 'includes' : 'include'} it${paused > 0 ? ` (${paused} paused: it was their only account)` : ''}.`
            : '',
        ]
          .filter(Boolean)
          .join(' '),
      ))
    }
    case 'bind': {
      const target = await findClientByName(prisma, workspace.id, text)
      const bound = await bindChannel(prisma, { ...actor, channelId: command.channel_id, clientId: target.id })
      return void (await say(
        bound
          ? `:white_check_mark: <#${command.channel_id}> now belongs to *${name(target.name)}*: commands, digests and answers here show ${name(target.name)}'s ad accounts only.`
          : `<#${command.channel_id}> already belongs to *${name(target.name)}*.`,
      ))
    }
    case 'unbind': {
      const was = await unbindChannel(prisma, { ...actor, channelId: command.channel_id })
      return void (await say(
        was
          ? `:white_check_mark: <#${command.channel_id}> no longer belongs to *${name(was.name)}*: it shows every client's data again.${was.digestsPaused > 0 ? ` Its ${was.digestsPaused === 1 ? 'daily digest is' : `${was.digestsPaused} daily digests are`} paused (set up for ${name(was.name)} only); \`/promoly digest\` here sets up a new one.` : ''}`
          : `<#${command.channel_id}> does not belong to a client.`,
      ))
    }
  }
}
