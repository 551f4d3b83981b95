import { tool } from 'langchain'
import * as z from 'zod'
import { listAdAccounts } from '../../domain/campaigns/list-ad-accounts.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

export function listAdAccountsTool(ctx: ToolContext) {
  return tool(
    () =>
      runTool(ctx, 'list_ad_accounts', 'Looking at your ad accounts…', async () => {
        const accounts = await listAdAccounts(ctx.deps.prisma, { scope: ctx.scope })
        if (accounts.length === 0) return 'No Meta ad account is connected yet. Someone can run `/promoly connect`.'
        const lines = accounts.map((a) => {
          const synced = a.lastSyncedAt ? `last synced ${a.lastSyncedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never synced'
          const problems = [a.syncEnabled ? null : 'not synced (disabled)', a.lastSyncError ? 'last sync failed' : null]
            .filter(Boolean)
            .join(', ')
          return `• ${quote(a.name)} (id ${a.metaAccountId}, currency ${a.currency}, time zone ${a.timezoneName}, ${synced}${problems ? `, ${problems}` : ''})`
        })
        return `${accounts.length} ad account${accounts.length === 1 ? '' : 's'}:\n${lines.join('\n')}`
      }),
    {
      name: 'list_ad_accounts',
      description: "The workspace's connected Meta ad accounts: name, id, currency, time zone and last sync.",
      schema: z.object({}),
    },
  )
}
