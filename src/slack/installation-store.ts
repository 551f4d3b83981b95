import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth'
import { installationSecretContext } from '../domain/secrets/stored-secrets.ts'
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
        installerUserId: installation.user?.id ?? null,
        scopes: installation.bot?.scopes?.join(',') ?? '',
        installationEnc: secrets.encrypt(JSON.stringify(installation), installationSecretContext(installationKey)),
      }
      await prisma.slackInstallation.upsert({ where: { installationKey }, create: { installationKey, ...data }, update: data })
      if (ensured?.created && onWorkspaceCreated) await onWorkspaceCreated(ensured.workspace.id)
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await prisma.slackInstallation.findUnique({ where: { installationKey: keyOf(query) } })
      if (!row) throw new Error(`no installation for ${keyOf(query)}`)
      return JSON.parse(secrets.decrypt(row.installationEnc, installationSecretContext(row.installationKey))) as Installation
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
