import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth'
import { workspaceHasAdmin } from '../domain/members/find-member.ts'
import { installationSecretContext } from '../domain/secrets/stored-secrets.ts'
import { ensureWorkspace } from '../domain/workspaces/ensure-workspace.ts'
import { forgetInstallationTokens, installationKeyOf, resumeInstalledWorkspaces } from '../domain/workspaces/installation-lifecycle.ts'
import { findInstallation } from '../domain/workspaces/installations.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { SecretBox } from '../lib/crypto.ts'

/**
 * Bolt's OAuth installation store in PostgreSQL; the installation (tokens) is encrypted at rest.
 * `onWorkspaceCreated` runs for a workspace its first install created (connect defaults, first sync).
 * The installing user is kept from the first install, also across uninstalls (see domain/workspaces/installations.ts).
 */
export function createInstallationStore(
  prisma: PrismaClient,
  secrets: SecretBox,
  onWorkspaceCreated?: (workspaceId: string) => Promise<void>,
): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const installationKey = installationKeyOf({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      })
      const teamId = installation.team?.id ?? null
      const ensured = teamId
        ? await ensureWorkspace(prisma, { slackTeamId: teamId, name: installation.team?.name, enterpriseId: installation.enterprise?.id })
        : null
      const workspace = ensured?.workspace ?? null
      const data = {
        workspaceId: workspace?.id ?? null,
        teamId,
        enterpriseId: installation.enterprise?.id ?? null,
        isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
        botUserId: installation.bot?.userId ?? null,
        botId: installation.bot?.id ?? null,
        scopes: installation.bot?.scopes?.join(',') ?? '',
        installationEnc: secrets.encrypt(JSON.stringify(installation), installationSecretContext(installationKey)),
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
      // Installed again after an uninstall: its workspaces sync and post digests again.
      await resumeInstalledWorkspaces(prisma, {
        teamId: teamId ?? undefined,
        enterpriseId: data.enterpriseId ?? undefined,
        isEnterpriseInstall: data.isEnterpriseInstall,
      })
      if (ensured?.created && onWorkspaceCreated) await onWorkspaceCreated(ensured.workspace.id)
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await findInstallation(prisma, query)
      if (!row) throw new Error(`no installation for ${installationKeyOf(query)}`)
      return JSON.parse(secrets.decrypt(row.installationEnc, installationSecretContext(row.installationKey))) as Installation
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      // The tokens go; the row (and with it the first installer) stays.
      await forgetInstallationTokens(prisma, installationKeyOf(query))
    },
  }
}

/** The Enterprise Grid organisation a team installed Promoly in (undefined outside Grid or when unknown). */
export async function installedEnterpriseOf(prisma: PrismaClient, teamId: string): Promise<string | undefined> {
  const row = await prisma.slackInstallation.findFirst({ where: { teamId, enterpriseId: { not: null } }, select: { enterpriseId: true } })
  return row?.enterpriseId ?? undefined
}
