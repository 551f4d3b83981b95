import * as z from 'zod'
import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { type FoundObject, findObject } from '../../domain/campaigns/find-object.ts'
import { findObjectOrAccount } from '../../domain/campaigns/find-object-or-account.ts'
import { OBJECT_LEVELS, type ObjectLevel } from '../../domain/metrics/load-level-totals.ts'
import type { AdAccount } from '../../generated/prisma/client.ts'
import { quote, type ToolContext } from './tool-context.ts'

export const TARGET_LEVELS = ['account', 'campaign', 'adset', 'ad'] as const
export type TargetLevel = (typeof TARGET_LEVELS)[number]

/** An ad account, or a campaign, ad set or ad with its parents: what a read tool is about. */
export type Target = { level: 'account'; account: AdAccount } | FoundObject

export const levelSchema = z
  .enum(TARGET_LEVELS)
  .optional()
  .describe(
    'What `target` names: an ad account, a campaign, an ad set ("adset") or an ad. Omit it to look the name or id up at every level (an ambiguous name is listed with each match\'s level and parent).',
  )

export const targetSchema = z
  .string()
  .describe('The ad account, campaign, ad set or ad (see `level`): its name (or part of it) or its Meta id.')

/** What a propose_* tool acts on: a campaign, an ad set or an ad (changes are never made to a whole account). */
export const changeLevelSchema = z
  .enum(OBJECT_LEVELS)
  .optional()
  .describe(
    'What `target` names: a campaign, an ad set ("adset") or an ad. Omit it to look the name or id up at all three levels (an ambiguous name is listed with each match\'s level and parent: then ask, or call again with `level` or the id).',
  )

export const changeTargetSchema = z.string().describe('The campaign, ad set or ad (see `level`): its name (or part of it) or its Meta id.')

/** The campaign, ad set or ad a proposal acts on, within the conversation's scope: at the level asked, or at any. */
export function findChangeTarget(ctx: ToolContext, level: ObjectLevel | undefined, query: string): Promise<FoundObject> {
  return findObject(ctx.deps.prisma, ctx.scope, query, level ? [level] : OBJECT_LEVELS)
}

/**
 * The target of a read tool within the conversation's scope (another client's is refused): at the level asked, or
 * without one at any level (an ad account, campaign, ad set or ad; an exact name wins, several matches are listed).
 */
export async function findTarget(ctx: ToolContext, level: TargetLevel | undefined, query: string): Promise<Target> {
  const { prisma } = ctx.deps
  if (level === 'account') return { level, account: await findAdAccount(prisma, ctx.scope, query) }
  if (level) return findObject(prisma, ctx.scope, query, [level])
  const { object, account } = await findObjectOrAccount(prisma, ctx.scope, query)
  return object ?? { level: 'account', account }
}

/** The Meta id that names exactly the target (act_… for an account). */
export function metaIdOf(t: Target): string {
  if (t.level === 'account') return t.account.metaAccountId
  if (t.ad) return t.ad.metaAdId
  if (t.adSet) return t.adSet.metaAdSetId
  return t.campaign.metaCampaignId
}

/** Lower case, and a word for what Meta serves: "active", "paused", "deleted on Meta". */
export function statusText(o: { status: string; effectiveStatus: string }): string {
  if ([o.status, o.effectiveStatus].includes('DELETED')) return 'deleted on Meta'
  if ([o.status, o.effectiveStatus].includes('ARCHIVED')) return 'archived on Meta'
  const own = o.status.toLowerCase()
  return o.effectiveStatus !== o.status && o.effectiveStatus !== '' ? `${own}, served as ${o.effectiveStatus.toLowerCase()}` : own
}

/**
 * What the model can cite: `Ad set "Retargeting" (id 120…, active) of campaign "Spring" (id 9001, OUTCOME_LEADS) in ad
 * account "Sunrise" (id act_1)`.
 */
export function describeTarget(t: Target): string {
  const account = `ad account ${quote(t.account.name)} (id ${t.account.metaAccountId})`
  if (t.level === 'account') return `Ad account ${quote(t.account.name)} (id ${t.account.metaAccountId})`
  const c = t.campaign
  const campaign = `campaign ${quote(c.name)} (id ${c.metaCampaignId}, ${statusText(c)}, ${c.objective})`
  if (t.ad && t.adSet) {
    const creative = t.ad.creativeName ? `, creative ${quote(t.ad.creativeName)}` : ''
    return `Ad ${quote(t.ad.name)} (id ${t.ad.metaAdId}, ${statusText(t.ad)}${creative}) in ad set ${quote(t.adSet.name)} (id ${t.adSet.metaAdSetId}) of ${campaign} in ${account}`
  }
  if (t.adSet) return `Ad set ${quote(t.adSet.name)} (id ${t.adSet.metaAdSetId}, ${statusText(t.adSet)}) of ${campaign} in ${account}`
  return `${campaign.charAt(0).toUpperCase()}${campaign.slice(1)} in ${account}`
}
