import type { PrismaClient } from '../../generated/prisma/client.ts'
import { CHANGE_INCLUDE, type ChangeWithContext } from './change-include.ts'

export interface FindChangeOptions {
  workspaceId: string
  changeId: string
}

/** One change request of the workspace, with its account and campaign; null when there is none. */
export async function findChange(prisma: PrismaClient, options: FindChangeOptions): Promise<ChangeWithContext | null> {
  // Prisma drops `id: undefined` from a filter: without an id, findFirst would return any change of the workspace.
  if (!options.changeId) return null
  return prisma.changeRequest.findFirst({ where: { id: options.changeId, workspaceId: options.workspaceId }, include: CHANGE_INCLUDE })
}
