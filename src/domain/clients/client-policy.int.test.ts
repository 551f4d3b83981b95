/**
 * A client's settings at work, on real PostgreSQL against the Meta simulator: its approvers decide its changes
 * (and no other client's), its guardrail overrides apply to its accounts, its targets per result type and
 * currency are what the optimizer judges against (the default client keeps the workspace's old target).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { simulatorMetaApi, testDomainDeps } from '../../../test/support/domain-deps.ts'
import { createAdAccount } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Member } from '../../generated/prisma/client.ts'
import { type MetaSimulator, startMetaSimulator } from '../../integrations/meta-sim/index.ts'
import { isAppError } from '../../lib/errors.ts'
import { approveChange, rejectChange } from '../changes/decide-change.ts'
import { editChange } from '../changes/edit-change.ts'
import { proposeChange } from '../changes/propose-change.ts'
import { ensureDefaultConnection } from '../connections/ensure-default-connection.ts'
import type { DomainDeps } from '../deps.ts'
import type { SlackStanding } from '../members/slack-standing.ts'
import { parseSettings } from '../settings/workspace-settings.ts'
import { syncAdAccount } from '../sync/sync-ad-account.ts'
import { clientSettingsSchema } from './client-settings.ts'
import { optimizerTargets } from './client-targets.ts'
import { addClient } from './manage-clients.ts'
import { moveAdAccount } from './move-ad-account.ts'
import { getClientSettings, updateClientSettings } from './update-client-settings.ts'

const serverUrl = requirePostgresUrl()
const START = new Date('2026-11-25T15:00:00Z')
const ADMIN = 'UADMIN001'
const ACME_APPROVER = 'UACMEAPP1'
const GLOBEX_APPROVER = 'UGLOBAPP1'

describe.skipIf(!serverUrl)('client settings at work', () => {
  let db: TestDatabase
  let sim: MetaSimulator
  let deps: DomainDeps
  let worlds = 0
  let workspaceId: string
  let acmeId: string
  let globexId: string
  /** Acme's account, synced from the simulator (USD), and its campaigns with budgets. */
  let campaigns: Array<{ id: string; dailyBudget: bigint | null }>
  let admin: Member
  const standing: Record<string, SlackStanding> = { UBOT00001: 'bot', UGUEST001: 'guest' }
  const standingOf = async (id: string): Promise<SlackStanding> => standing[id] ?? 'member'
  const as = { actorSlackUserId: ADMIN }

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
  })
  afterAll(async () => {
    await db?.drop()
  })

  beforeEach(async () => {
    sim = await startMetaSimulator({
      now: () => START,
      accounts: [{ id: '771', name: 'Acme shop', currency: 'USD', timezoneName: 'America/New_York', campaigns: 6 }],
    })
    deps = testDomainDeps({ prisma: db.prisma, meta: simulatorMetaApi(sim, { sleep: async () => {}, maxWaitMs: 0 }), now: () => START })
    workspaceId = (
      await db.prisma.workspace.create({ data: { slackTeamId: `TCLIENTPOL${++worlds}`, settings: { guardrails: { cooldownHours: 0 } } } })
    ).id
    admin = await db.prisma.member.create({ data: { workspaceId, slackUserId: ADMIN, role: 'ADMIN' } })
    const [account] = await ensureDefaultConnection(deps, workspaceId, { token: sim.accessToken, label: 'sim' })
    await syncAdAccount(deps, { adAccountId: account!.id })
    acmeId = (await addClient(db.prisma, { workspaceId, ...as, name: 'Acme' })).id
    globexId = (await addClient(db.prisma, { workspaceId, ...as, name: 'Globex' })).id
    await moveAdAccount(db.prisma, { workspaceId, ...as, adAccountId: account!.id, toClientId: acmeId })
    campaigns = await db.prisma.campaign.findMany({
      where: { adAccountId: account!.id, dailyBudget: { not: null } },
      orderBy: { name: 'asc' },
    })
    expect(campaigns.length).toBeGreaterThanOrEqual(3)
  })
  afterEach(async () => {
    await sim?.close()
  })

  const save = (clientId: string, settings: Record<string, unknown>, channels: { suggestions?: string; alerts?: string } = {}) =>
    updateClientSettings(deps, {
      workspaceId,
      ...as,
      clientId,
      suggestionsChannelId: channels.suggestions ?? null,
      alertsChannelId: channels.alerts ?? null,
      settings: clientSettingsSchema.parse(settings),
      standingOf,
    })

  const budgetChange = (pct: number, campaign = campaigns[0]!) =>
    proposeChange(deps, {
      workspaceId,
      type: 'SET_DAILY_BUDGET',
      source: 'COMMAND',
      campaignId: campaign.id,
      proposedValue: { dailyBudgetMinor: Math.round(Number(campaign.dailyBudget) * (1 + pct / 100)) },
      requestedBySlackUserId: 'USOMEONE1',
    })

  const memberRow = (slackUserId: string) => db.prisma.member.create({ data: { workspaceId, slackUserId, role: 'MEMBER' } })

  it("lets a client's approver approve that client's changes, and not another client's", async () => {
    await save(acmeId, { approverUserIds: [ACME_APPROVER] })
    await save(globexId, { approverUserIds: [GLOBEX_APPROVER] })
    const acmeApprover = await memberRow(ACME_APPROVER)
    const globexApprover = await memberRow(GLOBEX_APPROVER)
    const change = await budgetChange(10)
    await expect(approveChange(deps, { workspaceId, changeId: change.id, member: globexApprover })).rejects.toThrow(
      /approvers of this ad account's client/,
    )
    await expect(rejectChange(deps, { workspaceId, changeId: change.id, member: globexApprover })).rejects.toThrow(
      /approvers of this ad account's client/,
    )
    const edit = { workspaceId, changeId: change.id, budgetMinor: Math.round(Number(campaigns[0]!.dailyBudget) * 1.05) }
    await expect(editChange(deps, { ...edit, member: globexApprover })).rejects.toThrow(/its client’s approvers/)
    const approved = await approveChange(deps, { workspaceId, changeId: change.id, member: acmeApprover })
    expect(approved).toMatchObject({ transitioned: true, change: { status: 'APPROVED', decidedBySlackUserId: ACME_APPROVER } })
    // The admin still decides every client's changes.
    expect(
      (await rejectChange(deps, { workspaceId, changeId: (await budgetChange(10, campaigns[1])).id, member: admin })).transitioned,
    ).toBe(true)
  })

  it('refuses bots and guests as client approvers, and a looser guardrail than the workspace allows', async () => {
    const refusal = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      )
      return isAppError(err) ? err.userMessage : String(err)
    }
    expect(await refusal(save(acmeId, { approverUserIds: ['UBOT00001'] }))).toContain('is a bot')
    expect(await refusal(save(acmeId, { approverUserIds: ['UGUEST001'] }))).toContain('is a guest')
    expect(await refusal(save(acmeId, { guardrails: { maxBudgetChangePct: 50 } }))).toContain("At most the workspace's 30 %")
    // Stricter is fine (the workspace's cooldown here is 0 hours).
    await expect(save(acmeId, { guardrails: { maxBudgetChangePct: 20, cooldownHours: 4 } })).resolves.toBeUndefined()
    expect((await getClientSettings(db.prisma, workspaceId, acmeId)).settings).toMatchObject({
      approverUserIds: [],
      guardrails: { maxBudgetChangePct: 20, cooldownHours: 4 },
    })
  })

  it("applies the client's stricter guardrail to its accounts", async () => {
    expect((await budgetChange(25)).guardrails).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'max_budget_change', ok: true })]),
    )
    await save(acmeId, { guardrails: { maxBudgetChangePct: 10 } })
    const change = await budgetChange(25, campaigns[1])
    expect(change.guardrails).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'max_budget_change', ok: false })]))
    await expect(approveChange(deps, { workspaceId, changeId: change.id, member: admin })).rejects.toThrow(/exceeds the ±10% limit/)
  })

  it('binds the chosen suggestions and alerts channels to the client, and refuses a channel of another client', async () => {
    await save(acmeId, {}, { suggestions: 'C0ACMESUG', alerts: 'C0ACMEALR' })
    expect(
      (await db.prisma.clientChannel.findMany({ where: { clientId: acmeId }, orderBy: { channelId: 'asc' } })).map((c) => c.channelId),
    ).toEqual(['C0ACMEALR', 'C0ACMESUG'])
    await expect(save(globexId, {}, { suggestions: 'C0ACMESUG' })).rejects.toThrow(/already belongs to the client \*Acme\*/)
    expect(
      (await db.prisma.auditEvent.findFirstOrThrow({ where: { workspaceId, action: 'client.settings_updated', targetId: acmeId } })).data,
    ).toMatchObject({
      after: { suggestionsChannelId: 'C0ACMESUG', alertsChannelId: 'C0ACMEALR' },
    })
  })

  it("gives the optimizer the client's target per result type in the account's currency; the default client keeps the workspace's", async () => {
    await save(acmeId, {
      targets: [
        { result: 'leads', currency: 'USD', costPerResultMinor: 1_200 },
        { result: 'purchases', currency: 'USD', costPerResultMinor: 4_000, roas: 3 },
        { result: 'leads', currency: 'EUR', costPerResultMinor: 900 },
      ],
    })
    const workspace = parseSettings({ moneyCurrency: 'USD', optimizer: { targetCostPerResultMinor: 2_500, targetRoas: 2 } })
    const acmeUsd = await db.prisma.adAccount.findFirstOrThrow({ where: { clientId: acmeId } })
    expect(await optimizerTargets(db.prisma, workspace, acmeUsd)).toEqual({
      byResult: { leads: { costPerResultMinor: 1_200, roas: undefined }, purchases: { costPerResultMinor: 4_000, roas: 3 } },
    })
    const acmeEur = await createAdAccount(db.prisma, { workspaceId, clientId: acmeId, currency: 'EUR' })
    expect(await optimizerTargets(db.prisma, workspace, acmeEur)).toEqual({
      byResult: { leads: { costPerResultMinor: 900, roas: undefined } },
    })
    // Another client never inherits the workspace's single target; the default client does (older installs keep theirs).
    const globexUsd = await createAdAccount(db.prisma, { workspaceId, clientId: globexId, currency: 'USD' })
    expect(await optimizerTargets(db.prisma, workspace, globexUsd)).toEqual({ byResult: {} })
    const house = await createAdAccount(db.prisma, { workspaceId, currency: 'USD' })
    expect(await optimizerTargets(db.prisma, workspace, house)).toEqual({ byResult: {}, targetCostPerResultMinor: 2_500, targetRoas: 2 })
    const houseEur = await createAdAccount(db.prisma, { workspaceId, currency: 'EUR' })
    expect((await optimizerTargets(db.prisma, workspace, houseEur)).targetCostPerResultMinor).toBeUndefined()
    expect(await getClientSettings(db.prisma, workspaceId, acmeId)).toMatchObject({ currencies: ['EUR', 'USD'] })
  })
})
