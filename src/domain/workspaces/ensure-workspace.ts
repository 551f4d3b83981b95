import type { PrismaClient, Workspace } from '../../generated/prisma/client.ts'

export interface EnsureWorkspaceOptions {
  slackTeamId: string
  name?: string
  /** The team's Enterprise Grid organisation (E…), remembered so jobs find an org-wide installation. */
  enterpriseId?: string
}

/**
 * Finds or creates the workspace of a Slack team. `created` is true for exactly one caller, even
 * when several requests of a new team arrive at once (the unique key on slackTeamId decides). The
 * channel a request came from is not remembered: nothing is posted to a channel nobody chose for it.
 */
export async function ensureWorkspace(
  prisma: PrismaClient,
  options: EnsureWorkspaceOptions,
): Promise<{ workspace: Workspace; created: boolean }> {
  const existing = await prisma.workspace.findUnique({ where: { slackTeamId: options.slackTeamId } })
  if (existing) {
    if (options.enterpriseId && existing.slackEnterpriseId !== options.enterpriseId) {
      const updated = await prisma.workspace.update({ where: { id: existing.id }, data: { slackEnterpriseId: options.enterpriseId } })
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
      },
    })
    return { workspace, created: true }
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err
    const workspace = await prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: options.slackTeamId } })
    return { workspace, created: false }
  }
}
