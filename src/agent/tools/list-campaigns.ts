import { tool } from 'langchain'
import * as z from 'zod'
import { findAdAccount } from '../../domain/campaigns/find-ad-account.ts'
import { type FoundObject, findObject } from '../../domain/campaigns/find-object.ts'
import { CAMPAIGN_STATUS_FILTERS, type CampaignStatusFilter, listCampaigns } from '../../domain/campaigns/list-campaigns.ts'
import { listSyncingAdAccounts } from '../../domain/campaigns/list-syncing-ad-accounts.ts'
import { isGone, type LevelTotals, loadLevelTotals } from '../../domain/metrics/load-level-totals.ts'
import { resolvePeriod } from '../../domain/metrics/periods.ts'
import { addMetrics, deriveMetrics, emptyTotals, type MetricTotals, zeroMetrics } from '../../domain/metrics/vocabulary.ts'
import type { AdAccount } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { plural } from '../../lib/numbers.ts'
import { statusText } from './find-target.ts'
import { money, summary } from './format.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

/** More than this and the answer says how to narrow it down (keeps the prompt small). */
const MAX_ROWS = 30

export function listCampaignsTool(ctx: ToolContext) {
  return tool(
    ({ level, parent, account, status }) =>
      runTool(ctx, 'list_campaigns', 'Looking at your campaigns…', async () => {
        if (level === 'adset' || level === 'ad') return listAdSetsOrAds(ctx, level, { parent, account, status })
        const { items } = await listCampaigns(ctx.deps.prisma, {
          scope: ctx.scope,
          account: account ?? undefined,
          status: status ?? undefined,
          now: ctx.deps.now(),
        })
        const which = status ?? 'active'
        if (items.length === 0) return `No ${which === 'all' ? '' : `${which} `}campaigns${account ? ` in ${quote(account)}` : ''}.`
        const shown = items.slice(0, MAX_ROWS)
        const lines = shown.map((c) => {
          const cur = c.account.currency
          const budget =
            c.dailyBudget !== null
              ? `daily budget ${money(c.dailyBudget, cur)}`
              : c.lifetimeBudget !== null
                ? `lifetime budget ${money(c.lifetimeBudget, cur)}`
                : 'budget on ad sets'
          return [
            `• ${quote(c.name)} (id ${c.metaCampaignId}, ${c.status.toLowerCase()}, ${c.objective}, ${budget}, account ${quote(c.account.name)} in ${cur})`,
            `  last 7 days: ${summary(c.last7d.totals, c.last7d.derived)}`,
            `  yesterday: ${summary(c.yesterday.totals, c.yesterday.derived)}`,
          ].join('\n')
        })
        const more =
          items.length > shown.length
            ? `\n…and ${items.length - shown.length} more with less spend (filter by account or status to see them).`
            : ''
        return `${items.length} ${which} campaign${items.length === 1 ? '' : 's'}, by 7-day spend (complete days in each account's time zone):\n${lines.join('\n')}${more}`
      }),
    {
      name: 'list_campaigns',
      description:
        "Campaigns, or the ad sets of a campaign, or the ads of a campaign or ad set (or of an account), by 7-day spend, each with its Meta id, status, parents, budget (creative for ads), and yesterday's and the last 7 days' key figures (spend, results, cost per result, CTR, CPC, CPM).",
      schema: z.object({
        level: z.enum(['campaign', 'adset', 'ad']).optional().describe('What to list: campaigns (default), ad sets ("adset") or ads.'),
        parent: z
          .string()
          .optional()
          .describe(
            'For ad sets: the campaign whose ad sets to list; for ads: the campaign or ad set whose ads to list (name or Meta id). Omit to list those of the whole account.',
          ),
        account: z.string().optional().describe('Ad account name (or part of it) or id such as act_123; all accounts when omitted.'),
        status: z
          .enum(CAMPAIGN_STATUS_FILTERS)
          .optional()
          .describe(
            'Which ones: active, paused, archived (archived or deleted on Meta) or all. Default: active campaigns; for ad sets and ads, all that are not archived or deleted.',
          ),
      }),
    },
  )
}

const WORD = { adset: ['ad set', 'ad sets'], ad: ['ad', 'ads'] } as const

/** Whether an ad set or ad passes the status filter; without one, every one not archived or deleted. */
function passes(o: LevelTotals, status: CampaignStatusFilter | undefined): boolean {
  if (status === 'all') return true
  if (status === 'archived') return isGone(o)
  if (isGone(o)) return false
  return status === undefined || o.status === status.toUpperCase()
}

