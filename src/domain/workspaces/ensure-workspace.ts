import type { PrismaClient, Workspace } from '../../generated/prisma/client.ts'

export interface EnsureWorkspaceOptions {
  slackTeamId: string
  name?: string
  /** The channel this request came from: remembered as the workspace's first channel. */
  channelId?: string
  /** The team's Enterprise Grid organisation (E…), remembered so jobs find an org-wide installation. */
  enterpriseId?: string
}

/**
 * Finds or creates the workspace of a Slack team. `created` is true for exactly one caller, even
 * when several requests of a new team arrive at once (the unique key on slackTeamId decides).
 */
export async function ensureWorkspace(
  prisma: PrismaClient,
  options: EnsureWorkspaceOptions,
): Promise<{ workspace: Workspace; created: boolean }> {
  const existing = await prisma.workspace.findUnique({ where: { slackTeamId: options.slackTeamId } })
  if (existing) {
    const data: { firstChannelId?: string; slackEnterpriseId?: string } = {}
    if (!existing.firstChannelId && options.channelId && !options.channelId.startsWith('D')) data.firstChannelId = options.channelId
    if (options.enterpriseId && existing.slackEnterpriseId !== options.enterpriseId) data.slackEnterpriseId = options.enterpriseId
    if (Object.keys(data).length > 0) {
      const updated = await prisma.workspace.update({ where: { id: existing.id }, data })
      return { workspace: updated, created: false }
    }
    return { workspace: existing, created: false }
  }
  try {
    const workspace = await prisma.workspace.create({
      data: {
        slackTeamId: options.slackTeamId,
        slackEnterpriseId: options.enterpriseId ?? null,
        name: options.name ?? '',
        firstChannelId: options.channelId && !options.channelId.startsWith('D') ? options.channelId : null,
      },
    })
    return { workspace, created: true }
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err
    const workspace = await prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: options.slackTeamId } })
    return { workspace, created: false }
  }
}
