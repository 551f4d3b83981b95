import type { WebClient } from '@slack/web-api'

/** users.list page size, and the most pages read (1,000 people): the owners and admins are found without reading a huge workspace. */
const PAGE = 200
const MAX_PAGES = 5

interface ListedUser {
  id?: string
  deleted?: boolean
  is_bot?: boolean
  is_owner?: boolean
  is_primary_owner?: boolean
  is_admin?: boolean
  is_restricted?: boolean
  is_ultra_restricted?: boolean
  is_stranger?: boolean
}

/**
 * The Slack workspace's owners and admins who are full human members (no bot, no Slackbot, no guest, no
 * deactivated account, no one of another organisation), primary owner first, then owners, then admins; at
 * most `max`. From users.list (scope users:read), paged with its cursor and bounded to MAX_PAGES pages.
 * Empty when Slack does not answer: the caller then keeps what it wanted to send for later.
 */
export async function slackWorkspaceAdmins(client: WebClient, max: number): Promise<string[]> {
  const found: Array<{ id: string; rank: number }> = []
  let cursor: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.users.list({ limit: PAGE, ...(cursor ? { cursor } : {}) })
    for (const u of (res.members ?? []) as ListedUser[]) {
      if (!u.id || u.id === 'USLACKBOT' || u.deleted || u.is_bot || u.is_restricted || u.is_ultra_restricted || u.is_stranger) continue
      const rank = u.is_primary_owner ? 0 : u.is_owner ? 1 : u.is_admin ? 2 : undefined
      if (rank !== undefined) found.push({ id: u.id, rank })
    }
    cursor = res.response_metadata?.next_cursor || undefined
    if (!cursor) break
  }
  return found
    .sort((a, b) => a.rank - b.rank)
    .slice(0, max)
    .map((a) => a.id)
}
