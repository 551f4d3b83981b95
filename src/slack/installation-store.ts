import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth'
import { workspaceHasAdmin } from '../domain/members/find-member.ts'
import { ensureWorkspace } from '../domain/workspaces/ensure-workspace.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { SecretBox } from '../lib/crypto.ts'

function keyOf(q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E:${q.enterpriseId}`
  if (q.teamId) return `T:${q.teamId}`
  throw new Error('installation without team or enterprise id')
}

/**
 * Bolt's OAuth installation store in PostgreSQL; the installation (tokens) is encrypted at rest.
 * `onWorkspaceCreated` runs for a workspace its first install created (connect defaults, first sync).
 * The installing user is kept from the first install (see installerOf).
 */
export function createInstallationStore(
  prisma: PrismaClient,
  secrets: SecretBox,
  onWorkspaceCreated?: (workspaceId: string) => Promise<void>,
): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const installationKey = keyOf({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      })
      const teamId = installation.team?.id ?? null
      const ensured = teamId ? await ensureWorkspace(prisma, { slackTeamId: teamId, name: installation.team?.name }) : null
      const workspace = ensured?.workspace ?? null
      const data = {
        workspaceId: workspace?.id ?? null,
        teamId,
        enterpriseId: installation.enterprise?.id ?? null,
        isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
        botUserId: installation.bot?.userId ?? null,
        botId: installation.bot?.id ?? null,
        scopes: installation.bot?.scopes?.join(',') ?? '',
        installationEnc: secrets.encrypt(JSON.stringify(installation)),
      }
      // The installer (an admin until an admin says otherwise) is recorded by the first install only: a
      // re-install, by anyone allowed to install apps, refreshes the tokens but never makes the re-installer
      // the installer. Nor does an install into a workspace that already has Promoly admins.
      const previous = await prisma.slackInstallation.findUnique({ where: { installationKey }, select: { installerUserId: true } })
      const installerUserId =
        previous?.installerUserId ??
        (workspace && !ensured?.created && (await workspaceHasAdmin(prisma, workspace.id)) ? null : (installation.user?.id ?? null))
      await prisma.slackInstallation.upsert({
        where: { installationKey },
        create: { installationKey, ...data, installerUserId },
        update: { ...data, installerUserId },
      })
      if (ensured?.created && onWorkspaceCreated) await onWorkspaceCreated(ensured.workspace.id)
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await prisma.slackInstallation.findUnique({ where: { installationKey: keyOf(query) } })
      if (!row) throw new Error(`no installation for ${keyOf(query)}`)
      return JSON.parse(secrets.decrypt(row.installationEnc)) as Installation
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await prisma.slackInstallation.deleteMany({ where: { installationKey: keyOf(query) } })
    },
  }
}

export async function installerOf(prisma: PrismaClient, teamId: string): Promise<string | null> {
  const row = await prisma.slackInstallation.findUnique({ where: { installationKey: `T:${teamId}` }, select: { installerUserId: true } })
  return row?.installerUserId ?? null
}

/** The Enterprise Grid organisation a team installed Promoly in (undefined outside Grid or when unknown). */
export async function installedEnterpriseOf(prisma: PrismaClient, teamId: string): Promise<string | undefined> {
  const row = await prisma.slackInstallation.findFirst({ where: { teamId, enterpriseId: { not: null } }, select: { enterpriseId: true } })
  return row?.enterpriseId ?? undefined
}
