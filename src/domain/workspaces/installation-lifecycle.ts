/**
 * What happens when Slack removes Promoly from a workspace (app_uninstalled) or revokes its tokens
 * (tokens_revoked), and when it is installed again. Removing deletes the stored Slack tokens and stops
 * the workspace: its Meta connections stop syncing (so the optimizer stops too) and its digests pause, each
 * marked with UNINSTALLED_REASON so a re-install resumes exactly those; its open changes are closed (nothing
 * is applied to Meta after the removal). Every step is audited.
 */
import type { Prisma, PrismaClient, Workspace } from '../../generated/prisma/client.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import type { DomainDeps } from '../deps.ts'
import { installationSecretContext } from '../secrets/stored-secrets.ts'

/** statusReason of connections and pausedReason of digests stopped because Promoly was removed from Slack. */
const UNINSTALLED_REASON = 'Promoly was removed from this Slack workspace'

/** Which installation an event is about: a team's, or an Enterprise Grid organisation's org-wide one. */
export interface InstallationRef {
  teamId?: string
  enterpriseId?: string
  isEnterpriseInstall?: boolean
}

/** The SlackInstallation.installationKey of an installation: `E:<enterprise>` for org-wide installs, `T:<team>` otherwise. */
export function installationKeyOf(ref: InstallationRef): string {
  if (ref.isEnterpriseInstall && ref.enterpriseId) return `E:${ref.enterpriseId}`
  if (ref.teamId) return `T:${ref.teamId}`
  throw new Error('installation without team or enterprise id')
}

type Tx = Prisma.TransactionClient

/** The workspaces an installation serves: the team's, or every team of the organisation for an org-wide one. */
function workspacesOf(db: Tx | PrismaClient, ref: InstallationRef): Promise<Workspace[]> {
  if (ref.isEnterpriseInstall && ref.enterpriseId)
    return db.workspace.findMany({ where: { OR: [{ slackEnterpriseId: ref.enterpriseId }, { slackTeamId: ref.enterpriseId }] } })
  return db.workspace.findMany({ where: { slackTeamId: ref.teamId ?? '' } })
}

/** failureReason of the open changes closed because Promoly was removed (see stopWorkspace). */
const CLOSED_ON_UNINSTALL = `${UNINSTALLED_REASON} before this change was applied; nothing was changed on Meta.`

/**
 * Stops a workspace whose installation is gone: connections DISABLED (so nothing syncs and applyChange writes
 * nothing more to Meta), digests PAUSED, and its open changes closed so none is applied later (by a queued job,
 * a retry or the recovery sweep): PROPOSED ones EXPIRED, APPROVED ones FAILED, both with CLOSED_ON_UNINSTALL as
 * the reason, each audited. A change APPLYING at that moment is refused by applyChange before its next write.
 * A re-install does not reopen them (an admin may Retry a FAILED one, or propose again).
 */
async function stopWorkspace(
  tx: Tx,
  workspaceId: string,
  reason: string = UNINSTALLED_REASON,
): Promise<{ connectionsStopped: number; digestsPaused: number; changesExpired: number; changesFailed: number }> {
  const connections = await tx.metaConnection.updateMany({
    where: { workspaceId, status: 'ACTIVE' },
    data: { status: 'DISABLED', statusReason: reason },
  })
  const digests = await tx.digestSubscription.updateMany({
    where: { workspaceId, status: 'ACTIVE' },
    data: { status: 'PAUSED', pausedReason: reason },
  })
  const open = await tx.changeRequest.findMany({
    where: { workspaceId, status: { in: ['PROPOSED', 'APPROVED'] } },
    select: { id: true, status: true },
  })
  let changesExpired = 0
  let changesFailed = 0
  for (const c of open) {
    const to = c.status === 'PROPOSED' ? 'EXPIRED' : 'FAILED'
    const closedReason =
      reason === UNINSTALLED_REASON
        ? CLOSED_ON_UNINSTALL
        : `${reason}; this change was closed before it was applied, and nothing was changed on Meta.`
    const r = await tx.changeRequest.updateMany({
      where: { id: c.id, status: c.status },
      data: { status: to, failureReason: closedReason },
    })
    if (r.count === 0) continue
    if (to === 'EXPIRED') changesExpired++
    else changesFailed++
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'system',
      action: to === 'EXPIRED' ? 'change.expired' : 'change.failed',
      targetType: 'change_request',
      targetId: c.id,
      data: { reason: closedReason },
    })
  }
  return { connectionsStopped: connections.count, digestsPaused: digests.count, changesExpired, changesFailed }
}

/**
 * Runs `work` once per Slack event: the event id is recorded in the same transaction, so a redelivery (or a
 * concurrent duplicate) changes nothing and returns false.
 */
