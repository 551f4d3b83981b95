import type { MemberRole, Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import type { DomainDeps } from '../deps.ts'
import { requireAHumanAdmin, requireFullMembers, type StandingCheck } from '../members/slack-standing.ts'
import { parseSettings, type WorkspaceSettings, workspaceSettingsSchema } from './workspace-settings.ts'

type Db = Pick<PrismaClient, 'member'> | Prisma.TransactionClient

/** Slack user ids start with U or W. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/

/** The currency money settings are entered in: the workspace's first ad account's, USD until there is one. */
const DEFAULT_SETTINGS_CURRENCY = 'USD'

export interface UpdateSettingsOptions {
  workspaceId: string
  /** The admin saving the settings (recorded in the audit trail). */
  actorSlackUserId: string
  /** Everyone who should be an approver; explicit approvers not listed become members again. */
  approverSlackUserIds: string[]
  /**
   * Everyone who should be an admin; admins not listed lose the role (explicitly, so Slack's flags or having
   * installed Promoly no longer make them admins). Never empty. Absent: the admins are left as they are.
   */
  adminSlackUserIds?: string[]
  settings: WorkspaceSettings
  /**
   * Slack's word on the people listed (the surface asks users.info): only full members of the workspace can
   * be given a role, so a guest or someone of another organisation refuses the save. Asked only about people
   * who do not hold a role already, before the transaction.
   */
  standingOf: StandingCheck
}

async function listRole(prisma: Db, workspaceId: string, role: MemberRole): Promise<string[]> {
  const rows = await prisma.member.findMany({
    where: { workspaceId, role },
    select: { slackUserId: true },
    orderBy: { slackUserId: 'asc' },
  })
  return rows.map((r) => r.slackUserId)
}

/** Slack user ids of the workspace's approvers (admins not included), sorted. */
export function listApprovers(prisma: Db, workspaceId: string): Promise<string[]> {
  return listRole(prisma, workspaceId, 'APPROVER')
}

/** Slack user ids of the workspace's admins on record, sorted (Slack admins Promoly has not met yet are not listed). */
export function listAdmins(prisma: Db, workspaceId: string): Promise<string[]> {
  return listRole(prisma, workspaceId, 'ADMIN')
}

/** The role of each of these users now (null: no member row). */
async function rolesOf(prisma: Db, workspaceId: string, slackUserIds: string[]): Promise<Map<string, MemberRole | null>> {
  const rows = await prisma.member.findMany({
    where: { workspaceId, slackUserId: { in: slackUserIds } },
    select: { slackUserId: true, role: true },
  })
  const roles = new Map<string, MemberRole | null>(slackUserIds.map((id) => [id, null]))
  for (const r of rows) roles.set(r.slackUserId, r.role)
  return roles
}

/** The workspace's main currency: its first connected ad account's, USD when it has none. */
export async function workspaceCurrency(prisma: Pick<PrismaClient, 'adAccount'>, workspaceId: string): Promise<string> {
  const first = await prisma.adAccount.findFirst({
    where: { workspaceId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { currency: true },
  })
  return first?.currency ?? DEFAULT_SETTINGS_CURRENCY
}

type DiffValue = Prisma.InputJsonValue | null

/** Leaf paths of two plain JSON objects whose values differ: `{ 'guardrails.cooldownHours': { before: 2, after: 4 } }`. */
function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix = '',
): Record<string, { before: DiffValue; after: DiffValue }> {
  const out: Record<string, { before: DiffValue; after: DiffValue }> = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[key]
    const a = after[key]
    const path = `${prefix}${key}`
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
    if (isObject(b) && isObject(a)) Object.assign(out, diff(b, a, `${path}.`))
    else if (JSON.stringify(b ?? null) !== JSON.stringify(a ?? null))
      out[path] = { before: (b ?? null) as DiffValue, after: (a ?? null) as DiffValue }
  }
  return out
}

/**
 * Saves what an admin chose in `/promoly settings` for the workspace, in one transaction: the settings (validated,
 * defaults filled in), the admins and the approvers (the suggestions channel is a client's: updateClientSettings). Listed admins become
 * ADMIN (explicitly; admins already keep their row as it is) and admins no longer listed lose the role
 * explicitly, becoming approvers if listed as such, else members; the admins can never become none.
 * Listed approvers become APPROVER (explicitly, creating their member rows), approvers no longer listed
 * become MEMBER (explicitly); admins are never made approvers. One `member.role_changed` audit event per
 * person whose role changed, and one `settings.updated` event with what changed.
 *
 * A listed user without a member row is created with the listed role: resolve listed users first
 * (resolveMember) so that Slack workspace admins and the installer keep their admin role.
 */
