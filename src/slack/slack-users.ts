import type { WebClient } from '@slack/web-api'
import type { SlackStanding, StandingCheck } from '../domain/members/slack-standing.ts'

/** What Promoly needs to know about a Slack user: their role in Slack and where they belong. */
export interface SlackUserFacts {
  isOwner: boolean
  isAdmin: boolean
  /** A multi-channel guest (`is_restricted`). */
  isRestricted: boolean
  /** A single-channel guest (`is_ultra_restricted`). */
  isUltraRestricted: boolean
  /** Someone from another organisation Slack shows through a shared channel (`is_stranger`). */
  isStranger: boolean
  /** An app's bot user (`is_bot`); Slack answers false for Slackbot (`USLACKBOT`), which is a bot too. */
  isBot: boolean
  /** A deactivated account (`deleted`). */
  deleted: boolean
  /** The user's home team. */
  teamId?: string
  /** The user's Enterprise Grid organisation, if any. */
  enterpriseId?: string
  /** Enterprise Grid: the workspaces of the organisation the user is a member of. */
  teams?: string[]
  /** The IANA time zone set in the user's Slack profile (`tz`), when Slack says. */
  timeZone?: string
}

/** Who may use Promoly: full members of the workspace (or of its Enterprise Grid organisation). */
export type CallerVerdict = 'member' | 'guest' | 'external'

/** The workspace a request is served as: its team, and its Enterprise Grid organisation if any (as installed, never a payload's claim). */
export interface WorkspaceTeam {
  teamId: string
  enterpriseId?: string
}

/**
 * Guests (single- and multi-channel) and people of other organisations (Slack Connect, another team
 * that is not in the workspace's Enterprise Grid organisation) are not Promoly users. Someone whose home
 * team is another one is accepted when Slack lists them as a member of this workspace (Grid) or of the
 * workspace's own Grid organisation.
 */
export function callerVerdict(facts: SlackUserFacts, workspace: WorkspaceTeam): CallerVerdict {
  if (facts.isRestricted || facts.isUltraRestricted) return 'guest'
  if (facts.isStranger) return 'external'
  if (facts.teamId && facts.teamId !== workspace.teamId && !facts.teams?.includes(workspace.teamId)) {
    const sameOrganisation = Boolean(facts.enterpriseId) && facts.enterpriseId === workspace.enterpriseId
    if (!sameOrganisation) return 'external'
  }
  return 'member'
}

/**
 * users.info, cached per team and user. `undefined`: Slack did not answer in time (or failed); `null`:
 * Slack says there is no such user (or none this app may see).
 */
export interface SlackUserDirectory {
  lookUp(client: WebClient, teamId: string, userId: string): Promise<SlackUserFacts | null | undefined>
}

export interface SlackUserDirectoryOptions {
  /** How long an answer is reused. Default 5 minutes: a guest made a full member waits at most this long. */
  ttlMs?: number
  /** Longest a lookup may hold up a request (Slack's 3 s ack budget); it keeps running and fills the cache. */
  timeoutMs?: number
  /** Most entries kept (the oldest go first). */
  maxEntries?: number
}

interface SlackUser {
  is_owner?: boolean
  is_admin?: boolean
  is_restricted?: boolean
  is_ultra_restricted?: boolean
  is_stranger?: boolean
  is_bot?: boolean
  deleted?: boolean
  team_id?: string
  enterprise_user?: { enterprise_id?: string; teams?: string[] }
  tz?: string
}

function factsOf(user: SlackUser): SlackUserFacts {
  return {
    isOwner: Boolean(user.is_owner),
    isAdmin: Boolean(user.is_admin),
    isRestricted: Boolean(user.is_restricted),
    isUltraRestricted: Boolean(user.is_ultra_restricted),
    isStranger: Boolean(user.is_stranger),
    isBot: Boolean(user.is_bot),
    deleted: Boolean(user.deleted),
    teamId: user.team_id || undefined,
    enterpriseId: user.enterprise_user?.enterprise_id || undefined,
    ...(user.enterprise_user?.teams ? { teams: user.enterprise_user.teams } : {}),
    ...(user.tz ? { timeZone: user.tz } : {}),
  }
}

/** One directory per process, built by the composition root; requests share its cache. */
export function createSlackUserDirectory(options: SlackUserDirectoryOptions = {}): SlackUserDirectory {
  const ttlMs = options.ttlMs ?? 5 * 60_000
  const timeoutMs = options.timeoutMs ?? 1_500
  const maxEntries = options.maxEntries ?? 10_000
  const cache = new Map<string, { facts: SlackUserFacts | null; at: number }>()
  const inFlight = new Map<string, Promise<SlackUserFacts | null | undefined>>()

  const remember = (key: string, facts: SlackUserFacts | null) => {
    cache.delete(key)
    cache.set(key, { facts, at: Date.now() })
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string)
  }

  const fetchFacts = (client: WebClient, key: string, userId: string) => {
    let lookup = inFlight.get(key)
    if (!lookup) {
      lookup = client.users
        .info({ user: userId })
        .then((res) => {
          const facts = res.user ? factsOf(res.user as SlackUser) : null
          remember(key, facts)
          return facts
        })
        .catch((err: { data?: { error?: string } }) => {
          if (err.data?.error !== 'user_not_found') return undefined
          remember(key, null)
          return null
        })
        .finally(() => inFlight.delete(key))
      inFlight.set(key, lookup)
    }
    return lookup
  }

  return {
    async lookUp(client, teamId, userId) {
      const key = `${teamId}:${userId}`
      const hit = cache.get(key)
      if (hit && Date.now() - hit.at < ttlMs) return hit.facts
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs)
      })
      try {
        return await Promise.race([fetchFacts(client, key, userId), timeout])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/** Slackbot's user id: users.info says `is_bot: false` of it, yet it is no person. */
const SLACKBOT = 'USLACKBOT'

/** Slack's word on people of this workspace, for the domain's role checks (users.info through the shared cache). */
export function slackStandingOf(directory: SlackUserDirectory, client: WebClient, workspace: WorkspaceTeam): StandingCheck {
  return async (slackUserId): Promise<SlackStanding> => {
    const facts = await directory.lookUp(client, workspace.teamId, slackUserId)
    if (facts === undefined) return 'unknown'
    if (facts === null) return 'external'
    const verdict = callerVerdict(facts, workspace)
    if (verdict !== 'member') return verdict
    if (facts.isBot || slackUserId === SLACKBOT) return 'bot'
    if (facts.deleted) return 'deleted'
    return 'member'
  }
}
