import type { WebClient } from '@slack/web-api'
import { resolveMember } from '../domain/members/resolve-member.ts'
import type { Member, Workspace } from '../generated/prisma/client.ts'
import type { SlackDeps } from './deps.ts'

/** The Promoly member behind a Slack user; Slack's owner/admin flags come from users.info. */
export async function resolveCaller(deps: SlackDeps, workspace: Workspace, slackUserId: string, client: WebClient): Promise<Member> {
  return resolveMember(deps.domain.prisma, {
    workspaceId: workspace.id,
    slackUserId,
    installerUserId: await deps.installerUserId(workspace.slackTeamId),
    lookupSlackUser: async (user) => {
      const res = await client.users.info({ user })
      return res.user ? { isOwner: Boolean(res.user.is_owner), isAdmin: Boolean(res.user.is_admin) } : undefined
    },
  })
}