export async function updateSettings(deps: Pick<DomainDeps, 'prisma' | 'now'>, options: UpdateSettingsOptions): Promise<void> {
  const parsed = workspaceSettingsSchema.safeParse(options.settings)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `These settings are not valid (${where}${issue?.message ?? 'invalid value'}). Nothing was changed.`,
    )
  }
  const settings = parsed.data
  const approvers = [...new Set(options.approverSlackUserIds)].sort()
  const admins = options.adminSlackUserIds && [...new Set(options.adminSlackUserIds)].sort()
  if (admins?.length === 0)
    throw new AppError(AppErrorCode.BAD_INPUT, 'Promoly needs at least one admin: keep someone in the admins. Nothing was changed.')
  const badUser = [...(admins ?? []), ...approvers].find((id) => !SLACK_USER_ID.test(id))
  if (badUser !== undefined)
    throw new AppError(AppErrorCode.BAD_INPUT, `"${badUser.slice(0, 30)}" is not a Slack user. Nothing was changed.`)
  const { workspaceId, actorSlackUserId } = options
  const now = deps.now()
  await requireFullMembers(deps.prisma, {
    workspaceId,
    slackUserIds: [...new Set([...(admins ?? []), ...approvers])],
    standingOf: options.standingOf,
  })
  if (admins) await requireAHumanAdmin(deps.prisma, { workspaceId, adminSlackUserIds: admins, standingOf: options.standingOf })

  await deps.prisma.$transaction(async (tx) => {
    // Saves of one workspace run one after the other (the workspace row is locked until commit), and the
    // actor's row is locked before their role is read: an admin demoted by a save that committed first is
    // refused here, never able to re-promote themselves with a save that was already in flight.
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`
    const workspace = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } })
    if (!workspace) throw new AppError(AppErrorCode.NOT_FOUND, 'This workspace is not known to Promoly.')
    const actor = await tx.$queryRaw<Array<{ role: MemberRole }>>`
      SELECT role::text AS role FROM "Member" WHERE "workspaceId" = ${workspaceId} AND "slackUserId" = ${actorSlackUserId} FOR UPDATE`
    if (actor[0]?.role !== 'ADMIN')
      throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins can change settings. Nothing was changed.')
    const approversBefore = await listApprovers(tx, workspaceId)
    const adminsBefore = await listAdmins(tx, workspaceId)
    const touched = [...new Set([...approversBefore, ...adminsBefore, ...approvers, ...(admins ?? [])])]
    const rolesBefore = await rolesOf(tx, workspaceId, touched)

    if (admins) {
      // Admins first: someone no longer an admin but listed as an approver becomes one below.
      await tx.member.createMany({
        data: admins.map((slackUserId) => ({ workspaceId, slackUserId, role: 'ADMIN' as const, roleSetExplicitly: true })),
        skipDuplicates: true,
      })
      await tx.member.updateMany({
        where: { workspaceId, slackUserId: { in: admins }, role: { not: 'ADMIN' } },
        data: { role: 'ADMIN', roleSetExplicitly: true },
      })
      await tx.member.updateMany({
        where: { workspaceId, role: 'ADMIN', slackUserId: { notIn: admins } },
        data: { role: 'MEMBER', roleSetExplicitly: true },
      })
    }
    // New rows first, then promote existing non-admins: a row created meanwhile (first contact) is promoted too.
    await tx.member.createMany({
      data: approvers.map((slackUserId) => ({ workspaceId, slackUserId, role: 'APPROVER' as const, roleSetExplicitly: true })),
      skipDuplicates: true,
    })
    await tx.member.updateMany({
      where: { workspaceId, slackUserId: { in: approvers }, role: { not: 'ADMIN' } },
      data: { role: 'APPROVER', roleSetExplicitly: true },
    })
    await tx.member.updateMany({
      where: { workspaceId, role: 'APPROVER', slackUserId: { notIn: approvers } },
      data: { role: 'MEMBER', roleSetExplicitly: true },
    })
    await tx.workspace.update({
      where: { id: workspaceId },
      data: { settings: settings as unknown as Prisma.InputJsonValue },
    })
    const approversAfter = await listApprovers(tx, workspaceId)
    const adminsAfter = await listAdmins(tx, workspaceId)
    // Checked on what is stored, inside the transaction: the set of admins never ends up empty.
    if (admins && adminsAfter.length === 0)
      throw new AppError(AppErrorCode.BAD_INPUT, 'Promoly needs at least one admin: keep someone in the admins. Nothing was changed.')
    const rolesAfter = await rolesOf(tx, workspaceId, touched)
    for (const slackUserId of touched) {
      const before = rolesBefore.get(slackUserId) ?? null
      const after = rolesAfter.get(slackUserId) ?? null
      if (before === after) continue
      await recordAuditEvent(tx, {
        workspaceId,
        actorType: 'user',
        actorId: actorSlackUserId,
        action: 'member.role_changed',
        targetType: 'member',
        targetId: slackUserId,
        data: { before, after, at: now.toISOString() },
      })
    }

    const before = {
      ...(admins ? { admins: adminsBefore } : {}),
      approvers: approversBefore,
      ...parseSettings(workspace.settings),
    }
    const after = { ...(admins ? { admins: adminsAfter } : {}), approvers: approversAfter, ...settings }
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'user',
      actorId: actorSlackUserId,
      action: 'settings.updated',
      targetType: 'workspace',
      targetId: workspaceId,
      data: {
        changes: diff(before, after),
        approversAdded: approversAfter.filter((id) => !approversBefore.includes(id)),
        approversRemoved: approversBefore.filter((id) => !approversAfter.includes(id)),
        at: now.toISOString(),
      },
    })
  })
}
