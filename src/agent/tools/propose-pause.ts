import { statusChangeTool } from './propose-status-change.ts'
import type { ToolContext } from './tool-context.ts'

export const proposePauseTool = (ctx: ToolContext) => statusChangeTool(ctx, 'PAUSE')
