import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { requireFullMembers, type StandingCheck } from '../members/slack-standing.ts'
import { loadSettings, type WorkspaceSettings } from '../settings/workspace-settings.ts'
import { requireClientAdmin } from './client-admin.ts'
import { bindChannelTx } from './client-channels.ts'
import { type ClientSettings, clientSettingsSchema, type GuardrailOverrides, parseClientSettings } from './client-settings.ts'
import type { ClientActor } from './manage-clients.ts'

export interface UpdateClientSettingsOptions extends ClientActor {
  clientId: string
  /** Where the client's suggestions go (the channel is bound to the client); null: the admins by DM. */
  suggestionsChannelId: string | null
  /** Where its alerts go (bound too); null: its suggestions channel. */
  alertsChannelId: string | null
  settings: ClientSettings
  /** Slack's word on the approvers listed (guests, bots, other organisations are refused). */
  standingOf: StandingCheck
}

/**
 * Why a client's guardrail override is outside the workspace's ceilings (a client may be stricter, never looser):
 * per field, the reason; empty when all is well.
 */
function guardrailOverrideProblems(
  overrides: GuardrailOverrides,
  workspace: WorkspaceSettings,
): Partial<Record<keyof GuardrailOverrides, string>> {
  const g = workspace.guardrails
  const out: Partial<Record<keyof GuardrailOverrides, string>> = {}
  if (overrides.maxBudgetChangePct !== undefined && overrides.maxBudgetChangePct > g.maxBudgetChangePct)
    out.maxBudgetChangePct = `At most the workspace's ${g.maxBudgetChangePct} % (a client may be stricter, not looser).`
  if (overrides.maxChangesPerAccountPerDay !== undefined && overrides.maxChangesPerAccountPerDay > g.maxChangesPerAccountPerDay)
    out.maxChangesPerAccountPerDay = `At most the workspace's ${g.maxChangesPerAccountPerDay} (a client may be stricter, not looser).`
  if (overrides.cooldownHours !== undefined && overrides.cooldownHours < g.cooldownHours)
    out.cooldownHours = `At least the workspace's ${g.cooldownHours} hours (a client may be stricter, not looser).`
  return out
}

/**
 * Saves one client's settings (admins): its suggestions and alerts channels (each bound to the client: a channel
 * of another client is refused), approvers (full members only), targets and guardrail overrides (within the
 * workspace's). One transaction; audited as `client.settings_updated` with before and after.
 */
export async function updateClientSettings(deps: { prisma: PrismaClient }, options: UpdateClientSettingsOptions): Promise<void> {
  const { workspaceId, actorSlackUserId, clientId } = options
  const prisma = deps.prisma
  const parsed = clientSettingsSchema.safeParse(options.settings)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `These client settings are not valid (${where}${issue?.message ?? 'invalid value'}). Nothing was changed.`,
    )
  }
  const settings: ClientSettings = { ...parsed.data, approverUserIds: [...new Set(parsed.data.approverUserIds)].sort() }
  const keys = new Set<string>()
  for (const t of settings.targets) {
    const key = `${t.result}|${t.currency}`
    if (keys.has(key)) throw new AppError(AppErrorCode.BAD_INPUT, `Two targets for ${t.result} in ${t.currency}. Nothing was changed.`)
    keys.add(key)
    if (t.roas !== null && t.result !== 'purchases')
      throw new AppError(AppErrorCode.BAD_INPUT, 'A target ROAS applies to purchases only. Nothing was changed.')
  }
  await requireClientAdmin(prisma, workspaceId, actorSlackUserId)
  const problems = Object.values(guardrailOverrideProblems(settings.guardrails, await loadSettings(prisma, workspaceId)))
  if (problems.length > 0) throw new AppError(AppErrorCode.BAD_INPUT, `${problems.join(' ')} Nothing was changed.`)
  await requireFullMembers(prisma, { workspaceId, slackUserIds: settings.approverUserIds, standingOf: options.standingOf })
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`
    const before = await tx.client.findFirst({ where: { id: clientId, workspaceId } })
    if (!before) throw new AppError(AppErrorCode.NOT_FOUND, 'That client no longer exists. Nothing was changed.')
    for (const channelId of new Set([options.suggestionsChannelId, options.alertsChannelId]))
      if (channelId) await bindChannelTx(tx, { workspaceId, actorSlackUserId, channelId, clientId })
    await tx.client.update({
      where: { id: clientId },
      data: {
        suggestionsChannelId: options.suggestionsChannelId,
        alertsChannelId: options.alertsChannelId,
        settings: settings as unknown as Prisma.InputJsonValue,
      },
    })
    await recordAuditEvent(tx, {
      workspaceId,
      actorType: 'user',
      actorId: actorSlackUserId,
      action: 'client.settings_updated',
      targetType: 'client',
      targetId: clientId,
      data: {
        before: {
          suggestionsChannelId: before.suggestionsChannelId,
          alertsChannelId: before.alertsChannelId,
          ...parseClientSettings(before.settings),
        } as unknown as Prisma.InputJsonValue,
        after: {
          suggestionsChannelId: options.suggestionsChannelId,
          alertsChannelId: options.alertsChannelId,
          ...settings,
        } as unknown as Prisma.InputJsonValue,
      },
    })
  })
}

/** A client's channels and settings, with the currencies of its accounts (its targets are per currency). */
export interface ClientSettingsView {
  id: string
  name: string
  isDefault: boolean
  suggestionsChannelId: string | null
  alertsChannelId: string | null
  settings: ClientSettings
  /** Currencies of its ad accounts: one target set each (a target is never converted). */
  currencies: string[]
}

/** A client's settings for the form: its channels, settings and the currencies of its accounts (targets are per currency). */
export async function getClientSettings(prisma: PrismaClient, workspaceId: string, clientId: string): Promise<ClientSettingsView> {
  const client = await prisma.client.findFirst({
    where: { id: clientId, workspaceId },
    include: { adAccounts: { select: { currency: true } } },
  })
  if (!client) throw new AppError(AppErrorCode.NOT_FOUND, 'That client no longer exists.')
  return {
    id: client.id,
    name: client.name,
    isDefault: client.isDefault,
    suggestionsChannelId: client.suggestionsChannelId,
    alertsChannelId: client.alertsChannelId,
    settings: parseClientSettings(client.settings),
    currencies: [...new Set(client.adAccounts.map((a) => a.currency))].sort(),
  }
}
