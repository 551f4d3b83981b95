import { comparePeriodsAndExplainTool } from './compare-periods-and-explain.ts'
import { draftAdCopyTool } from './draft-ad-copy.ts'
import { getMetricsTool } from './get-metrics.ts'
import { listAdAccountsTool } from './list-ad-accounts.ts'
import { listCampaignsTool } from './list-campaigns.ts'
import { listOpenSuggestionsTool } from './list-open-suggestions.ts'
import { proposeBudgetChangeTool } from './propose-budget-change.ts'
import { proposeNewCampaignTool } from './propose-new-campaign.ts'
import { proposePauseTool } from './propose-pause.ts'
import { proposeResumeTool } from './propose-resume.ts'
import { subscribeDigestTool } from './subscribe-digest.ts'
import type { ToolContext } from './tool-context.ts'

export type { ToolContext } from './tool-context.ts'

/**
 * Every tool the agent has, bound to one turn's context. Read tools call the domain directly; the
 * propose_* tools only create PROPOSED change requests. There is deliberately no tool that approves,
 * applies or writes to Meta, so nothing the model reads (campaign names, channel text) can make it do so.
 */
export function createTools(ctx: ToolContext) {
  return [
    listAdAccountsTool(ctx),
    listCampaignsTool(ctx),
    getMetricsTool(ctx),
    comparePeriodsAndExplainTool(ctx),
    listOpenSuggestionsTool(ctx),
    proposePauseTool(ctx),
    proposeResumeTool(ctx),
    proposeBudgetChangeTool(ctx),
    proposeNewCampaignTool(ctx),
    draftAdCopyTool(ctx),
    subscribeDigestTool(ctx),
  ]
}