async function oncePerEvent(prisma: PrismaClient, eventId: string | undefined, work: (tx: Tx) => Promise<void>): Promise<boolean> {
  try {
    await prisma.$transaction(async (tx) => {
      if (eventId) await tx.processedEvent.create({ data: { eventId } })
      await work(tx)
    })
    return true
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return false
    throw err
  }
}

/** Tokens of an installation emptied (uninstall, revoked bot token, Bolt's deleteInstallation). */
const REMOVED_TOKENS = { installationEnc: '', botUserId: null, botId: null, scopes: '' } as const

/**
 * Deletes an installation's tokens but keeps its row, so the first installer stays known: a re-install by
 * someone else must not make them the installer (and an admin). True when there were tokens to delete.
 */
export async function forgetInstallationTokens(db: Tx | PrismaClient, installationKey: string): Promise<boolean> {
  const r = await db.slackInstallation.updateMany({ where: { installationKey, installationEnc: { not: '' } }, data: REMOVED_TOKENS })
  return r.count > 0
}

/**
 * app_uninstalled: deletes the installation's tokens (keeping who installed it) and stops every workspace it served. Also what a
 * single-workspace deployment (no stored installation) gets: its workspace stops. False for a redelivery.
 */
export async function recordAppUninstalled(
  prisma: PrismaClient,
  options: { installation: InstallationRef; eventId?: string },
): Promise<boolean> {
  const key = installationKeyOf(options.installation)
  return oncePerEvent(prisma, options.eventId, async (tx) => {
    const tokensDeleted = await forgetInstallationTokens(tx, key)
    for (const ws of await workspacesOf(tx, options.installation)) {
      const stopped = await stopWorkspace(tx, ws.id)
      await recordAuditEvent(tx, {
        workspaceId: ws.id,
        actorType: 'system',
        action: 'workspace.uninstalled',
        targetType: 'slack_installation',
        targetId: key,
        data: { tokensDeleted, ...stopped },
      })
    }
  })
}

/**
 * tokens_revoked: a revoked bot token is the end of the installation (Promoly acts only through its bot), so
 * it goes like app_uninstalled. Revoked user tokens are removed from the stored installation. False for a
 * redelivery.
 */
export async function recordTokensRevoked(
  deps: Pick<DomainDeps, 'prisma' | 'secrets'>,
  options: { installation: InstallationRef; botUserIds: string[]; userIds: string[]; eventId?: string },
): Promise<boolean> {
  const key = installationKeyOf(options.installation)
  const context = installationSecretContext(key)
  return oncePerEvent(deps.prisma, options.eventId, async (tx) => {
    const row = await tx.slackInstallation.findUnique({ where: { installationKey: key } })
    const botRevoked = options.botUserIds.length > 0
    let tokensDeleted = false
    if (row && botRevoked) {
      tokensDeleted = await forgetInstallationTokens(tx, key)
    } else if (row && row.installationEnc !== '' && options.userIds.length > 0) {
      const installation = JSON.parse(deps.secrets.decrypt(row.installationEnc, context)) as { user?: Record<string, unknown> }
      const user = installation.user
      if (user && typeof user.id === 'string' && options.userIds.includes(user.id) && user.token) {
        delete user.token
        delete user.refreshToken
        delete user.expiresAt
        await tx.slackInstallation.update({
          where: { id: row.id },
          data: { installationEnc: deps.secrets.encrypt(JSON.stringify(installation), context) },
        })
        tokensDeleted = true
      }
    }
    for (const ws of await workspacesOf(tx, options.installation)) {
      const stopped = botRevoked
        ? await stopWorkspace(tx, ws.id)
        : { connectionsStopped: 0, digestsPaused: 0, changesExpired: 0, changesFailed: 0 }
      await recordAuditEvent(tx, {
        workspaceId: ws.id,
        actorType: 'system',
        action: 'tokens.revoked',
        targetType: 'slack_installation',
        targetId: key,
        data: { bot: options.botUserIds, oauth: options.userIds, tokensDeleted, ...stopped },
      })
    }
  })
}

/**
 * Promoly is installed (again): what an uninstall or a revoked bot token stopped starts again — connections
 * sync, digests post. Connections or digests stopped for other reasons stay as they are.
 */
