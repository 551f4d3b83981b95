import type { PrismaClient } from '../../generated/prisma/client.ts'
import { listAdmins, listApprovers, workspaceCurrency } from './update-settings.ts'
import { parseSettings, type WorkspaceSettings } from './workspace-settings.ts'

export interface GetWorkspaceSettingsOptions {
  workspaceId: string
}

/** The workspace part of `/promoly settings`: the settings, the admins and approvers, and the currency money is entered in. */
export interface WorkspaceSettingsView {
  settings: WorkspaceSettings
  /** Slack user ids of the approvers (admins not included), sorted. */
  approvers: string[]
  /** Slack user ids of the admins on record, sorted. */
  admins: string[]
  currency: string
}

export async function getWorkspaceSettings(prisma: PrismaClient, options: GetWorkspaceSettingsOptions): Promise<WorkspaceSettingsView> {
  const [workspace, approvers, admins, currency] = await Promise.all([
    prisma.workspace.findUniqueOrThrow({ where: { id: options.workspaceId }, select: { settings: true } }),
    listApprovers(prisma, options.workspaceId),
    listAdmins(prisma, options.workspaceId),
    workspaceCurrency(prisma, options.workspaceId),
  ])
  return { settings: parseSettings(workspace.settings), approvers, admins, currency }
}
