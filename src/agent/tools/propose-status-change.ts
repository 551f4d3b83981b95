import { tool } from 'langchain'
import * as z from 'zod'
import { changeableRef } from '../../domain/changes/changeable-object.ts'
import { changeLevelSchema, changeTargetSchema, findChangeTarget } from './find-target.ts'
import { proposeForAgent } from './propose.ts'
import { runTool, type ToolContext } from './tool-context.ts'

const schema = z.object({
  level: changeLevelSchema,
  target: changeTargetSchema,
  reason: z.string().max(500).optional().describe('Why, in one sentence grounded in the numbers you looked up; shown on the card.'),
})

/** propose_pause and propose_resume: the same shape, one change type each (see propose-pause.ts, propose-resume.ts). */
export function statusChangeTool(ctx: ToolContext, type: 'PAUSE' | 'RESUME') {
  const name = type === 'PAUSE' ? 'propose_pause' : 'propose_resume'
  return tool(
    ({ level, target, reason }) =>
      runTool(ctx, name, 'Preparing a proposal…', async () => {
        const found = await findChangeTarget(ctx, level, target)
        return proposeForAgent(ctx, { type, ...changeableRef(found), reason })
      }),
    {
      name,
      description:
        type === 'PAUSE'
          ? 'Proposes pausing a campaign, an ad set or an ad: creates a change request card that an admin or approver must approve. Does not pause anything by itself. Pausing an ad set or an ad stops only it; its campaign keeps running.'
          : 'Proposes resuming (re-activating) a paused campaign, ad set or ad: creates a change request card that an admin or approver must approve. Does not resume anything by itself.',
      schema,
    },
  )
}
