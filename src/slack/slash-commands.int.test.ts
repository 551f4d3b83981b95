/**
 * Promoly end to end over HTTP: signed slash commands and interactivity through the real Bolt
 * receiver, Slack's Web API and response_urls served by a local stand-in, Meta by the simulator,
 * the database embedded (PGlite) unless TEST_DATABASE_URL points at a server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockActionsPayload, type FakeSlack, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { waitUntil } from '../../test/support/net.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import type { TestDatabase } from '../../test/support/test-database.ts'
import type { Promoly } from '../main.ts'

const SECRET = 'test-signing-secret'
const ADMIN = 'UADMIN01'
const MEMBER = 'UMEMBER1'

/** A Slack Web API call with the arguments these tests read typed (the fake Slack parses JSON fields such as blocks and view). */
type ApiCall = {
  method: string
  result?: Record<string, unknown>
  args: {
    text?: string
    channel?: string
    user?: string
    ts?: string
    blocks?: unknown[]
    view?: { callback_id?: string; [key: string]: unknown }
    [key: string]: unknown
  }
}

function allText(value: unknown): string {
  return JSON.stringify(value)
}

describe('/promoly over signed HTTP', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let db: TestDatabase
  let promoly: Promoly
  let endpoint: string
  let n = 0

  beforeAll(async () => {
    // Start-up connects the workspace (auth.test) to the simulator and runs the first sync.
    app = await startPromolyOnFakeSlack({ signingSecret: SECRET, slackUsers: { [ADMIN]: { is_admin: true } } })
    ;({ slack, db, promoly, endpoint } = app)
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
  })

  async function command(text: string, userId = MEMBER) {
    const id = `r${++n}`
    const res = await sendSlashCommand(endpoint, SECRET, { text, responseUrl: slack.responseUrl(id), userId })
    return {
      ...res,
      ack: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {},
      reply: () => slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) => r.path === `/response/${id}`),
    }
  }

  it('synced the simulated accounts at start-up, with currencies and time zones', async () => {
    const accounts = await db.prisma.adAccount.findMany({ orderBy: { name: 'asc' } })
    expect(accounts.map((a) => a.currency).sort()).toEqual(['EUR', 'GBP', 'INR', 'JPY', 'USD'])
    expect(accounts.find((a) => a.currency === 'JPY')?.timezoneName).toBe('Asia/Tokyo')
    expect(await db.prisma.campaignDailyMetric.count()).toBeGreaterThan(100)
  })

  it('answers help in the ack itself, also for an empty or unknown subcommand', async () => {
    for (const text of ['help', '', 'frobnicate now']) {
      const r = await command(text)
      expect(r.status).toBe(200)
      expect(r.ack.response_type).toBe('ephemeral')
      expect(allText(r.ack)).toContain('/promoly campaigns')
    }
    const unknown = await command('<!channel>')
    expect(allText(unknown.ack)).toContain("I don't know `&lt;!channel&gt;`")
  })

  it('lists campaigns sorted by spend with yesterday and 7-day figures', async () => {
    const r = await command('campaigns')
    expect(r.status).toBe(200)
    const reply = await r.reply()
    expect(reply.body.response_type).toBe('ephemeral')
    const blocks = reply.body.blocks as Array<{ type: string; text?: { text: string } }>
    expect(blocks[0]!.type).toBe('header')
    expect(blocks.length).toBeLessThanOrEqual(50)
    const rows = blocks.filter((b) => b.type === 'section')
    expect(rows.length).toBeGreaterThan(3)
    expect(rows[0]!.text!.text).toMatch(/Yesterday: \*/)
    expect(rows[0]!.text!.text).toMatch(/7 days: \*/)
    const listedIds = rows.map((b) => /id (\d+)_/.exec(b.text!.text)?.[1]).filter(Boolean) as string[]
    expect(listedIds.length).toBe(rows.length)
  })

  it("sorts an account's campaigns by 7-day spend, highest first", async () => {
    const reply = await (await command('campaigns Acme all')).reply()
    const rows = (reply.body.blocks as Array<{ type: string; text?: { text: string } }>).filter((b) => b.type === 'section')
    const spends = rows.map((b) => Number(/7 days: \*\$([\d,.]+)\*/.exec(b.text!.text)![1]!.replace(/,/g, '')))
    expect(spends.length).toBeGreaterThan(3)
    expect(spends.some((x) => x > 0)).toBe(true)
    expect([...spends].sort((a, b) => b - a)).toEqual(spends)
  })

  it('filters campaigns by account and status, and explains an unknown account', async () => {
    const jp = await (await command('campaigns Sakura all')).reply()
    expect(allText(jp.body)).toContain('Sakura Cosmetics')
    expect(allText(jp.body)).toMatch(/¥[\d,]+/)
    expect(allText(jp.body)).not.toMatch(/¥[\d,]+\.\d/)
    const none = await (await command('campaigns Nonexistent')).reply()
    expect(allText(none.body)).toContain('No connected ad account matches')
  })

  it('shows metrics of a campaign and of an account against the previous period', async () => {
    const campaign = await db.prisma.campaign.findFirstOrThrow({
      where: { status: 'ACTIVE', objective: 'OUTCOME_LEADS' },
      orderBy: { name: 'asc' },
    })
    const byId = await (await command(`metrics ${campaign.metaCampaignId} last_14d`)).reply()
    const text = allText(byId.body)
    for (const label of ['Spend', 'Impressions', 'Clicks', 'CTR', 'CPC', 'CPM', 'Results (Leads)', 'Cost per result'])
      expect(text).toContain(label)
    expect(text).toContain('Last 14 days')
    // The background backfill gave the previous 14 days too: real changes, no "incomplete" note.
    expect(text).toMatch(/\((▲|▼) \d+%\)|±0%/)
    expect(text).not.toContain('incomplete')
    const account = await (await command('metrics "Acme Home" yesterday')).reply()
    expect(allText(account.body)).toContain('Acme Home Services (US) (ad account)')
    // Multi-word period words at the end of the command; the previous period is named in words.
    const lastWeek = allText((await (await command('metrics Acme Home last week')).reply()).body)
    expect(lastWeek).toContain('Acme Home Services (US) (ad account) — Last week')
    expect(lastWeek).toMatch(/Last week: Mon \d+ \w+ – Sun \d+ \w+ \(.+\), compared with the week before \(Mon /)
    const monthToDate = allText((await (await command('metrics Acme Home month to date')).reply()).body)
    expect(monthToDate).toMatch(/Month to date|this month has no complete day yet/)
  })

  it('recomputes a metrics card in place when a period button is clicked', async () => {
    const card = await (await command('metrics "Acme Home" last_7d')).reply()
    const actions = (card.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; style?: string }> }>).find(
      (b) => b.type === 'actions',
    )!
    const button = actions.elements!.find((e) => e.action_id === 'metrics_period_last_30d')!
    expect(actions.elements!.find((e) => e.action_id === 'metrics_period_last_7d')!.style).toBe('primary')
    const responseUrl = slack.responseUrl('click-1')
    const res = await sendInteraction(
      endpoint,
      SECRET,
      blockActionsPayload({
        userId: MEMBER,
        ephemeral: true,
        responseUrl,
        action: { ...(button as { action_id: string }), block_id: 'metrics_periods' },
      }),
    )
    expect(res.status).toBe(200)
    const updated = await slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) => r.path === '/response/click-1')
    expect(updated.body.replace_original).toBe(true)
    expect(allText(updated.body)).toContain('Last 30 days')
  })

  it('answers bad metrics arguments with a usage message naming the problem', async () => {
    const missing = await command('metrics')
    expect(allText(missing.ack)).toContain('Name a campaign, ad set, ad or ad account')
    const badPeriod = await command('metrics Acme last_99d')
    expect(allText(badPeriod.ack)).toMatch(/last_99d.{1,3}: a period is 1 to 93 days long\./)
    const reversed = await command('metrics Acme 2026-11-15..2026-11-01')
    expect(allText(reversed.ack)).toContain(
      '2026-11-15..2026-11-01 starts after it ends: put the earlier date first (2026-11-01..2026-11-15).',
    )
    const unknown = await (await command('metrics zzzz-no-such-thing')).reply()
    expect(allText(unknown.body)).toContain('No campaign, ad set, ad or ad account matches')
  })

  it('confirms a digest subscription with a live channel mention, not escaped text', async () => {
    slack.channels.set('C0DIGEST9', ['UOTHER01', ADMIN])
    const subscribed = await (await command('digest subscribe <#C0DIGEST9|digests> 08:30 Europe/London', ADMIN)).reply()
    expect(allText(subscribed.body)).toContain('Subscribed <#C0DIGEST9>')
    expect(allText(subscribed.body)).not.toContain('&lt;#')
    const removed = await (await command('digest unsubscribe <#C0DIGEST9|digests>', ADMIN)).reply()
    expect(allText(removed.body)).toContain('Removed 1 digest from <#C0DIGEST9>.')
  })

  it('lets only admins and approvers in the channel manage digests; digest now too (a preview stays open)', async () => {
    slack.channels.set('C0PRIVATE', ['UOTHER01', MEMBER])
    const memberSub = await (await command('digest subscribe <#C0PRIVATE|secret> 08:00 UTC', MEMBER)).reply()
    expect(allText(memberSub.body)).toContain('Only Promoly admins and approvers can manage digests')
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0PRIVATE' } })).toBe(0)
    // An admin who is not in the channel cannot send it every account's spend either.
    const notIn = await (await command('digest subscribe <#C0PRIVATE|secret> 08:00 UTC', ADMIN)).reply()
    expect(allText(notIn.body)).toContain('You can only send a digest to a channel you are a member of.')
    const unseen = await (await command('digest subscribe <#G0HIDDEN1|hidden> 08:00 UTC', ADMIN)).reply()
    expect(allText(unseen.body)).toContain('Promoly cannot see that channel')
    expect(await db.prisma.digestSubscription.count({ where: { channelId: { in: ['C0PRIVATE', 'G0HIDDEN1'] } } })).toBe(0)
    // The membership check pages through conversations.members like Slack: the admin is on the third page.
    slack.channels.set('C0BIGROOM', [...Array.from({ length: 450 }, (_, i) => `UFILL${i}`), ADMIN])
    const big = await (await command('digest subscribe <#C0BIGROOM|all-hands> 08:00 UTC', ADMIN)).reply()
    expect(allText(big.body)).toContain('Subscribed <#C0BIGROOM>')
    expect(slack.calls.filter((c) => c.method === 'conversations.members' && c.args.channel === 'C0BIGROOM')).toHaveLength(3)
    const moved = await (await command('digest subscribe <#C0BIGROOM|all-hands> 17:30 UTC', ADMIN)).reply()
    expect(allText(moved.body)).toContain('Updated the digest of every connected ad account in <#C0BIGROOM>: now every day at 17:30')
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0BIGROOM' } })).toBe(1)

    const memberUnsub = await (await command('digest unsubscribe <#C0BIGROOM|all-hands>', MEMBER)).reply()
    expect(allText(memberUnsub.body)).toContain('Only Promoly admins and approvers can manage digests')
    expect(await db.prisma.digestSubscription.count({ where: { channelId: 'C0BIGROOM' } })).toBe(1)

    const posted = () =>
      slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0001' && allText(c.args).includes('Acme')).length
    const before = posted()
    const memberNow = await (await command('digest now', MEMBER)).reply()
    expect(allText(memberNow.body)).toContain('Only Promoly admins and approvers can manage digests')
    const preview = await (await command('digest preview', MEMBER)).reply()
    expect(preview.body.response_type).toBe('ephemeral')
    expect(allText(preview.body)).toContain('Acme')
    expect(posted()).toBe(before)
    expect((await db.prisma.auditEvent.findMany({ where: { action: { startsWith: 'digest.' }, actorId: MEMBER } })).length).toBe(0)
  })

  it('refuses `digest now <#other>` instead of posting here, and answers a typed `#name` readably (round 4, B6)', async () => {
    const posts = () => slack.calls.filter((c) => c.method === 'chat.postMessage').length
    const subs = () => db.prisma.digestSubscription.count()
    const [postsBefore, subsBefore] = [posts(), await subs()]
    const elsewhere = await command('digest now <#C0OTHER01|other>', ADMIN)
    expect(allText(elsewhere.ack)).toContain('`digest now` works in this channel only; run it in <#C0OTHER01>')
    // Slack sends a typed channel name as plain text (manifest should_escape: false): not taken for an ad account.
    const typed = await command('digest subscribe #client-acme 08:00 UTC', ADMIN)
    expect(allText(typed.ack)).toContain('I cannot tell which channel #client-acme is')
    expect(allText(typed.ack)).toContain('pick the channel in the form')
    expect(allText(typed.ack)).not.toContain('No connected ad account matches')
    const typedOff = await command('digest unsubscribe #client-acme', ADMIN)
    expect(allText(typedOff.ack)).toContain('I cannot tell which channel #client-acme is')
    const typedNow = await command('digest now #client-acme', ADMIN)
    expect(allText(typedNow.ack)).toContain('I cannot tell which channel #client-acme is')
    // In the DM with Promoly: `digest now` posts nothing (a digest goes to a channel; preview shows it here).
    const inDm = await sendSlashCommand(endpoint, SECRET, {
      text: 'digest now',
      responseUrl: slack.responseUrl('digest-now-dm'),
      userId: ADMIN,
      channelId: 'D0PROMOLY1',
    })
    expect(String(inDm.body)).toContain('posts in a channel, not in a direct message')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(posts()).toBe(postsBefore)
    expect(await subs()).toBe(subsBefore)
  })

  it('lists the matches of an ambiguous name', async () => {
    // Live campaigns only: an archived or deleted one is found by a part of its name only when nothing live matches.
    const campaigns = await db.prisma.campaign.findMany({
      where: { status: { notIn: ['ARCHIVED', 'DELETED'] }, effectiveStatus: { notIn: ['ARCHIVED', 'DELETED'] } },
      select: { name: true },
    })
    const firstWords = new Map<string, number>()
    for (const c of campaigns) {
      const w = c.name.split(/\s+/)[0]!
      firstWords.set(w, (firstWords.get(w) ?? 0) + 1)
    }
    const prefix = [...firstWords.entries()].find(([, count]) => count > 1)?.[0]
    expect(prefix).toBeDefined()
    const r = await (await command(`metrics ${prefix}`)).reply()
    expect(allText(r.body)).toContain('matches more than one')
  })

  async function click(changeId: string, actionId: string, userId: string) {
    return sendInteraction(
      endpoint,
      SECRET,
      blockActionsPayload({
        userId,
        responseUrl: slack.responseUrl(),
        action: { action_id: actionId, block_id: `change_${changeId}`, value: changeId },
      }),
    )
  }

  it('proposes a campaign inline as a change card; an approver creates it paused on Meta, once', async () => {
    const before = promoly.simulator!.stats().writes
    const proposed = await (await command('create "<!channel> Spring sale" leads 50 Acme', MEMBER)).reply()
    expect(allText(proposed.body)).toContain('Proposed')
    const card = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('Create campaign'),
    )
    expect(card.args.channel).toBe('C0001')
    expect(allText(card.args)).toContain('&lt;!channel&gt; Spring sale')
    // Only the plain_text header may hold the raw name (Slack does not parse mentions there).
    expect(card.args.text).not.toContain('<!channel>')
    expect(allText(card.args.blocks!.slice(1))).not.toContain('<!channel>')
    expect(allText(card.args)).toContain('$50.00/day')
    expect(promoly.simulator!.stats().writes).toBe(before)
    const change = await db.prisma.changeRequest.findFirstOrThrow({ where: { type: 'CREATE_CAMPAIGN' }, orderBy: { createdAt: 'desc' } })
    expect(change.status).toBe('PROPOSED')

    await click(change.id, 'change_approve', MEMBER)
    const refused = await slack.waitFor<ApiCall>(
      'call',
      (c) =>
        c.method === 'chat.postEphemeral' && c.args.user === MEMBER && String(c.args.text).includes('Only Promoly admins and approvers'),
    )
    expect(refused.args.text).toContain('Nothing was changed')
    expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('PROPOSED')

    await click(change.id, 'change_approve', ADMIN)
    await waitUntil(
      'the change is applied',
      async () => (await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status === 'APPLIED',
      20_000,
    )
    expect(promoly.simulator!.stats().writes).toBe(before + 1)
    const stored = await db.prisma.campaign.findFirstOrThrow({ where: { name: '<!channel> Spring sale' } })
    expect(stored.status).toBe('PAUSED')
    expect(stored.dailyBudget).toBe(5000n)
    expect(promoly.simulator!.state.campaign(stored.metaCampaignId)?.status).toBe('PAUSED')
    // This card's update (the optimizer's hourly redraws of other cards are updates too).
    const updated = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'chat.update' && allText(c.args).includes('Applied') && allText(c.args).includes('Spring sale'),
    )
    expect(allText(updated.args)).toContain('status *paused*')
    const audit = await db.prisma.auditEvent.findMany({ where: { targetId: change.id }, orderBy: { createdAt: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['change.proposed', 'change.approved', 'change.applied'])
  })

  it('lists open suggestions and lets an approver dismiss a notice (a member may not)', async () => {
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { status: 'ACTIVE' } })
    const s = await db.prisma.suggestion.create({
      data: {
        workspaceId: (await db.prisma.workspace.findFirstOrThrow()).id,
        adAccountId: campaign.adAccountId,
        campaignId: campaign.id,
        kind: 'creative_fatigue',
        title: '<!here> Creative fatigue',
        // Among the 4 most confident, whatever the optimizer found in the simulated account.
        confidence: 0.999,
        notice: 'Rotate the creatives.',
        metricName: 'ctr',
        metricValue: 0.8,
        metricBaseline: 1.2,
        evidence: [{ label: 'CTR', value: '0.80% (was 1.20%)' }],
      },
    })
    const listed = await command('suggestions')
    await listed.reply()
    const card = await slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) =>
      allText(r.body).includes('Creative fatigue'),
    )
    expect(allText(card.body)).toContain('&lt;!here&gt; Creative fatigue')
    const dismiss = (user: string, url: string) =>
      sendInteraction(
        endpoint,
        SECRET,
        blockActionsPayload({
          userId: user,
          ephemeral: true,
          responseUrl: url,
          action: { action_id: 'suggestion_dismiss', block_id: `suggestion_${s.id}`, value: s.id },
        }),
      )
    await dismiss(MEMBER, slack.responseUrl('dismiss-member'))
    const refused = await slack.waitFor<{ path: string; body: Record<string, unknown> }>(
      'response',
      (r) => r.path === '/response/dismiss-member',
    )
    expect(allText(refused.body)).toContain('Only Promoly admins and approvers')
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('OPEN')
    await dismiss(ADMIN, slack.responseUrl('dismiss-admin'))
    const updated = await slack.waitFor<{ path: string; body: Record<string, unknown> }>(
      'response',
      (r) => r.path === '/response/dismiss-admin',
    )
    expect(updated.body.replace_original).toBe(true)
    expect(allText(updated.body)).toContain('Dismissed')
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('REJECTED')
  })

  it('an edit proposes the new amount in the editor’s name on the same card and never approves it (four eyes)', async () => {
    const workspace = await db.prisma.workspace.findFirstOrThrow()
    const APPROVER = 'UAPPROV01'
    await db.prisma.member.upsert({
      where: { workspaceId_slackUserId: { workspaceId: workspace.id, slackUserId: APPROVER } },
      create: { workspaceId: workspace.id, slackUserId: APPROVER, role: 'APPROVER', roleSetExplicitly: true },
      update: {},
    })
    await db.prisma.workspace.update({
      where: { id: workspace.id },
      data: { settings: { guardrails: { cooldownHours: 0, fourEyesAboveMinor: 0 } } },
    })
    try {
      const campaign = await db.prisma.campaign.findFirstOrThrow({
        where: { status: 'ACTIVE', dailyBudget: { gt: 2000 }, adAccount: { currency: 'USD' } },
        orderBy: { name: 'asc' },
      })
      const budget = Number(campaign.dailyBudget)
      const writes = promoly.simulator!.stats().writes
      await (await command(`budget ${campaign.metaCampaignId} +10%`, MEMBER)).reply()
      const original = await db.prisma.changeRequest.findFirstOrThrow({
        where: { campaignId: campaign.id, status: 'PROPOSED' },
        orderBy: { createdAt: 'desc' },
      })
      const card = await slack.waitFor<ApiCall>('call', (c) => c.method === 'chat.postMessage' && c.result?.ts === original.cardMessageTs)

      await click(original.id, 'change_edit', APPROVER)
      const form = await slack.waitFor<ApiCall>(
        'call',
        (c) =>
          c.method === 'views.open' && c.args.view?.callback_id === 'promoly_edit_change' && allText(c.args.view).includes(original.id),
      )
      const submit = (value: string) =>
        sendInteraction(endpoint, SECRET, {
          type: 'view_submission',
          team: { id: 'T0001', domain: 'fake' },
          user: { id: APPROVER, username: 'approver', name: 'approver', team_id: 'T0001' },
          api_app_id: 'A0001',
          token: 'x',
          trigger_id: '1.2.3',
          is_enterprise_install: false,
          enterprise: null,
          view: { ...form.args.view, id: 'VEDIT', state: { values: { amount: { amount_input: { type: 'plain_text_input', value } } } } },
        })
      // The form reads money like `/promoly budget`, never guessing: `+5` is asked about under the field (the form
      // stays open), another currency is refused, and nothing is proposed.
      const ambiguous = await submit('+5')
      expect(JSON.parse(ambiguous.body)).toEqual({
        response_action: 'errors',
        errors: { amount: 'Did you mean +5 % or +$5.00? Write it with % or $.' },
      })
      const yen = await submit('¥5000')
      expect(JSON.parse(yen.body).errors.amount).toBe(
        "This campaign's budget is in USD; `¥5000` is in JPY. Write the amount in USD, e.g. `$50` or `50 USD`.",
      )
      expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: original.id } })).status).toBe('PROPOSED')
      expect(await db.prisma.changeRequest.count({ where: { replacesId: original.id } })).toBe(0)
      // A percent is relative to the campaign's current budget (not to the proposal being edited).
      const edited = Math.round(budget * 1.2)
      const submitted = await submit('+20%')
      expect(submitted.status).toBe(200)
      await waitUntil(
        'the edited proposal is closed',
        async () => (await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: original.id } })).status !== 'PROPOSED',
        20_000,
      )
      // Never an approval: the edited proposal is closed as replaced, and nothing is written to Meta.
      expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: original.id } })).status).toBe('REJECTED')
      expect(promoly.simulator!.stats().writes).toBe(writes)
      expect(allText(card.args)).toContain('Edit amount…')
      expect(allText(form.args.view)).toContain('"submit":{"type":"plain_text","text":"Propose"}')
      const replacement = await db.prisma.changeRequest.findFirstOrThrow({ where: { replacesId: original.id } })
      expect(replacement).toMatchObject({
        status: 'PROPOSED',
        requestedBySlackUserId: APPROVER,
        proposedValue: { dailyBudgetMinor: edited },
        cardChannelId: 'C0001',
        cardMessageTs: original.cardMessageTs,
      })
      // The same message now shows the new amount, who proposed it and whose proposal it replaced.
      const updated = await slack.waitFor<ApiCall>(
        'call',
        (c) => c.method === 'chat.update' && c.args.ts === original.cardMessageTs && allText(c.args).includes('editing the proposal'),
      )
      expect(allText(updated.args)).toContain(`<@${APPROVER}>, editing the proposal of $${(Math.round(budget * 1.1) / 100).toFixed(2)}`)
      expect(allText(updated.args)).toContain(`by <@${MEMBER}>`)
      expect(allText(updated.args)).toContain(`$${(edited / 100).toFixed(2)}`)

      // Four eyes: the editor's own click does not approve it; an admin's does.
      await click(replacement.id, 'change_approve', APPROVER)
      await slack.waitFor<ApiCall>(
        'call',
        (c) => c.method === 'chat.postEphemeral' && c.args.user === APPROVER && String(c.args.text).includes('Four-eyes rule'),
      )
      expect((await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: replacement.id } })).status).toBe('PROPOSED')
      await click(replacement.id, 'change_approve', ADMIN)
      await waitUntil(
        'the edit is applied',
        async () => (await db.prisma.changeRequest.findUniqueOrThrow({ where: { id: replacement.id } })).status === 'APPLIED',
        20_000,
      )
      expect(promoly.simulator!.state.campaign(campaign.metaCampaignId)?.dailyBudget).toBe(edited)

      // Undo moves money like Approve: a member's click is refused and proposes nothing.
      await click(replacement.id, 'change_undo', MEMBER)
      await slack.waitFor<ApiCall>(
        'call',
        (c) => c.method === 'chat.postEphemeral' && c.args.user === MEMBER && String(c.args.text).includes('can undo a change'),
      )
      expect(await db.prisma.changeRequest.count({ where: { undoOfId: replacement.id } })).toBe(0)

      // The history says the edited proposal was replaced by an edit, not "rejected".
      const history = await (await command(`history ${campaign.metaCampaignId}`)).reply()
      expect(JSON.stringify(history.body)).toContain(`replaced by an edit by <@${APPROVER}>`)
    } finally {
      await db.prisma.workspace.update({ where: { id: workspace.id }, data: { settings: {} } })
    }
  })

  it('refuses a Dismiss that names no suggestion, with a message, and dismisses nothing', async () => {
    const campaign = await db.prisma.campaign.findFirstOrThrow({ where: { status: 'ACTIVE' } })
    const s = await db.prisma.suggestion.create({
      data: {
        workspaceId: (await db.prisma.workspace.findFirstOrThrow()).id,
        adAccountId: campaign.adAccountId,
        campaignId: campaign.id,
        kind: 'budget_pacing',
        title: 'Pacing',
        confidence: 0.9,
        notice: 'Check the pacing.',
        metricName: 'spend',
        metricValue: 1,
      },
    })
    const openBefore = await db.prisma.suggestion.count({ where: { status: 'OPEN' } })
    await sendInteraction(
      endpoint,
      SECRET,
      blockActionsPayload({
        userId: ADMIN,
        ephemeral: true,
        responseUrl: slack.responseUrl('dismiss-no-id'),
        action: { action_id: 'suggestion_dismiss', block_id: 'suggestion_x' },
      }),
    )
    const told = await slack.waitFor<{ path: string; body: Record<string, unknown> }>(
      'response',
      (r) => r.path === '/response/dismiss-no-id',
    )
    expect(allText(told.body)).toContain('does not say which suggestion to dismiss')
    expect(await db.prisma.suggestion.count({ where: { status: 'OPEN' } })).toBe(openBefore)
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('OPEN')
  })

  it('checks the admin role of a connect-accounts submission before anything else', async () => {
    const connection = await db.prisma.metaConnection.findFirstOrThrow()
    const syncing = await db.prisma.adAccount.count({ where: { syncEnabled: true } })
    const sakura = (await db.prisma.adAccount.findFirstOrThrow({ where: { currency: 'JPY' } })).metaAccountId
    const audits = await db.prisma.auditEvent.count()
    const forged = await sendInteraction(endpoint, SECRET, {
      type: 'view_submission',
      team: { id: 'T0001', domain: 'fake' },
      user: { id: MEMBER, username: 'member', name: 'member', team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'x',
      trigger_id: '1.2.3',
      is_enterprise_install: false,
      enterprise: null,
      view: {
        id: 'VFORGED',
        type: 'modal',
        callback_id: 'promoly_connect_accounts',
        private_metadata: JSON.stringify({ connectionId: connection.id }),
        state: { values: { accounts: { accounts_input: { type: 'checkboxes', selected_options: [{ value: sakura }] } } } },
      },
    })
    expect(JSON.parse(forged.body)).toMatchObject({
      response_action: 'errors',
      errors: { accounts: expect.stringContaining('Only Promoly admins can connect Meta accounts') },
    })
    expect(await db.prisma.adAccount.count({ where: { syncEnabled: true } })).toBe(syncing)
    expect(await db.prisma.auditEvent.count()).toBe(audits)
  })

  it('turns bad create input into readable messages, and shows failing guardrails on the card', async () => {
    expect(allText((await command('create "X" leads')).ack)).toContain('Give a name, an objective and a daily budget')
    expect(allText((await command('create "X" world-peace 50 Acme')).ack)).toContain('Unknown objective')
    expect(allText((await command('create "X" constructor 50 Acme')).ack)).toContain('Unknown objective')
    const badBudget = await (await command('create "X" leads fifty Acme')).reply()
    expect(allText(badBudget.body)).toMatch(/amount|number/i)
    const jpyDecimals = await (await command('create "X" leads 500.5 Sakura')).reply()
    expect(allText(jpyDecimals.body)).toContain("JPY amounts can't have decimals")
    const tooLow = await (await command('create "Tiny" leads 0.01 Acme')).reply()
    expect(allText(tooLow.body)).toContain('guardrail would refuse it')
    const card = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'chat.postMessage' && allText(c.args).includes('Create campaign: Tiny'),
    )
    expect(allText(card.args)).toMatch(/:x: below Meta's minimum daily budget of \$5\.00/)
    expect(allText(tooLow.body)).not.toMatch(/at .*\.ts:\d+/) // no stack trace
    // A currency code typed after the amount belongs to the amount, not to the campaign's name.
    const usd = await db.prisma.campaign.findFirstOrThrow({ where: { adAccount: { currency: 'USD' }, dailyBudget: { not: null } } })
    const yen = await (await command(`budget ${usd.metaCampaignId} 5000 JPY`)).reply()
    expect(allText(yen.body)).toContain("This campaign's budget is in USD; `5000 JPY` is in JPY")
    expect(allText(yen.body)).not.toContain('No campaign matches')
    // A currency word after the amount: `yen` is the yen's only (refused here as JPY, never read as the amount or
    // as dollars); `dollars` is several currencies', refused with the forms to write; a code in any case is a code.
    const yenWord = await (await command(`budget ${usd.metaCampaignId} 9000 yen`)).reply()
    expect(allText(yenWord.body)).toContain("This campaign's budget is in USD; `9000 JPY` is in JPY")
    const dollars = await command(`budget ${usd.metaCampaignId} 60 dollars`)
    expect(allText(dollars.ack)).toContain('`dollars` is the name of several currencies')
    const jpy = await db.prisma.campaign.findFirstOrThrow({ where: { adAccount: { currency: 'JPY' }, dailyBudget: { not: null } } })
    const proposedYen = Number(jpy.dailyBudget) + 1000
    const ok = await (await command(`budget ${jpy.metaCampaignId} ${proposedYen} yen`)).reply()
    expect(allText(ok.body)).toContain('Proposed')
    expect(
      await db.prisma.changeRequest.count({ where: { campaignId: jpy.id, proposedValue: { equals: { dailyBudgetMinor: proposedYen } } } }),
    ).toBe(1)
  })

  it('refuses an empty, blank or over-long campaign name inline, saying what is allowed; nothing is proposed (round 4 B4)', async () => {
    const before = await db.prisma.changeRequest.count({ where: { type: 'CREATE_CAMPAIGN' } })
    for (const name of ['""', '"   "', `"${'W'.repeat(201)}"`, `"${'X'.repeat(3500)}"`]) {
      const r = await command(`create ${name} leads 50 Acme`)
      // Answered in the ack, or (before this was checked) in a reply after it.
      const text = Object.keys(r.ack).length > 0 ? allText(r.ack) : allText((await r.reply()).body)
      expect(text).toMatch(/campaign name .*1 to 200 characters/i)
      expect(text).not.toContain('Something went wrong')
    }
    expect(await db.prisma.changeRequest.count({ where: { type: 'CREATE_CAMPAIGN' } })).toBe(before)
  })

  it('opens the create form and validates it like Slack shows it', async () => {
    const r = await command('create', ADMIN)
    expect(r.status).toBe(200)
    const open = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'views.open' && c.args.view?.callback_id === 'promoly_create_campaign',
    )
    const view = open.args.view
    const account = await db.prisma.adAccount.findFirstOrThrow({ where: { currency: 'USD' } })
    const submit = (values: Record<string, Record<string, unknown>>) =>
      sendInteraction(endpoint, SECRET, {
        type: 'view_submission',
        team: { id: 'T0001', domain: 'fake' },
        user: { id: ADMIN, username: 'admin', name: 'admin', team_id: 'T0001' },
        api_app_id: 'A0001',
        token: 'x',
        trigger_id: '1.2.3',
        view: { ...view, id: 'VCREATE', team_id: 'T0001', state: { values } },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      })
    const bad = await submit({
      account: { account_select: { type: 'static_select', selected_option: { value: account.id } } },
      name: { name_input: { type: 'plain_text_input', value: 'Form campaign' } },
      objective: { objective_select: { type: 'static_select', selected_option: { value: 'OUTCOME_TRAFFIC' } } },
      budget: { budget_input: { type: 'plain_text_input', value: 'lots' } },
      special_categories: { special_categories_select: { type: 'multi_static_select', selected_options: [] } },
    })
    expect(bad.status).toBe(200)
    expect(JSON.parse(bad.body)).toMatchObject({ response_action: 'errors', errors: { budget: expect.any(String) } })
    const createsBefore = await db.prisma.changeRequest.count({ where: { type: 'CREATE_CAMPAIGN' } })
    const badCountry = await submit({
      account: { account_select: { type: 'static_select', selected_option: { value: account.id } } },
      name: { name_input: { type: 'plain_text_input', value: 'Form campaign' } },
      objective: { objective_select: { type: 'static_select', selected_option: { value: 'OUTCOME_TRAFFIC' } } },
      budget_level: { budget_level_select: { type: 'radio_buttons', selected_option: { value: 'campaign' } } },
      budget: { budget_input: { type: 'plain_text_input', value: '25' } },
      special_categories: { special_categories_select: { type: 'multi_static_select', selected_options: [{ value: 'HOUSING' }] } },
      special_countries: { special_countries_input: { type: 'plain_text_input', value: 'US, UK' } },
    })
    expect(JSON.parse(badCountry.body)).toEqual({
      response_action: 'errors',
      errors: { special_countries: expect.stringContaining('"UK" (GB is the code for that country) is not an ISO country code') },
    })
    const amountOnAdSets = await submit({
      account: { account_select: { type: 'static_select', selected_option: { value: account.id } } },
      name: { name_input: { type: 'plain_text_input', value: 'Form campaign' } },
      objective: { objective_select: { type: 'static_select', selected_option: { value: 'OUTCOME_TRAFFIC' } } },
      budget_level: { budget_level_select: { type: 'radio_buttons', selected_option: { value: 'ad_sets' } } },
      budget: { budget_input: { type: 'plain_text_input', value: '25' } },
    })
    expect(JSON.parse(amountOnAdSets.body)).toMatchObject({
      response_action: 'errors',
      errors: { budget: expect.stringContaining('Leave this empty') },
    })
    expect(await db.prisma.changeRequest.count({ where: { type: 'CREATE_CAMPAIGN' } })).toBe(createsBefore)
    const good = await submit({
      account: { account_select: { type: 'static_select', selected_option: { value: account.id } } },
      name: { name_input: { type: 'plain_text_input', value: 'Form campaign' } },
      objective: { objective_select: { type: 'static_select', selected_option: { value: 'OUTCOME_TRAFFIC' } } },
      budget: { budget_input: { type: 'plain_text_input', value: '25' } },
      special_categories: { special_categories_select: { type: 'multi_static_select', selected_options: [{ value: 'HOUSING' }] } },
    })
    expect(good.status).toBe(200)
    const posted = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('Form campaign'),
    )
    expect(posted.args.channel).toBe('C0001')
    const change = await db.prisma.changeRequest.findFirstOrThrow({ where: { type: 'CREATE_CAMPAIGN' }, orderBy: { createdAt: 'desc' } })
    expect(change).toMatchObject({
      status: 'PROPOSED',
      proposedValue: {
        name: 'Form campaign',
        objective: 'OUTCOME_TRAFFIC',
        dailyBudgetMinor: 2500,
        specialAdCategories: ['HOUSING'],
        // No countries typed: the ad account's own (Meta's business_country_code).
        specialAdCategoryCountries: ['US'],
        status: 'PAUSED',
      },
    })
    expect(allText(posted.args.blocks)).toContain('special ad category housing in US')

    await submit({
      account: { account_select: { type: 'static_select', selected_option: { value: account.id } } },
      name: { name_input: { type: 'plain_text_input', value: 'Ad set budgets form' } },
      objective: { objective_select: { type: 'static_select', selected_option: { value: 'OUTCOME_TRAFFIC' } } },
      budget_level: { budget_level_select: { type: 'radio_buttons', selected_option: { value: 'ad_sets' } } },
      budget: { budget_input: { type: 'plain_text_input', value: '' } },
    })
    const onAdSets = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('Ad set budgets form'),
    )
    expect(allText(onAdSets.args.blocks)).toContain('budgets on the ad sets (set when they are created)')
    const adSetChange = await db.prisma.changeRequest.findFirstOrThrow({
      where: { type: 'CREATE_CAMPAIGN' },
      orderBy: { createdAt: 'desc' },
    })
    expect(adSetChange.proposedValue).toEqual({
      name: 'Ad set budgets form',
      objective: 'OUTCOME_TRAFFIC',
      specialAdCategories: [],
      specialAdCategoryCountries: [],
      status: 'PAUSED',
    })
  })

  it('connects a Meta token through the two-step modal (admins only)', async () => {
    const refused = await (await command('connect', MEMBER)).reply()
    expect(allText(refused.body)).toContain('Only Promoly admins')
    expect(allText((await command('connect EAAsecret123')).ack)).toContain('Do not paste the token into the command')

    await command('connect', ADMIN)
    const open = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'views.open' && c.args.view?.callback_id === 'promoly_connect_token',
    )
    const base = {
      team: { id: 'T0001', domain: 'fake' },
      user: { id: ADMIN, username: 'admin', name: 'admin', team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'x',
      trigger_id: '1.2.3',
      is_enterprise_install: false,
      enterprise: null,
    }
    const tooShort = await sendInteraction(endpoint, SECRET, {
      ...base,
      type: 'view_submission',
      view: { ...open.args.view, id: 'VCONN', state: { values: { token: { token_input: { type: 'plain_text_input', value: 'short' } } } } },
    })
    expect(JSON.parse(tooShort.body)).toMatchObject({ response_action: 'errors' })
    const ok = await sendInteraction(endpoint, SECRET, {
      ...base,
      type: 'view_submission',
      view: {
        ...open.args.view,
        id: 'VCONN',
        state: { values: { token: { token_input: { type: 'plain_text_input', value: promoly.simulator!.accessToken } } } },
      },
    })
    expect(JSON.parse(ok.body)).toMatchObject({ response_action: 'update' })
    const step2 = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'views.update' && c.args.view?.callback_id === 'promoly_connect_accounts',
    )
    expect(allText(step2.args.view)).toContain('Sakura Cosmetics')
    const sakura = (await db.prisma.adAccount.findFirstOrThrow({ where: { currency: 'JPY' } })).metaAccountId
    const done = await sendInteraction(endpoint, SECRET, {
      ...base,
      type: 'view_submission',
      view: {
        ...step2.args.view,
        id: 'VCONN',
        state: { values: { accounts: { accounts_input: { type: 'checkboxes', selected_options: [{ value: sakura }] } } } },
      },
    })
    expect(done.status).toBe(200)
    const dm = await slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN && String(c.args.text).includes('Connected'),
    )
    expect(dm.args.text).toContain('Sakura Cosmetics')
    const connection = await db.prisma.metaConnection.findFirstOrThrow()
    expect(connection.accessTokenEnc).not.toContain(promoly.simulator!.accessToken)
    // Choosing only Sakura means the other accounts of this token stop syncing.
    expect(await db.prisma.adAccount.count({ where: { syncEnabled: true } })).toBe(1)
    await db.prisma.adAccount.updateMany({ data: { syncEnabled: true } })
  })

  it('queues a sync and reports back when it is done', async () => {
    const r = await command('sync Acme')
    const reply = await r.reply()
    expect(allText(reply.body)).toContain('Syncing 1 ad account')
    const done = await slack.waitFor<ApiCall>('call', (c) => c.method === 'chat.postEphemeral' && String(c.args.text).includes('Synced'))
    expect(done.args.text).toContain('Acme Home Services')
  })

  it('pauses a connection whose token Meta rejects, and says to reconnect', async () => {
    const sim = promoly.simulator!
    // Syncs asked for by earlier tests may still be queued or running on a loaded machine: a new request for the same
    // account joins such a job, which would run (or have started) with the good token. Let them finish first.
    await promoly.queue.drain(60_000)
    const fault = sim.faults.expireToken(sim.accessToken)
    try {
      await (await command('sync Thames')).reply()
      const notice = await slack.waitFor<ApiCall>(
        'call',
        (c) => c.method === 'chat.postEphemeral' && /connect/.test(String(c.args.text)) && String(c.args.text).includes(':warning:'),
        // The sync job waits its turn behind the optimizer runs the earlier syncs queued: on a loaded machine that can
        // take more than the default 10 s.
        30_000,
      )
      expect(notice.args.text).toContain('/promoly connect')
      const connection = await db.prisma.metaConnection.findFirstOrThrow()
      expect(connection.status).toBe('NEEDS_RECONNECT')
      const accounts = await (await command('accounts')).reply()
      expect(allText(accounts.body)).toContain('token rejected by Meta')
      const again = await (await command('sync')).reply()
      expect(allText(again.body)).toContain('No ad account to sync')
    } finally {
      sim.faults.remove(fault)
      await db.prisma.metaConnection.updateMany({ data: { status: 'ACTIVE', statusReason: null } })
    }
  }, 120_000)

  it('answers 401 to a bad signature or a stale timestamp, and never runs the command', async () => {
    const before = slack.responses.length
    const bad = await sendSlashCommand(
      endpoint,
      SECRET,
      { text: 'campaigns', responseUrl: slack.responseUrl() },
      { signature: 'v0=deadbeef' },
    )
    expect(bad.status).toBe(401)
    const stale = Math.floor(Date.now() / 1000) - 10 * 60
    const old = await sendSlashCommand(endpoint, SECRET, { text: 'campaigns', responseUrl: slack.responseUrl() }, { timestamp: stale })
    expect(old.status).toBe(401)
    const wrongSecret = await sendSlashCommand(endpoint, 'not-the-secret', { text: 'help', responseUrl: slack.responseUrl() })
    expect(wrongSecret.status).toBe(401)
    // The same request, signed right, is accepted: the 401s above were the signature's doing.
    const good = await sendSlashCommand(endpoint, SECRET, { text: 'help', responseUrl: slack.responseUrl() })
    expect(good.status).toBe(200)
    await new Promise((r) => setTimeout(r, 200))
    expect(slack.responses.length).toBe(before)
  })

  it('serves health and readiness', async () => {
    const base = endpoint.replace('/slack/events', '')
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    const ready = await fetch(`${base}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', queue: 'ok' } })
  })
})
