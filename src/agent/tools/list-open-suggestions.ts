import { tool } from 'langchain'
import * as z from 'zod'
import { objectLabel } from '../../domain/changes/change-target.ts'
import { listOpenSuggestions } from '../../domain/suggestions/list-open-suggestions.ts'
import type { SuggestionPlace } from '../../domain/suggestions/suggestion-place.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

const MAX_ROWS = 15

/** What a suggestion is about, with its parents: "Ad “X” in ad set “Y” (campaign “Z”)". */
function about(p: SuggestionPlace): string {
  const name = p.level === 'ad' ? p.adName : p.level === 'adset' ? p.adSetName : p.campaignName
  return objectLabel({ level: p.level, name: name ?? '?', campaignName: p.campaignName, adSetName: p.adSetName })
}

export function listOpenSuggestionsTool(ctx: ToolContext) {
  return tool(
    ({ target }) =>
      runTool(ctx, 'list_open_suggestions', 'Looking at the open suggestions…', async () => {
        const {
          targetFound,
          total,
          suggestions: shown,
        } = await listOpenSuggestions(ctx.deps.prisma, { scope: ctx.scope, target, limit: MAX_ROWS })
        if (!targetFound && target !== undefined) return `No campaign, ad set, ad or ad account matches ${quote(target)}.`
        if (total === 0)
          return `No open suggestions${target ? ` for ${quote(target)}` : ''}. Promoly's optimizer looks again after every sync.`
        const lines = shown.map((s) => {
          const evidence = Array.isArray(s.evidence)
            ? (s.evidence as Array<{ label?: unknown; value?: unknown }>).slice(0, 4).map((e) => `${String(e.label)}: ${String(e.value)}`)
            : []
          const effect = (s.expectedEffect as { text?: unknown } | null)?.text
          const change = s.changeRequestId
            ? `change request ${s.changeRequestId} is ${s.change?.status ?? 'unknown'}`
            : `a notice (nothing to apply)${s.notice ? `: ${quote(s.notice)}` : ''}`
          return [
            `• ${quote(s.title)} — ${about(s.place)}, ${s.kind}, confidence ${Math.round(s.confidence * 100)}%; ${change}`,
            ...(evidence.length > 0 ? [`  evidence: ${evidence.join('; ')}`] : []),
            ...(typeof effect === 'string' && effect ? [`  expected effect: ${effect}`] : []),
          ].join('\n')
        })
        const more = total > shown.length ? '\n(more not shown; `/promoly suggestions` lists them all)' : ''
        return `Open suggestions, most confident first (their cards carry Approve/Reject buttons):\n${lines.join('\n')}${more}`
      }),
    {
      name: 'list_open_suggestions',
      description: "The optimizer's open suggestions (findings and the changes it proposes), most confident first.",
      schema: z.object({
        target: z
          .string()
          .optional()
          .describe(
            'Only for this campaign (its findings on its ad sets and ads too), ad set, ad or ad account (name, part of a name, or id); all when omitted.',
          ),
      }),
    },
  )
}
