import type { AnyMiddlewareArgs, Middleware, RespondFn } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import { claimEvent } from '../../domain/events/claim-event.ts'
import { findMember } from '../../domain/members/find-member.ts'
import {
  forgetSlackVerified,
  noteSlackVerified,
  recentlyVerified,
  SLACK_VERIFIED_REFRESH_MS,
} from '../../domain/members/slack-verification.ts'
import type { SlackDeps } from '../deps.ts'
import { type CallerVerdict, callerVerdict, type WorkspaceTeam } from '../slack-users.ts'
import { tellUser } from '../tell-user.ts'

/** Why a caller is turned away (see REFUSALS). */
type Refusal = Exclude<CallerVerdict, 'member'> | 'unverified' | 'connecting'

/** Polite, and naming nothing of the workspace's data. */
const REFUSALS: Record<Refusal, string> = {
  guest:
    'Sorry, Promoly is only for full members of this Slack workspace, so guests cannot use it. A teammate who is a full member can help you with what you need.',
  external:
    'Sorry, Promoly only works for members of the Slack workspace it is installed in. If your organisation uses Promoly, ask it in your own workspace.',
  unverified: 'Sorry, I could not check your Slack account just now. Please try again in a minute.',
  connecting: 'Promoly is still connecting to Slack. Please try again in a minute.',
}

type Kind = 'command' | 'action' | 'view_submission' | 'view_closed' | 'options' | 'shortcut' | 'event' | 'other'

interface Payload {
  kind: Kind
  /** The person behind the request (absent for events nobody in particular caused). */
  userId?: string
  /** The team and organisation the payload names (as Bolt reads them, see its buildSource). */
  team: { teamId?: string; enterpriseId?: string }
  event?: { type?: string; channel?: string; channel_type?: string; ts?: string; thread_ts?: string; subtype?: string }
  eventId?: string
  channelId?: string
}

