import type { Campaign } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { connectionToken } from '../connections/connection-token.ts'
import type { DomainDeps } from '../deps.ts'

export const OBJECTIVES = ['OUTCOME_LEADS', 'OUTCOME_SALES', 'OUTCOME_TRAFFIC', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT', 'OUTCOME_APP_PROMOTION'] as const
export type Objective = (typeof OBJECTIVES)[number]

export const SPECIAL_AD_CATEGORIES = ['EMPLOYMENT', 'HOUSING', 'FINANCIAL_PRODUCTS_SERVICES', 'ISSUES_ELECTIONS_POLITICS', 'ONLINE_GAMBLING_AND_GAMING'] as const

const OBJECTIVE_ALIASES: Record<string, Objective> = {
  leads: 'OUTCOME_LEADS', lead: 'OUTCOME_LEADS',
  sales: 'OUTCOME_SALES', sale: 'OUTCOME_SALES', conversions: 'OUTCOME_SALES', purchases: 'OUTCOME_SALES',
  traffic: 'OUTCOME_TRAFFIC', clicks: 'OUTCOME_TRAFFIC',
  awareness: 'OUTCOME_AWARENESS', reach: 'OUTCOME_AWARENESS',
  engagement: 'OUTCOME_ENGAGEMENT',
  app: 'OUTCOME_APP_PROMOTION', app_promotion: 'OUTCOME_APP_PROMOTION', installs: 'OUTCOME_APP_PROMOTION',
}

export function parseObjective(text: string): Objective {
  const t = text.trim()
  const upper = t.toUpperCase()
  if ((OBJECTIVES as readonly string[]).includes(upper)) return upper as Objective
  if ((OBJECTIVES as readonly string[]).includes(`OUTCOME_${upper}`)) return `OUTCOME_${upper}` as Objective
  const key = t.toLowerCase()
  const alias = Object.hasOwn(OBJECTIVE_ALIASES, key) ? OBJECTIVE_ALIASES[key] : undefined
  if (!alias) throw new AppError(AppErrorCode.BAD_INPUT, `Unknown objective "${text}". Use one of: leads, sales, traffic, awareness, engagement, app (or OUTCOME_…).`)
  return alias
}

export interface CreateCampaignOptions {
  workspaceId: string
  adAccountId: string
  name: string
  objective: Objective
  dailyBudgetMinor: number
  specialAdCategories: string[]
  slackUserId: string
}

/**
 * Creates a campaign on Meta, always PAUSED (nothing spends until someone activates it), stores
 * it and audits who created it. The write is not retried blindly: a timeout could have created it.
 */
export async function createCampaign(deps: DomainDeps, options: CreateCampaignOptions): Promise<Campaign> {
  const name = options.name.trim()
  if (name.length === 0 || name.length > 200) throw new AppError(AppErrorCode.BAD_INPUT, 'A campaign name needs 1–200 characters.')
  if (!Number.isSafeInteger(options.dailyBudgetMinor) || options.dailyBudgetMinor <= 0) {
    throw new AppError(AppErrorCode.BAD_INPUT, 'The daily budget must be a positive amount.')
  }
  const bad = options.specialAdCategories.filter((c) => !(SPECIAL_AD_CATEGORIES as readonly string[]).includes(c))
  if (bad.length > 0) throw new AppError(AppErrorCode.BAD_INPUT, `Unknown special ad category: ${bad.join(', ')}.`)
  const account = await deps.prisma.adAccount.findFirst({
    where: { id: options.adAccountId, workspaceId: options.workspaceId },
    include: { connection: true },
  })
  if (!account) throw new AppError(AppErrorCode.NOT_FOUND, 'That ad account is not connected.')
  if (account.connection.status !== 'ACTIVE') {
    throw new AppError(AppErrorCode.META_AUTH, 'Meta no longer accepts the token of this ad account. Run `/promoly connect` to reconnect it.')
  }
  const token = connectionToken(deps, account.connection)
  const created = await deps.meta.createCampaign(token, account.metaAccountId, {
    name,
    objective: options.objective,
    status: 'PAUSED',
    specialAdCategories: options.specialAdCategories,
    dailyBudgetMinor: options.dailyBudgetMinor,
  })
  // Read back what Meta actually stored.
  const live = await deps.meta.getCampaign(token, created.id).catch(() => undefined)
  try {
    return await recordCreatedCampaign(deps, options, account, created.id, name, live)
  } catch (err) {
    // Meta has the campaign: say so (with its id) rather than invite a retry that makes a second one.
    deps.logger.error({ err, metaCampaignId: created.id }, 'campaign created on Meta but not recorded')
    throw new AppError(AppErrorCode.INTERNAL, `Meta created the campaign "${name}" (id ${created.id}, paused), but Promoly could not record it. It will appear after the next sync; do not create it again.`, { cause: err })
  }
}

async function recordCreatedCampaign(
  deps: DomainDeps,
  options: CreateCampaignOptions,
  account: { id: string; currency: string },
  metaCampaignId: string,
  name: string,
  live: Awaited<ReturnType<DomainDeps['meta']['getCampaign']>> | undefined,
): Promise<Campaign> {
  const created = { id: metaCampaignId }
  return deps.prisma.$transaction(async (tx) => {
    const campaign = await tx.campaign.upsert({
      where: { adAccountId_metaCampaignId: { adAccountId: account.id, metaCampaignId: created.id } },
      create: {
        adAccountId: account.id,
        metaCampaignId: created.id,
        name: live?.name ?? name,
        objective: live?.objective ?? options.objective,
        status: live?.status ?? 'PAUSED',
        effectiveStatus: live?.effectiveStatus ?? 'PAUSED',
        dailyBudget: BigInt(live?.dailyBudgetMinor ?? options.dailyBudgetMinor),
      },
      update: {},
    })
    await recordAuditEvent(tx, {
      workspaceId: options.workspaceId,
      actorType: 'user',
      actorId: options.slackUserId,
      action: 'campaign.created',
      targetType: 'campaign',
      targetId: campaign.id,
      data: { metaCampaignId: created.id, name, objective: options.objective, dailyBudgetMinor: options.dailyBudgetMinor, currency: account.currency, status: 'PAUSED', specialAdCategories: options.specialAdCategories },
    })
    return campaign
  })
}
