/** Dismissing a suggestion: who may, once only, and its audit event written with it or not at all. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { dismissSuggestion } from './dismiss-suggestion.ts'

describe('dismissSuggestion', () => {
  let db: TestDatabase
  let workspaceId: string
  let otherWorkspaceId: string
  let campaign: { id: string; adAccountId: string }
  const now = new Date('2026-03-02T10:00:00Z')
  const deps = () => ({ prisma: db.prisma, now: () => now })
  const approver = { role: 'APPROVER' as const, slackUserId: 'UAPPROVER' }

  beforeAll(async () => {
    db = await createTestDatabase()
    workspaceId = (await createWorkspace(db.prisma)).id
    otherWorkspaceId = (await createWorkspace(db.prisma)).id
    const account = await createAdAccount(db.prisma, { workspaceId })
    campaign = await createCampaign(db.prisma, account.id, { name: 'Spring sale' })
  })

  afterAll(async () => {
    await db?.drop()
  })

  const openSuggestion = (inWorkspace = workspaceId) =>
    db.prisma.suggestion.create({
      data: {
        workspaceId: inWorkspace,
        adAccountId: campaign.adAccountId,
        campaignId: campaign.id,
        kind: 'creative_fatigue',
        title: 'Creative fatigue',
        confidence: 0.9,
        metricName: 'ctr',
        metricValue: 0.8,
      },
    })
  const auditOf = (id: string) => db.prisma.auditEvent.findMany({ where: { targetId: id } })

  it('rejects an open suggestion once, with one audit event naming who dismissed it', async () => {
    const s = await openSuggestion()
    const first = await dismissSuggestion(deps(), { workspaceId, suggestionId: s.id, member: approver })
    expect(first).toMatchObject({
      dismissed: true,
      campaignName: 'Spring sale',
      suggestion: { id: s.id, status: 'REJECTED', rejectedAt: now },
    })
    const again = await dismissSuggestion(deps(), { workspaceId, suggestionId: s.id, member: { role: 'ADMIN', slackUserId: 'UADMIN' } })
    expect(again).toMatchObject({ dismissed: false, suggestion: { status: 'REJECTED' } })
    const audit = await auditOf(s.id)
    expect(audit.map((a) => [a.action, a.actorId, a.workspaceId])).toEqual([['suggestion.dismissed', 'UAPPROVER', workspaceId]])
  })

  it('refuses a member and leaves the suggestion open', async () => {
    const s = await openSuggestion()
    await expect(
      dismissSuggestion(deps(), { workspaceId, suggestionId: s.id, member: { role: 'MEMBER', slackUserId: 'UMEMBER' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('OPEN')
    expect(await auditOf(s.id)).toEqual([])
  })

  it("does not touch another workspace's suggestion", async () => {
    const s = await openSuggestion(otherWorkspaceId)
    expect(await dismissSuggestion(deps(), { workspaceId, suggestionId: s.id, member: approver })).toBeNull()
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('OPEN')
  })

  it('refuses a dismiss without a suggestion id and leaves every suggestion open', async () => {
    const open = [await openSuggestion(), await openSuggestion()]
    for (const suggestionId of [undefined as unknown as string, '', '  ']) {
      await expect(dismissSuggestion(deps(), { workspaceId, suggestionId, member: approver })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        userMessage: expect.stringContaining('nothing was dismissed'),
      })
    }
    const after = await db.prisma.suggestion.findMany({ where: { id: { in: open.map((s) => s.id) } } })
    expect(after.map((s) => s.status)).toEqual(['OPEN', 'OPEN'])
    expect(await db.prisma.auditEvent.count({ where: { action: 'suggestion.dismissed', targetId: { in: open.map((s) => s.id) } } })).toBe(0)
  })

  it('leaves the suggestion open when its audit event cannot be written (one transaction)', async () => {
    const s = await openSuggestion()
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_dismiss_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'suggestion.dismissed' THEN RAISE EXCEPTION 'audit log unavailable'; END IF; RETURN NEW; END $$`)
    await db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_dismiss_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION refuse_dismiss_audit()`,
    )
    try {
      await expect(dismissSuggestion(deps(), { workspaceId, suggestionId: s.id, member: approver })).rejects.toThrow(
        /audit log unavailable/,
      )
    } finally {
      await db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_dismiss_audit ON "AuditEvent"')
      await db.prisma.$executeRawUnsafe('DROP FUNCTION refuse_dismiss_audit()')
    }
    expect((await db.prisma.suggestion.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('OPEN')
    // Once the audit log is back, the same click works.
    expect(await dismissSuggestion(deps(), { workspaceId, suggestionId: s.id, member: approver })).toMatchObject({ dismissed: true })
    expect((await auditOf(s.id)).map((a) => a.action)).toEqual(['suggestion.dismissed'])
  })
})
