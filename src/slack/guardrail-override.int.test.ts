/**
 * A change a guardrail refuses (issue 11 §6): its card has no plain Approve, only Override…; an approver who is not an
 * admin is told why (and a forged Approve click is refused), an admin's override with a reason applies it and is
 * audited with the reason. End to end over signed HTTP against a fake Slack and the Meta simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockActionsPayload, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { waitUntil } from '../../test/support/net.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'

const SECRET = 'test-signing-secret'
const ADMIN = 'UADMIN01'
const APPROVER = 'UAPPROV01'
const MEMBER = 'UMEMBER1'

type ApiCall = {
  method: string
  result?: Record<string, unknown>
  args: { text?: string; user?: string; blocks?: unknown[]; view?: { callback_id?: string; [k: string]: unknown }; [k: string]: unknown }
}
type Element = { action_id: string; text: { text: string }; value?: string }

describe('guardrail override through Slack', () => {
  let app: PromolyOnFakeSlack
  let n = 0

  beforeAll(async () => {
    app = await startPromolyOnFakeSlack({ signingSecret: SECRET, slackUsers: { [ADMIN]: { is_admin: true } } })
    const workspace = await app.db.prisma.workspace.findFirstOrThrow()
    await app.db.prisma.member.upsert({
      where: { workspaceId_slackUserId: { workspaceId: workspace.id, slackUserId: APPROVER } },
      create: { workspaceId: workspace.id, slackUserId: APPROVER, role: 'APPROVER', roleSetExplicitly: true },
      update: {},
    })
    await app.db.prisma.workspace.update({
      where: { id: workspace.id },
      data: { settings: { guardrails: { cooldownHours: 0, fourEyesAboveMinor: null, maxBudgetChangePct: 30 } } },
    })
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
  })

  async function command(text: string, userId: string) {
    const id = `r${++n}`
    await sendSlashCommand(app.endpoint, SECRET, { text, responseUrl: app.slack.responseUrl(id), userId })
    return app.slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) => r.path === `/response/${id}`)
  }

  function click(changeId: string, actionId: string, userId: string) {
    return sendInteraction(
      app.endpoint,
      SECRET,
      blockActionsPayload({
        userId,
        responseUrl: app.slack.responseUrl(),
        action: { action_id: actionId, block_id: `change_${changeId}`, value: changeId },
      }),
    )
  }

  it('offers only Override…, refuses non-admins with the reason, and applies an admin override with its reason, audited', async () => {
    const { prisma } = app.db
    const campaign = await prisma.campaign.findFirstOrThrow({
      where: { status: 'ACTIVE', dailyBudget: { gt: 2000 }, adAccount: { currency: 'USD' } },
      orderBy: { name: 'asc' },
    })
    const budget = Number(campaign.dailyBudget)
    await command(`budget ${campaign.metaCampaignId} +50%`, MEMBER)
    const change = await prisma.changeRequest.findFirstOrThrow({
      where: { campaignId: campaign.id, status: 'PROPOSED' },
      orderBy: { createdAt: 'desc' },
    })
    const card = await app.slack.waitFor<ApiCall>('call', (c) => c.method === 'chat.postMessage' && c.result?.ts === change.cardMessageTs)
    const elements = (card.args.blocks as Array<{ type: string; elements?: Element[] }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
    expect(elements.map((e) => e.action_id)).not.toContain('change_approve')
    expect(elements.find((e) => e.action_id === 'change_approve_note')?.text.text).toBe('Override…')
    expect(JSON.stringify(card.args.blocks)).toContain('exceeds the ±30% limit per change')

    // An approver who is not an admin: Override… tells them why, and a forged Approve click changes nothing.
    await click(change.id, 'change_approve_note', APPROVER)
    const told = await app.slack.waitFor<ApiCall>(
      'call',
      (c) =>
        c.method === 'chat.postEphemeral' && c.args.user === APPROVER && String(c.args.text).includes('only a Promoly admin can override'),
    )
    expect(told.args.text).toContain('Nothing was changed')
    await click(change.id, 'change_approve', APPROVER)
    await app.slack.waitFor<ApiCall>(
      'call',
      (c) => c.method === 'chat.postEphemeral' && c.args.user === APPROVER && String(c.args.text).includes('Refused by guardrails'),
    )
    expect((await prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status).toBe('PROPOSED')

    // The admin's Override… opens the form naming the action and amounts; the reason applies it.
    const writes = app.promoly.simulator!.stats().writes
    await click(change.id, 'change_approve_note', ADMIN)
    const form = await app.slack.waitFor<ApiCall>(
      'call',
      (c) =>
        c.method === 'views.open' && c.args.view?.callback_id === 'promoly_approve_note' && JSON.stringify(c.args.view).includes(change.id),
    )
    const dollars = (m: number) => `$${(m / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
    expect(JSON.stringify(form.args.view)).toContain(`Budget ${dollars(budget)} → ${dollars(Math.round(budget * 1.5))}/day`)
    expect(JSON.stringify(form.args.view)).toContain('Refused by: +50% exceeds')
    const reason = 'Black Friday push agreed with the client'
    const submitted = await sendInteraction(app.endpoint, SECRET, {
      type: 'view_submission',
      team: { id: 'T0001', domain: 'fake' },
      user: { id: ADMIN, username: 'admin', name: 'admin', team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'x',
      trigger_id: '1.2.3',
      is_enterprise_install: false,
      enterprise: null,
      view: {
        ...form.args.view,
        id: 'VOVERRIDE',
        state: { values: { override: { override_input: { type: 'plain_text_input', value: reason } } } },
      },
    })
    expect(submitted.status).toBe(200)
    await waitUntil(
      'the overridden change is applied',
      async () => (await prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })).status === 'APPLIED',
      20_000,
    )
    expect(app.promoly.simulator!.stats().writes).toBe(writes + 1)
    const stored = await prisma.changeRequest.findUniqueOrThrow({ where: { id: change.id } })
    expect(stored).toMatchObject({ decidedBySlackUserId: ADMIN, overrideReason: reason })
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: change.id, action: 'change.approved_with_override' } })
    expect(audit.actorId).toBe(ADMIN)
    expect(audit.data).toMatchObject({ overrideReason: reason, overridden: ['max_budget_change'] })
  })
})
