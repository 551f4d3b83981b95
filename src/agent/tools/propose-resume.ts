import { statusChangeTool } from './propose-status-change.ts'
import type { ToolContext } from './tool-context.ts'

export const proposeResumeTool = (ctx: ToolContext) => statusChangeTool(ctx, 'RESUME')
