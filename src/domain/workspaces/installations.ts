/**
 * Which stored Slack installation serves a team, and who installed Promoly there. An uninstall (or a revoked
 * bot token) empties the row's tokens (`installationEnc` = '') but keeps the row, so the first installer
 * stays known: a later re-install by someone else never makes them the installer.
 */
import type { PrismaClient, SlackInstallation } from '../../generated/prisma/client.ts'
import { type InstallationRef, installationKeyOf } from './installation-lifecycle.ts'

/** Whether a stored installation still holds its tokens (an uninstall empties them). */
function hasTokens(row: Pick<SlackInstallation, 'installationEnc'>): boolean {
  return row.installationEnc !== ''
}

/**
 * The installation serving a query: the team's own, else — for a team of an Enterprise Grid organisation
 * (Workspace.slackEnterpriseId) or a query naming the organisation — the organisation's org-wide one.
 * Jobs ask by team id alone, so this is how they find an org-wide install. Rows whose tokens an uninstall
 * removed count only with `includeRemoved` (who installed it).
 */
export async function findInstallation(
  prisma: PrismaClient,
  query: InstallationRef,
  options: { includeRemoved?: boolean } = {},
): Promise<SlackInstallation | null> {
  const usable = (row: SlackInstallation | null) => (row && (options.includeRemoved || hasTokens(row)) ? row : null)
  const own = usable(await prisma.slackInstallation.findUnique({ where: { installationKey: installationKeyOf(query) } }))
  if (own || query.isEnterpriseInstall || !query.teamId) return own
  const enterpriseId =
    query.enterpriseId ??
    (await prisma.workspace.findUnique({ where: { slackTeamId: query.teamId }, select: { slackEnterpriseId: true } }))?.slackEnterpriseId ??
    (query.teamId.startsWith('E') ? query.teamId : undefined)
  if (!enterpriseId) return null
  const orgWide = await prisma.slackInstallation.findUnique({ where: { installationKey: `E:${enterpriseId}` } })
  return orgWide?.isEnterpriseInstall ? usable(orgWide) : null
}

/** Who first installed Promoly for a team (kept across uninstalls); null when unknown or not recorded. */
export async function installerOf(prisma: PrismaClient, teamId: string): Promise<string | null> {
  return (await findInstallation(prisma, { teamId }, { includeRemoved: true }))?.installerUserId ?? null
}
