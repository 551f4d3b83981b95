import type { WebClient } from '@slack/web-api'
import { resolveMember } from '../domain/members/resolve-member.ts'
import type { Member, Workspace } from '../generated/prisma/client.ts'
import type { SlackDeps } from './deps.ts'

/** The Promoly member behind a Slack user; Slack's owner/admin flags come from users.info (cached, see slack-users.ts). */
export async function resolveCaller(deps: SlackDeps, workspace: Workspace, slackUserId: string, client: WebClient): Promise<Member> {
  return resolveMember(deps.domain.prisma, {
    workspaceId: workspace.id,
    slackUserId,
    // Looked up only for someone whose role no admin has set (most callers, once settled, skip it).
    installerUserId: () => deps.installerUserId(workspace.slackTeamId),
    lookupSlackUser: async (user) => (await deps.slackUsers.lookUp(client, workspace.slackTeamId, user)) ?? undefined,
  })
}
