import { tool } from 'langchain'
import * as z from 'zod'
import { findCampaign } from '../../domain/campaigns/find-campaign.ts'
import { proposeForAgent } from './propose.ts'
import { runTool, type ToolContext } from './tool-context.ts'

const schema = z.object({
  campaign: z.string().describe('The campaign: its name (or part of it) or its id.'),
  reason: z.string().max(500).optional().describe('Why, in one sentence grounded in the numbers you looked up; shown on the card.'),
})

/** propose_pause and propose_resume: the same shape, one change type each (see propose-pause.ts, propose-resume.ts). */
export function statusChangeTool(ctx: ToolContext, type: 'PAUSE' | 'RESUME') {
  const name = type === 'PAUSE' ? 'propose_pause' : 'propose_resume'
  return tool(
    ({ campaign, reason }) =>
      runTool(ctx, name, 'Preparing a proposal…', async () => {
        const c = await findCampaign(ctx.deps.prisma, ctx.scope, campaign)
        return proposeForAgent(ctx, { type, campaignId: c.id, reason })
      }),
    {
      name,
      description:
        type === 'PAUSE'
          ? 'Proposes pausing a campaign: creates a change request card that an admin or approver must approve. Does not pause anything by itself.'
          : 'Proposes resuming (re-activating) a paused campaign: creates a change request card that an admin or approver must approve. Does not resume anything by itself.',
      schema,
    },
  )
}
