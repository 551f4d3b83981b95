import { tool } from 'langchain'
import * as z from 'zod'
import { subscribeDigest } from '../../domain/digests/subscriptions.ts'
import { runTool, type ToolContext } from './tool-context.ts'

/** Subscribes a channel to the daily digest (no money involved, so no approval needed). */
export function subscribeDigestTool(ctx: ToolContext) {
  return tool(
    ({ localTime, timeZone, accounts }) =>
      runTool(ctx, 'subscribe_digest', 'Setting up the digest…', async () => {
        // Only the conversation's own channel: text the model reads can never send figures elsewhere.
        const channelId = ctx.channelId
        if (!channelId) return 'Error: ask in the channel that should get the digest.'
        if (!ctx.caller) return 'Error: digests can only be set up from Slack, with /promoly digest subscribe.'
        // The same rules as /promoly digest: an admin or approver, who is in the channel, within the workspace's cap.
        const { subscription: sub, outcome } = await subscribeDigest(ctx.deps.prisma, {
          workspaceId: ctx.workspaceId,
          channelId,
          localTime,
          timeZone,
          accounts,
          by: await ctx.caller(),
        })
        const scope = sub.adAccountIds.length === 0 ? 'every connected ad account' : `${sub.adAccountIds.length} ad account(s)`
        if (outcome === 'resumed')
          return `Resumed the paused digest of channel ${channelId}: a daily digest of ${scope} at ${sub.localTime} (${sub.timeZone}). The person who asked is now its creator. It can be changed with /promoly digest.`
        const done = outcome === 'created' ? 'Subscribed' : outcome === 'updated' ? 'Moved the digest of' : 'Already subscribed:'
        return `${done} channel ${channelId} to a daily digest of ${scope} at ${sub.localTime} (${sub.timeZone}). It can be changed with /promoly digest.`
      }),
    {
      name: 'subscribe_digest',
      description:
        "Subscribe the channel of this conversation to Promoly's daily performance digest, posted at a local time each day. Only Promoly admins and approvers who are in the channel may; asking again for the same accounts changes the time. (Other channels: /promoly digest subscribe #channel.)",
      schema: z.object({
        localTime: z.string().optional().describe('Local time of day as HH:MM (24 h); default 09:00'),
        timeZone: z.string().optional().describe("IANA time zone like Europe/Berlin; default: the first ad account's zone"),
        accounts: z.array(z.string()).optional().describe('Ad account names or ids to include; omit for all connected accounts'),
      }),
    },
  )
}