/** The ad sets of a campaign, or the ads of a campaign or ad set, or either of whole accounts, by 7-day spend. */
async function listAdSetsOrAds(
  ctx: ToolContext,
  level: 'adset' | 'ad',
  args: { parent?: string | undefined; account?: string | undefined; status?: CampaignStatusFilter | undefined },
): Promise<string> {
  const { prisma } = ctx.deps
  const [one, many] = WORD[level]
  const parent: FoundObject | null = args.parent
    ? await findObject(prisma, ctx.scope, args.parent, level === 'adset' ? ['campaign'] : ['campaign', 'adset'])
    : null
  const accounts: AdAccount[] = parent
    ? [parent.account]
    : args.account
      ? [await findAdAccount(prisma, ctx.scope, args.account)]
      : await listSyncingAdAccounts(prisma, { scope: ctx.scope })
  if (accounts.length === 0)
    throw new AppError(AppErrorCode.NOT_CONNECTED, 'No syncing ad account here yet: there are no ad sets or ads to list.')
  const rows: Array<{ item: LevelTotals; yesterday: LevelTotals | undefined; account: AdAccount }> = []
  let hidden = 0
  for (const account of accounts) {
    const now = ctx.deps.now()
    const options = {
      adAccountId: account.id,
      level,
      status: 'all' as const,
      ...(parent?.adSet ? { adSetId: parent.adSet.id } : parent ? { campaignId: parent.campaign.id } : {}),
    }
    const [week, yesterday] = await Promise.all([
      loadLevelTotals(prisma, { ...options, range: resolvePeriod('last_7d', now, account.timezoneName).current }),
      loadLevelTotals(prisma, { ...options, range: resolvePeriod('yesterday', now, account.timezoneName).current }),
    ])
    const byId = new Map(yesterday.map((y) => [y.id, y]))
    for (const item of week) {
      if (passes(item, args.status)) rows.push({ item, yesterday: byId.get(item.id), account })
      else if (args.status === undefined && isGone(item)) hidden++
    }
  }
  const of = parent
    ? ` of ${parent.adSet ? `ad set ${quote(parent.adSet.name)} (id ${parent.adSet.metaAdSetId}) in ` : ''}campaign ${quote(parent.campaign.name)} (id ${parent.campaign.metaCampaignId}, ${parent.campaign.objective})`
    : ''
  const where = `${of} in ${accounts.length === 1 ? `ad account ${quote(accounts[0]?.name ?? '')}` : `${accounts.length} ad accounts`}`
  const which = args.status === undefined ? 'not archived or deleted' : args.status
  const hiddenNote =
    hidden > 0
      ? `\n(${plural(hidden, `archived or deleted ${one}`, `archived or deleted ${many}`)} not shown: status "archived" or "all" shows them.)`
      : ''
  if (rows.length === 0) return `No ${many} (${which})${where}.${hiddenNote}`
  const shown = rows.slice(0, MAX_ROWS)
  const lines = shown.map(({ item, yesterday, account }) => {
    const totals = (t: LevelTotals | undefined): MetricTotals => addMetrics(emptyTotals(account.currency), t ?? zeroMetrics())
    const [w, y] = [totals(item), totals(yesterday)]
    return [
      `• ${quote(item.name)} (${describeItem(item, parent, account, accounts.length > 1)})`,
      `  last 7 days: ${summary(w, deriveMetrics(w, item.objective))}`,
      `  yesterday: ${summary(y, deriveMetrics(y, item.objective))}`,
    ].join('\n')
  })
  const more = rows.length > shown.length ? `\n…and ${rows.length - shown.length} more with less spend.` : ''
  return `${plural(rows.length, one, many)} (${which})${where}, by 7-day spend (complete days in the account's time zone):\n${lines.join('\n')}${more}${hiddenNote}`
}

/** Its Meta id, status, budget or creative, and the parents the listing does not already name. */
function describeItem(item: LevelTotals, parent: FoundObject | null, account: AdAccount, nameAccount: boolean): string {
  const parts = [`${item.level === 'ad' ? 'ad' : 'ad set'} id ${item.metaId}`, statusText(item)]
  const cur = account.currency
  if (item.level === 'adset')
    parts.push(
      item.dailyBudget !== null
        ? `daily budget ${money(item.dailyBudget, cur)}`
        : item.lifetimeBudget !== null
          ? `lifetime budget ${money(item.lifetimeBudget, cur)}`
          : 'no budget of its own (the campaign budget applies)',
    )
  if (item.level === 'ad' && item.creativeName) parts.push(`creative ${quote(item.creativeName)}`)
  if (item.level === 'ad' && item.adSet && !parent?.adSet) parts.push(`in ad set ${quote(item.adSet.name)} (id ${item.adSet.metaId})`)
  if (!parent) parts.push(`of campaign ${quote(item.campaign.name)} (id ${item.campaign.metaId}, ${item.objective})`)
  if (nameAccount) parts.push(`account ${quote(account.name)} in ${account.currency}`)
  return parts.join(', ')
}
