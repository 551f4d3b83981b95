/**
 * The digest's data for the workspace's syncing accounts (or the listed ones), as of `now`: what it says is in
 * digest-types.ts, what it reads in load-digest-rows.ts (at most 9 queries whatever the number of accounts, campaigns
 * or ads), how its figures are computed in digest-figures.ts (the ads' in rank-ads.ts).
 */
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { accountDigest, digestCalendar } from './digest-figures.ts'
import type { BuildDigestOptions, DigestData } from './digest-types.ts'
import { loadDigestAccounts, loadDigestRows } from './load-digest-rows.ts'

export async function buildDigestData(prisma: PrismaClient, options: BuildDigestOptions): Promise<DigestData> {
  const { now } = options
  const { workspaceId } = options.scope
  const accounts = await loadDigestAccounts(prisma, options)
  const clientName = options.scope.client?.name
  if (accounts.length === 0) return { workspaceId, clientName, generatedAt: now, accounts: [], suggestions: { openCount: 0, top: [] } }
  const withCalendars = accounts.map((a) => ({ a, calendar: digestCalendar(now, a.timezoneName) }))
  const rows = await loadDigestRows(prisma, workspaceId, new Map(withCalendars.map(({ a, calendar }) => [a.id, calendar])))

  // An account without rows or campaigns has none of them.
  const digests = withCalendars.map(({ a, calendar }) =>
    accountDigest(
      a,
      calendar,
      rows.daysByAccount.get(a.id) ?? new Map(),
      rows.campaignsByAccount.get(a.id) ?? [],
      rows.weekByCampaign,
      rows.adsByAccount.get(a.id) ?? [],
      now,
    ),
  )

  const accountById = new Map(accounts.map((a) => [a.id, a]))
  const campaignName = new Map([...rows.campaignsByAccount.values()].flat().map((c) => [c.id, c.name]))
  return {
    workspaceId,
    clientName,
    generatedAt: now,
    accounts: digests,
    suggestions: {
      openCount: rows.openCount,
      top: rows.openSuggestions.map((s) => ({
        id: s.id,
        adAccountId: s.adAccountId,
        accountName: accountById.get(s.adAccountId)?.name ?? s.adAccountId,
        campaignId: s.campaignId,
        campaignName: campaignName.get(s.campaignId) ?? null,
        level: s.level === 'ad' || s.level === 'adset' ? s.level : 'campaign',
        adSetName: s.adSet?.name ?? null,
        adName: s.ad?.name ?? null,
        kind: s.kind,
        title: s.title,
        confidence: s.confidence,
        proposedChangeId: s.changeRequestId && rows.proposedChanges.has(s.changeRequestId) ? s.changeRequestId : null,
        approval: (s.changeRequestId && rows.proposedChanges.get(s.changeRequestId)) || undefined,
      })),
    },
  }
}
