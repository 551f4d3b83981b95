import type { Member, Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import type { WorkspaceSettings } from '../settings/workspace-settings.ts'
import { type ClientSettings, type GuardrailOverrides, parseClientSettings } from './client-settings.ts'

type Db = Pick<PrismaClient, 'adAccount'> | Prisma.TransactionClient

/** The settings of the client an ad account belongs to (defaults when the account is gone). */
export async function clientSettingsOfAccount(
  db: Db,
  adAccountId: string,
): Promise<ClientSettings & { clientId: string | null; isDefault: boolean }> {
  const row = await db.adAccount.findUnique({
    where: { id: adAccountId },
    select: { client: { select: { id: true, isDefault: true, settings: true } } },
  })
  return { ...parseClientSettings(row?.client.settings), clientId: row?.client.id ?? null, isDefault: row?.client.isDefault ?? false }
}

/**
 * The guardrails in force for a client's accounts: the workspace's, tightened by the client's overrides. An
 * override looser than the workspace's (saved before the workspace tightened, say) never loosens it.
 */
function effectiveGuardrails(workspace: WorkspaceSettings, overrides: GuardrailOverrides): WorkspaceSettings['guardrails'] {
  const g = workspace.guardrails
  return {
    ...g,
    maxBudgetChangePct: Math.min(g.maxBudgetChangePct, overrides.maxBudgetChangePct ?? Number.POSITIVE_INFINITY),
    maxChangesPerAccountPerDay: Math.min(g.maxChangesPerAccountPerDay, overrides.maxChangesPerAccountPerDay ?? Number.POSITIVE_INFINITY),
    cooldownHours: Math.max(g.cooldownHours, overrides.cooldownHours ?? 0),
  }
}

/** The workspace's settings as they apply to one ad account: its client's guardrail overrides applied. */
export async function settingsForAccount(db: Db, workspace: WorkspaceSettings, adAccountId: string): Promise<WorkspaceSettings> {
  const client = await clientSettingsOfAccount(db, adAccountId)
  return { ...workspace, guardrails: effectiveGuardrails(workspace, client.guardrails) }
}

/**
 * Whether someone may approve or reject a change of this ad account: a Promoly admin or approver (any client),
 * or one of the approvers of the account's client (that client's changes only).
 */
export async function mayDecideFor(db: Db, member: Pick<Member, 'role' | 'slackUserId'>, adAccountId: string): Promise<boolean> {
  if (member.role === 'ADMIN' || member.role === 'APPROVER') return true
  const client = await clientSettingsOfAccount(db, adAccountId)
  return client.approverUserIds.includes(member.slackUserId)
}
