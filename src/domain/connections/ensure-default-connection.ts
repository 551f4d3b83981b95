import type { AdAccount } from '../../generated/prisma/client.ts'
import type { DomainDeps } from '../deps.ts'
import { attachAdAccounts } from './attach-ad-accounts.ts'
import { saveMetaConnection } from './save-meta-connection.ts'
import { validateMetaToken } from './validate-meta-token.ts'

export interface DefaultConnectionSource {
  token: string
  label: string
  /** act_… ids to attach; all accounts the token reaches when absent. */
  adAccountIds?: string[]
}

/**
 * Connects a workspace to the deployment's own Meta token (META_ACCESS_TOKEN, or the simulator's
 * token in the embedded default). Idempotent: the same token is one connection. Nothing for a workspace
 * Promoly no longer serves (Workspace.stoppedReason).
 */
export async function ensureDefaultConnection(
  deps: DomainDeps,
  workspaceId: string,
  source: DefaultConnectionSource,
): Promise<AdAccount[]> {
  const ws = await deps.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { stoppedReason: true } })
  if (ws?.stoppedReason) return []
  const validated = await validateMetaToken(deps, source.token)
  const connection = await saveMetaConnection(deps, {
    workspaceId,
    token: source.token,
    label: source.label,
    metaUserId: validated.metaUserId,
  })
  const ids = source.adAccountIds ?? validated.accounts.map((a) => a.id)
  return attachAdAccounts(deps, { workspaceId, connectionId: connection.id, metaAccountIds: ids, actor: 'system' })
}
