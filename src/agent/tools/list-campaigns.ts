import { tool } from 'langchain'
import * as z from 'zod'
import type { BudgetLocation } from '../../domain/campaigns/budget-location.ts'
import { type ListLevel, listAdSetsOrAds } from '../../domain/campaigns/list-ad-sets-and-ads.ts'
import { CAMPAIGN_STATUS_FILTERS, type CampaignStatusFilter, listCampaigns } from '../../domain/campaigns/list-campaigns.ts'
import type { StatusFilter } from '../../domain/metrics/load-level-totals.ts'
import { addMetrics, emptyTotals } from '../../domain/metrics/vocabulary.ts'
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
        if (level === 'adset' || level === 'ad') return listLevel(ctx, level, { parent, status })
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
          const budget = budgetText(c.budget, cur)
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
        "Campaigns, or the ad sets of a campaign, or the ads of a campaign or ad set, by 7-day spend, each with its Meta id, status, parents, budget (creative for ads), and yesterday's and the last 7 days' key figures (spend, results, cost per result, CTR, CPC, CPM).",
      schema: z.object({
        level: z.enum(['campaign', 'adset', 'ad']).optional().describe('What to list: campaigns (default), ad sets ("adset") or ads.'),
        parent: z
          .string()
          .optional()
          .describe(
            'Required for ad sets and ads: the campaign whose ad sets to list, or the campaign or ad set whose ads to list (name or Meta id).',
          ),
        account: z
          .string()
          .optional()
          .describe('Campaigns only: ad account name (or part of it) or id such as act_123; all accounts when omitted.'),
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
const LEARNING: Record<string, string> = { LEARNING: 'in the learning phase', FAIL: 'learning limited', SUCCESS: 'out of learning' }

/** The list's status filter, and the configured status a row must have on top of it (active, paused). */
function statusOf(status: CampaignStatusFilter | undefined): { filter: StatusFilter; only: string | null } {
  if (status === 'archived' || status === 'all') return { filter: status, only: null }
  return { filter: 'live', only: status ? status.toUpperCase() : null }
}

/** "daily budget $50.00"; "budget on its ad sets: $20.00 + $30.00 a day"; "no budget set". */
function budgetText(b: BudgetLocation, cur: string): string {
  if (b.on === 'campaign') return b.daily !== null ? `daily budget ${money(b.daily, cur)}` : `lifetime budget ${money(b.lifetime, cur)}`
  if (b.on === 'adsets') {
    const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0)
    return [
      b.daily.length
        ? `budget on its ad sets: ${b.daily.map((v) => money(v, cur)).join(' + ')} a day (${money(sum(b.daily), cur)} in all)`
        : null,
      b.lifetime.length ? `lifetime budgets on its ad sets: ${b.lifetime.map((v) => money(v, cur)).join(' + ')}` : null,
    ]
      .filter(Boolean)
      .join('; ')
  }
  return b.on === 'none' ? 'no budget set' : 'budget on ad sets (not synced yet)'
}

/** The ad sets of a campaign, or the ads of a campaign or ad set, by 7-day spend (domain/campaigns/list-ad-sets-and-ads.ts). */
async function listLevel(
  ctx: ToolContext,
  level: ListLevel,
  args: { parent?: string | undefined; status?: CampaignStatusFilter | undefined },
): Promise<string> {
  const [one, many] = WORD[level]
  if (!args.parent)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `Say whose ${many} to list: \`parent\` is ${level === 'adset' ? 'a campaign' : 'a campaign or an ad set'} (name or id).`,
    )
  const { filter, only } = statusOf(args.status)
  const list = await listAdSetsOrAds(ctx.deps.prisma, { scope: ctx.scope, level, target: args.parent, status: filter, now: ctx.deps.now() })
  const { parent, account } = list
  const cur = account.currency
  const of = `${parent.adSet ? `ad set ${quote(parent.adSet.name)} (id ${parent.adSet.metaAdSetId}) in ` : ''}campaign ${quote(parent.campaign.name)} (id ${parent.campaign.metaCampaignId}, ${parent.campaign.objective}) in ad account ${quote(account.name)}`
  const items = only ? list.items.filter((i) => i.status === only) : list.items
  const which = args.status ?? 'not archived or deleted'
  const notes = [
    list.hidden > 0
      ? `(${plural(list.hidden, `archived or deleted ${one}`, `archived or deleted ${many}`)} not shown: status "archived" or "all" shows them.)`
      : null,
    list.adLevelSince === null
      ? 'Promoly has no ad set and ad figures for this account yet (it may not have synced at that level).'
      : list.adLevelSince > list.since
        ? `Ad set and ad figures start on ${list.adLevelSince}: earlier days are unknown, not zero.`
        : null,
  ].filter((n): n is string => n !== null)
  if (list.total === 0) return [`No ${many} of ${of} in Promoly yet.`, ...notes].join('\n')
  if (items.length === 0) return [`No ${many} (${which}) of ${of}.`, ...notes].join('\n')
  const shown = items.slice(0, MAX_ROWS)
  const lines = shown.map((i) => {
    const parts = [`${one} id ${i.metaId}`, statusText(i)]
    if (level === 'adset') {
      parts.push(
        i.dailyBudget !== null
          ? `daily budget ${money(i.dailyBudget, cur)}`
          : i.lifetimeBudget !== null
            ? `lifetime budget ${money(i.lifetimeBudget, cur)}`
            : list.campaignBudget
              ? 'uses the campaign budget'
              : 'no budget set',
      )
      if (i.bidStrategy) parts.push(`bid strategy ${i.bidStrategy}${i.bidAmount !== null ? ` at ${money(i.bidAmount, cur)}` : ''}`)
      if (i.optimizationGoal) parts.push(`optimised for ${i.optimizationGoal}`)
      if (i.learningStage) parts.push(LEARNING[i.learningStage] ?? `learning stage ${i.learningStage}`)
    } else {
      if (i.creativeName) parts.push(`creative ${quote(i.creativeName)}`)
      if (i.adSet && !parent.adSet) parts.push(`in ad set ${quote(i.adSet.name)}`)
    }
    const figures = [...i.figures]
      .reverse()
      .map(
        (f) =>
          `  ${f.label === '7 days' ? 'last 7 days' : f.label.toLowerCase()}: ${summary(addMetrics(emptyTotals(cur), f.totals), f.derived)}`,
      )
    return [`• ${quote(i.name)} (${parts.join(', ')})`, ...figures].join('\n')
  })
  const more = items.length > shown.length ? [`…and ${items.length - shown.length} more with less spend.`] : []
  return [
    `${plural(items.length, one, many)} (${which}) of ${of}, by 7-day spend (complete days in the account's time zone):`,
    ...lines,
    ...more,
    ...notes,
  ].join('\n')
}
