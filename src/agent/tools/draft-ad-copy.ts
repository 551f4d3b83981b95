import { tool } from 'langchain'
import * as z from 'zod'
import { CALL_TO_ACTIONS, charCount, checkAdCopy, HEADLINE_MAX, PRIMARY_TEXT_MAX } from '../analysis/ad-copy.ts'
import { quote, runTool, type ToolContext } from './tool-context.ts'

const WANTED = 3

/**
 * The model writes the drafts and passes them here; this checks Meta's limits in code and says which
 * pass, so nothing over the limits is ever shown. Limits are deliberately not in the schema: a long
 * headline is reported per variation instead of failing the whole call.
 */
export function draftAdCopyTool(ctx: ToolContext) {
  return tool(
    ({ brief, variations }) =>
      runTool(ctx, 'draft_ad_copy', 'Checking the ad copy…', async () => {
        const checked = variations.map((v) =>
          checkAdCopy({ headline: v.headline, primaryText: v.primary_text, callToAction: v.call_to_action }),
        )
        const passed = checked.filter((c) => c.ok)
        const lines = checked.map((c, i) =>
          c.ok
            ? `✓ Variation ${i + 1} passes: headline ${quote(c.headline)} (${charCount(c.headline)} characters), primary text ${quote(c.primaryText)} (${charCount(c.primaryText)} characters), call to action ${c.callToAction}`
            : `✗ Variation ${i + 1} rejected: ${c.problems.join('; ')}.`,
        )
        const next =
          passed.length >= WANTED
            ? `Show the person the passing variations exactly as written above (at most ${WANTED}).`
            : `Only ${passed.length} of ${checked.length} pass. Write ${WANTED - passed.length} more within the limits and call draft_ad_copy again before showing anything; never show a rejected variation.`
        return [
          `Brief: ${quote(brief)}. Limits: headline ≤ ${HEADLINE_MAX} characters, primary text ≤ ${PRIMARY_TEXT_MAX}, call to action from Meta's list.`,
          ...lines,
          next,
        ].join('\n')
      }),
    {
      name: 'draft_ad_copy',
      description: `Checks ad copy you drafted from a brief against Meta's limits before you show it. Write ${WANTED} variations (headline ≤ ${HEADLINE_MAX} characters, primary text ≤ ${PRIMARY_TEXT_MAX}, a call to action from: ${CALL_TO_ACTIONS.join(', ')}) and pass them here; show only those that pass.`,
      schema: z.object({
        brief: z.string().min(1).max(2000).describe('What the ad is for, in the words of the person asking.'),
        variations: z
          .array(
            z.object({
              headline: z.string().describe(`Headline, at most ${HEADLINE_MAX} characters.`),
              primary_text: z.string().describe(`Primary text (the body above the image), at most ${PRIMARY_TEXT_MAX} characters.`),
              call_to_action: z
                .string()
                .describe('Meta call-to-action type, e.g. LEARN_MORE or SHOP_NOW (full list in the tool description).'),
            }),
          )
          .min(1)
          .max(6)
          .describe(`The drafted variations, ${WANTED} normally.`),
      }),
    },
  )
}
