import { tool } from 'langchain'
import * as z from 'zod'
import { listAdAccounts } from '../../domain/campaigns/list-ad-accounts.ts'
import { loadObjectiveTotals } from '../../domain/metrics/load-totals.ts'
import { resolvePeriod } from '../../domain/metrics/periods.ts'
import { describeResults, type ObjectiveMetrics, resultBreakdown } from '../../domain/metrics/result-breakdown.ts'
import type { Metrics } from '../../domain/metrics/vocabulary.ts'
import { plural } from '../../lib/numbers.ts'
import { money, ratioText } from './format.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

/** ", ROAS 4.00× (sales campaigns)" when the sales campaigns had revenue. */
function roasText(rows: ObjectiveMetrics): string {
  const { roas } = resultBreakdown(rows)
  return roas === null ? '' : `, ROAS ${ratioText(roas)} (sales campaigns)`
}

export function listAdAccountsTool(ctx: ToolContext) {
  return tool(
    () =>
      runTool(ctx, 'list_ad_accounts', 'Looking at your ad accounts…', async () => {
        const accounts = await listAdAccounts(ctx.deps.prisma, { scope: ctx.scope })
        if (accounts.length === 0) return 'No Meta ad account is connected yet. Someone can run `/promoly connect`.'
        const now = ctx.deps.now()
        // Each account's last 7 days per objective: results never divided by spend that sought something else.
        const weeks = await Promise.all(
          accounts.map((a) => loadObjectiveTotals(ctx.deps.prisma, [a.id], resolvePeriod('last_7d', now, a.timezoneName).current)),
        )
        const lines = accounts.map((a, i) => {
          const rows = weeks[i] ?? []
          const spend = rows.reduce((n, [, m]) => n + m.spend, 0)
          const results = describeResults(resultBreakdown(rows), a.currency)
          const week = `last 7 days: spend ${money(spend, a.currency)}${results ? `, ${results}` : ''}${roasText(rows)}`
          const synced = a.lastSyncedAt ? `last synced ${a.lastSyncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never synced'
          const problems = [a.syncEnabled ? null : 'not synced (disabled)', a.lastSyncError ? 'last sync failed' : null]
            .filter(Boolean)
            .join(', ')
          return `• ${quote(a.name)} (id ${a.metaAccountId}, currency ${a.currency}, time zone ${a.timezoneName}, ${synced}${problems ? `, ${problems}` : ''}); ${week}`
        })
        // A client's accounts in one currency: one line per result type over all of them (never across currencies).
        const clients = new Map(
          (await ctx.deps.prisma.client.findMany({ where: { workspaceId: ctx.workspaceId }, select: { id: true, name: true } })).map(
            (c) => [c.id, c.name],
          ),
        )
        const groups = new Map<string, { client: string; currency: string; count: number; rows: Array<[string, Metrics]> }>()
        accounts.forEach((a, i) => {
          const key = `${a.clientId}|${a.currency}`
          const g = groups.get(key) ?? { client: clients.get(a.clientId) ?? a.clientId, currency: a.currency, count: 0, rows: [] }
          g.count++
          g.rows.push(...(weeks[i] ?? []))
          groups.set(key, g)
        })
        const clientLines = [...groups.values()]
          .filter((g) => g.count > 1)
          .map((g) => {
            const spend = g.rows.reduce((n, [, m]) => n + m.spend, 0)
            const results = describeResults(resultBreakdown(g.rows), g.currency)
            return `• client ${quote(g.client)}, its ${g.count} ${g.currency} accounts together, last 7 days: spend ${money(spend, g.currency)}${results ? `, ${results}` : ''}${roasText(g.rows)}`
          })
        return [
          `${plural(accounts.length, 'ad account')}:`,
          ...lines,
          ...(clientLines.length ? ['Per client and currency:', ...clientLines] : []),
        ].join('\n')
      }),
    {
      name: 'list_ad_accounts',
      description:
        "The workspace's connected Meta ad accounts: name, id, currency, time zone, last sync, and the last 7 days' spend with results per objective.",
      schema: z.object({}),
    },
  )
}
