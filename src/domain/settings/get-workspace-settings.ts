import type { PrismaClient } from '../../generated/prisma/client.ts'
import { listApprovers, workspaceCurrency } from './update-settings.ts'
import { parseSettings, type WorkspaceSettings } from './workspace-settings.ts'

export interface GetWorkspaceSettingsOptions {
  workspaceId: string
}

/** Everything `/promoly settings` shows: the settings, the suggestions channel, the approvers, and the currency money is entered in. */
export interface WorkspaceSettingsView {
  settings: WorkspaceSettings
  suggestionsChannelId: string | null
  /** Slack user ids of the approvers (admins not included), sorted. */
  approvers: string[]
  currency: string
}

export async function getWorkspaceSettings(prisma: PrismaClient, options: GetWorkspaceSettingsOptions): Promise<WorkspaceSettingsView> {
  const [workspace, approvers, currency] = await Promise.all([
    prisma.workspace.findUniqueOrThrow({ where: { id: options.workspaceId }, select: { settings: true, suggestionsChannelId: true } }),
    listApprovers(prisma, options.workspaceId),
    workspaceCurrency(prisma, options.workspaceId),
  ])
  return { settings: parseSettings(workspace.settings), suggestionsChannelId: workspace.suggestionsChannelId, approvers, currency }
}
