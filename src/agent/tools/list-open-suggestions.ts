import { tool } from 'langchain'
import * as z from 'zod'
import { matchAdAccounts } from '../../domain/campaigns/find-ad-account.ts'
import { matchCampaigns } from '../../domain/campaigns/find-campaign.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

const MAX_ROWS = 15

export function listOpenSuggestionsTool(ctx: ToolContext) {
  return tool(
    ({ target }) =>
      runTool(ctx, 'list_open_suggestions', 'Looking at the open suggestions…', async () => {
        const prisma = ctx.deps.prisma
        let where: { campaignId?: { in: string[] }; adAccountId?: { in: string[] } } = {}
        if (target) {
          const [campaigns, accounts] = await Promise.all([matchCampaigns(prisma, ctx.workspaceId, target), matchAdAccounts(prisma, ctx.workspaceId, target)])
          if (campaigns.length + accounts.length === 0) return `No campaign or ad account matches ${quote(target)}.`
          where = campaigns.length > 0 ? { campaignId: { in: campaigns.map((c) => c.id) } } : { adAccountId: { in: accounts.map((a) => a.id) } }
        }
        const open = await prisma.suggestion.findMany({ where: { workspaceId: ctx.workspaceId, status: 'OPEN', ...where }, orderBy: [{ confidence: 'desc' }, { createdAt: 'desc' }], take: MAX_ROWS + 1 })
        if (open.length === 0) return `No open suggestions${target ? ` for ${quote(target)}` : ''}. Promoly's optimizer looks again after every sync.`
        const shown = open.slice(0, MAX_ROWS)
        const [campaigns, changes] = await Promise.all([
          prisma.campaign.findMany({ where: { id: { in: shown.map((s) => s.campaignId) } }, select: { id: true, name: true } }),
          prisma.changeRequest.findMany({ where: { id: { in: shown.flatMap((s) => (s.changeRequestId ? [s.changeRequestId] : [])) } }, select: { id: true, status: true } }),
        ])
        const name = new Map(campaigns.map((c) => [c.id, c.name]))
        const status = new Map(changes.map((c) => [c.id, c.status]))
        const lines = shown.map((s) => {
          const evidence = Array.isArray(s.evidence) ? (s.evidence as Array<{ label?: unknown; value?: unknown }>).slice(0, 4).map((e) => `${String(e.label)}: ${String(e.value)}`) : []
          const effect = (s.expectedEffect as { text?: unknown } | null)?.text
          const change = s.changeRequestId ? `change request ${s.changeRequestId} is ${status.get(s.changeRequestId) ?? 'unknown'}` : `a notice (nothing to apply)${s.notice ? `: ${quote(s.notice)}` : ''}`
          return [
            `• ${quote(s.title)} — campaign ${quote(name.get(s.campaignId) ?? 'unknown')}, ${s.kind}, confidence ${Math.round(s.confidence * 100)}%; ${change}`,
            ...(evidence.length > 0 ? [`  evidence: ${evidence.join('; ')}`] : []),
            ...(typeof effect === 'string' && effect ? [`  expected effect: ${effect}`] : []),
          ].join('\n')
        })
        const more = open.length > shown.length ? '\n(more not shown; `/promoly suggestions` lists them all)' : ''
        return `Open suggestions, most confident first (their cards carry Approve/Reject buttons):\n${lines.join('\n')}${more}`
      }),
    {
      name: 'list_open_suggestions',
      description: "The optimizer's open suggestions (findings and the changes it proposes), most confident first.",
      schema: z.object({
        target: z.string().optional().describe('Only for this campaign or ad account (name, start of a name, or id); all when omitted.'),
      }),
    },
  )
}