export async function resumeInstalledWorkspaces(prisma: PrismaClient, ref: InstallationRef): Promise<void> {
  await prisma.$transaction(async (tx) => {
    for (const ws of await workspacesOf(tx, ref)) {
      const connections = await tx.metaConnection.updateMany({
        where: { workspaceId: ws.id, status: 'DISABLED', statusReason: UNINSTALLED_REASON },
        data: { status: 'ACTIVE', statusReason: null },
      })
      const digests = await tx.digestSubscription.updateMany({
        where: { workspaceId: ws.id, status: 'PAUSED', pausedReason: UNINSTALLED_REASON },
        data: { status: 'ACTIVE', pausedReason: null },
      })
      if (connections.count + digests.count === 0) continue
      await recordAuditEvent(tx, {
        workspaceId: ws.id,
        actorType: 'system',
        action: 'workspace.reinstalled',
        targetType: 'slack_installation',
        targetId: installationKeyOf(ref),
        data: { connectionsResumed: connections.count, digestsResumed: digests.count },
      })
    }
  })
}

/** Workspace.stoppedReason of a workspace of another team than the single-workspace bot token's. */
const FOREIGN_TEAM_REASON = 'not the Slack workspace of this deployment (SLACK_BOT_TOKEN)'

/** statusReason of connections and pausedReason of digests of a workspace of another team (single-workspace mode). */
const FOREIGN_TEAM_STOP_REASON = 'This Slack team is not the one this Promoly deployment serves'

/**
 * Single-workspace mode (one bot token): the only team served is the token's (auth.test), with the other
 * teams of its Enterprise Grid organisation. Workspaces of other teams — created by signed requests from them
 * before teams were checked, each wired to the deployment's Meta token — are stopped (connections disabled, so
 * no sync and no optimizer; digests paused; open changes closed), with FOREIGN_TEAM_STOP_REASON as the reason,
 * marked with Workspace.stoppedReason (so nothing counts them as known) and audited once. A workspace whose
 * Grid organisation is not recorded (slackEnterpriseId NULL: every workspace made before it was) counts as
 * another team's unless it is the token's team: fail closed. A workspace of ours that was stopped (its
 * organisation recorded since) is unmarked and what was stopped with it resumes.
 */
export async function stopForeignWorkspaces(prisma: PrismaClient, bot: { teamId: string; enterpriseId?: string }): Promise<number> {
  const ours: Prisma.WorkspaceWhereInput[] = [
    { slackTeamId: bot.teamId },
    ...(bot.enterpriseId ? [{ slackEnterpriseId: bot.enterpriseId }] : []),
  ]
  for (const ws of await prisma.workspace.findMany({ where: { OR: ours, stoppedReason: FOREIGN_TEAM_REASON }, select: { id: true } })) {
    await prisma.$transaction(async (tx) => {
      await tx.workspace.update({ where: { id: ws.id }, data: { stoppedReason: null } })
      const connections = await tx.metaConnection.updateMany({
        where: { workspaceId: ws.id, status: 'DISABLED', statusReason: FOREIGN_TEAM_STOP_REASON },
        data: { status: 'ACTIVE', statusReason: null },
      })
      const digests = await tx.digestSubscription.updateMany({
        where: { workspaceId: ws.id, status: 'PAUSED', pausedReason: FOREIGN_TEAM_STOP_REASON },
        data: { status: 'ACTIVE', pausedReason: null },
      })
      await recordAuditEvent(tx, {
        workspaceId: ws.id,
        actorType: 'system',
        action: 'workspace.resumed_own_team',
        targetType: 'workspace',
        targetId: ws.id,
        data: { botTeamId: bot.teamId, connectionsResumed: connections.count, digestsResumed: digests.count },
      })
    })
  }
  // NULL-safe: `NOT (team = T OR enterprise = E)` is NULL, never true, where slackEnterpriseId is NULL.
  const foreign = await prisma.workspace.findMany({
    where: {
      slackTeamId: { not: bot.teamId },
      ...(bot.enterpriseId ? { OR: [{ slackEnterpriseId: null }, { slackEnterpriseId: { not: bot.enterpriseId } }] } : {}),
    },
    select: { id: true, slackTeamId: true },
  })
  let stoppedNow = 0
  for (const ws of foreign) {
    await prisma.$transaction(async (tx) => {
      const marked = await tx.workspace.updateMany({
        where: { id: ws.id, stoppedReason: null },
        data: { stoppedReason: FOREIGN_TEAM_REASON },
      })
      const stopped = await stopWorkspace(tx, ws.id, FOREIGN_TEAM_STOP_REASON)
      if (marked.count === 0 && stopped.connectionsStopped + stopped.digestsPaused === 0) return
      stoppedNow++
      await recordAuditEvent(tx, {
        workspaceId: ws.id,
        actorType: 'system',
        action: 'workspace.stopped_foreign_team',
        targetType: 'workspace',
        targetId: ws.id,
        data: { slackTeamId: ws.slackTeamId, botTeamId: bot.teamId, reason: FOREIGN_TEAM_STOP_REASON, ...stopped },
      })
    })
  }
  return stoppedNow
}