type Loose = Record<string, unknown> & {
  type?: string
  command?: string
  user_id?: string
  team_id?: string
  enterprise_id?: string | null
  user?: { id?: string; team_id?: string }
  team?: { id?: string } | null
  enterprise?: { id?: string } | null
  view?: { app_installed_team_id?: string }
  channel?: { id?: string }
  channel_id?: string
  container?: { channel_id?: string }
  event_id?: string
  authorizations?: Array<{ team_id?: string | null; enterprise_id?: string | null }>
  event?: Record<string, unknown>
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

function readPayload(raw: AnyMiddlewareArgs['body']): Payload {
  const body = raw as unknown as Loose
  if (typeof body.command === 'string') {
    return {
      kind: 'command',
      userId: str(body.user_id),
      team: { teamId: str(body.team_id), enterpriseId: str(body.enterprise_id) },
      channelId: str(body.channel_id),
    }
  }
  if (body.type === 'event_callback' && body.event) {
    const e = body.event
    const auth = body.authorizations?.[0]
    const fromBot = Boolean(e.bot_id) || Boolean(e.subtype)
    return {
      kind: 'event',
      // Only people: bot messages and message subtypes (edits, joins…) are not anyone's request.
      userId: fromBot ? undefined : str(e.user),
      team: { teamId: str(auth?.team_id) ?? str(body.team_id), enterpriseId: str(auth?.enterprise_id) ?? str(body.enterprise_id) },
      event: e as Payload['event'],
      eventId: str(body.event_id),
    }
  }
  const kinds: Record<string, Kind> = {
    block_actions: 'action',
    interactive_message: 'action',
    view_submission: 'view_submission',
    view_closed: 'view_closed',
    block_suggestion: 'options',
    shortcut: 'shortcut',
    message_action: 'shortcut',
  }
  const kind = (body.type && kinds[body.type]) || 'other'
  const teamId =
    (kind === 'view_submission' || kind === 'view_closed' ? str(body.view?.app_installed_team_id) : undefined) ?? str(body.team?.id)
  return {
    kind,
    userId: str(body.user?.id),
    team: { teamId: teamId ?? str(body.user?.team_id), enterpriseId: str(body.enterprise?.id) },
    channelId: str(body.channel?.id) ?? str(body.container?.channel_id),
  }
}

type Args = AnyMiddlewareArgs & {
  ack?: (response?: unknown) => Promise<void>
  respond?: RespondFn
  client: WebClient
}

function refusalModal(text: string) {
  return {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Promoly' },
    close: { type: 'plain_text' as const, text: 'Close' },
    blocks: [{ type: 'section' as const, text: { type: 'plain_text' as const, text } }],
  }
}

/**
 * Turns the request away with a readable message and nothing else: the command's ack, an ephemeral
 * reply to a click, the modal replaced by the message, a reply in the DM or thread where Promoly was
 * addressed (once per event). The App Home and channel messages not addressed to Promoly get nothing.
 */
async function refuse(deps: SlackDeps, args: Args, payload: Payload, why: Refusal): Promise<void> {
  const text = REFUSALS[why]
  const { client } = args
  const ack = args.ack
  deps.logger.info({ why, kind: payload.kind, user: payload.userId, team: payload.team.teamId }, 'caller refused')
  const quietly = (p: Promise<unknown>) =>
    p.catch((err) => deps.logger.warn({ err: { message: (err as Error).message } }, 'could not tell a refused caller'))
  switch (payload.kind) {
    case 'command':
      return ack?.({ response_type: 'ephemeral', text })
    case 'view_submission':
      return ack?.({ response_action: 'update', view: refusalModal(text) })
    case 'options':
      return ack?.({ options: [] })
    case 'action':
      await ack?.()
      if (payload.userId)
        await quietly(tellUser({ client, userId: payload.userId, respond: args.respond, channelId: payload.channelId }, { text }))
      return
    case 'event': {
      const e = payload.event
      const addressed = e?.type === 'app_mention' || (e?.type === 'message' && e.channel_type === 'im')
      if (!addressed || !e?.channel) return
      if (payload.eventId && !(await claimEvent(deps.domain.prisma, { eventId: payload.eventId }))) return
      const threadTs = e.type === 'app_mention' ? (e.thread_ts ?? e.ts) : e.thread_ts
      await quietly(client.chat.postMessage({ channel: e.channel, text, ...(threadTs ? { thread_ts: threadTs } : {}) }))
      return
    }
    default:
      return ack?.()
  }
}

/**
 * Single-workspace mode (one bot token): only the team that token belongs to — auth.test's answer — is
 * served, with the other teams of its Enterprise Grid organisation. A payload of another team is turned
 * away before any workspace is looked up, so none is created for it. While auth.test has not answered
 * (Slack unreachable at start-up), a team is accepted only if Promoly already knows its workspace.
 */
export function installedTeamOnly(options: {
  deps: SlackDeps
  installedTeam: () => Promise<WorkspaceTeam | undefined>
  knownTeam: (teamId: string) => Promise<boolean>
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const payload = readPayload(args.body)
    const { teamId, enterpriseId } = payload.team
    if (!teamId && !enterpriseId) return args.next()
    const installed = await options.installedTeam()
    if (installed) {
      const sameTeam = teamId === installed.teamId
      const sameOrganisation = Boolean(installed.enterpriseId) && enterpriseId === installed.enterpriseId
      if (sameTeam || sameOrganisation) return args.next()
      return refuse(options.deps, args as Args, payload, 'external')
    }
    if (teamId && (await options.knownTeam(teamId))) return args.next()
    return refuse(options.deps, args as Args, payload, 'connecting')
  }
}

/**
 * Runs after the workspace is known: the person behind every command, click, form and message must be
 * a full member of the workspace (or of its Enterprise Grid organisation). Guests (`is_restricted`,
 * `is_ultra_restricted`), people of other organisations (`is_stranger`, another `team_id`) and users Slack
 * does not know get a polite refusal and no data, and the listener never runs (no model call either).
 * users.info is cached briefly (slack-users.ts). Each time Slack confirms a full member, Promoly notes it on
 * their member row (Member.slackVerifiedAt, written at most hourly; cleared when Slack says guest or stranger).
 * When Slack does not answer in time, only someone Slack confirmed within the last 7 days is let through (a
 * Slack hiccup locks out no regular user); anyone else is refused with "try again in a minute" (fail closed) —
 * a member row alone proves nothing, as every caller got one before this release, guests too.
 */
export function callerGate(
  deps: SlackDeps,
  /** The Enterprise Grid organisation the workspace was installed in (asked only for callers of another team). */
  workspaceEnterprise: (slackTeamId: string) => Promise<string | undefined>,
): Middleware<AnyMiddlewareArgs> {
  /** When this process last noted Slack's confirmation of a person (team:user → ms): at most one write an hour. */
  const noted = new Map<string, number>()
  const NO_ROW_RETRY_MS = 60_000
  const MAX_NOTED = 10_000
  const note = async (workspaceId: string, key: string, slackUserId: string) => {
    const now = deps.domain.now()
    const last = noted.get(key)
    if (last !== undefined && now.getTime() - last < SLACK_VERIFIED_REFRESH_MS) return
    const outcome = await noteSlackVerified(deps.domain.prisma, { workspaceId, slackUserId, now })
    noted.delete(key)
    // No row yet (it is created when the person's role is first needed): try again in a minute, not in an hour.
    noted.set(key, outcome === 'noted' ? now.getTime() : now.getTime() - SLACK_VERIFIED_REFRESH_MS + NO_ROW_RETRY_MS)
    if (noted.size > MAX_NOTED) noted.delete(noted.keys().next().value as string)
  }
  return async (args) => {
    const { context } = args
    const workspace = context.workspace
    const payload = readPayload(args.body)
    const userId = payload.userId
    if (!workspace || !userId || userId === context.botUserId) return args.next()
    // Channel messages outside a thread are never answered: no lookup for each of them.
    const e = payload.event
    if (e?.type === 'message' && e.channel_type !== 'im' && !e.thread_ts) return args.next()
    const client = (args as Args).client
    const facts = await deps.slackUsers.lookUp(client, workspace.slackTeamId, userId)
    let verdict: CallerVerdict | 'unverified'
    const key = `${workspace.id}:${userId}`
    if (facts === undefined) {
      // Slack did not answer: only someone it confirmed as a full member recently (see above).
      const known = await findMember(deps.domain.prisma, { workspaceId: workspace.id, slackUserId: userId })
      verdict = recentlyVerified(known, deps.domain.now()) ? 'member' : 'unverified'
    } else {
      if (facts === null) verdict = 'external'
      else {
        const otherTeam = facts.teamId !== undefined && facts.teamId !== workspace.slackTeamId
        const enterpriseId = otherTeam ? await workspaceEnterprise(workspace.slackTeamId) : undefined
        verdict = callerVerdict(facts, { teamId: workspace.slackTeamId, enterpriseId })
      }
      if (verdict === 'member')
        // Best effort: a confirmed member is served even if the note cannot be written.
        await note(workspace.id, key, userId).catch((err: Error) =>
          deps.logger.warn({ err: { message: err.message } }, 'could not note a Slack-confirmed member'),
        )
      else {
        noted.delete(key)
        await forgetSlackVerified(deps.domain.prisma, { workspaceId: workspace.id, slackUserId: userId })
      }
    }
    if (verdict === 'member') return args.next()
    return refuse(deps, args as Args, payload, verdict)
  }
}
