/**
 * Client management on real PostgreSQL (issue 11 §1 and its "Bad input"): admins add, rename, remove and move;
 * removing asks first (a preview of what it affects), then pauses the client's digests and names their creators;
 * a moved account takes its history and suggestions along and leaves the old client's channel; a channel
 * belongs to one client at a time; everything is audited, and nobody else may do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdAccount, createCampaign, createWorkspace } from '../../../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../test/support/test-database.ts'
import { isAppError } from '../../lib/errors.ts'
import { channelDigestAccounts } from '../digests/list-digest-subscriptions.ts'
import { findClientByName } from './client-admin.ts'
import { bindChannel, unbindChannel } from './client-channels.ts'
import { accountsInScope, scopeForChannel } from './client-scope.ts'
import { ensureDefaultClient } from './default-client.ts'
import { listClients } from './list-clients.ts'
import { addClient, renameClient } from './manage-clients.ts'
import { moveAdAccount } from './move-ad-account.ts'
import { previewClientRemoval, removeClient } from './remove-client.ts'

const serverUrl = requirePostgresUrl()
const NOW = new Date('2026-11-25T15:00:00Z')
const ADMIN = 'UADMIN001'
const APPROVER = 'UAPPROVE1'

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`)
  return { code: err.code, message: err.userMessage }
}

describe.skipIf(!serverUrl)('clients', () => {
  let db: TestDatabase
  let workspaceId: string
  const as = (actorSlackUserId = ADMIN) => ({ workspaceId, actorSlackUserId })

  beforeAll(async () => {
    db = await createPostgresTestDatabase(serverUrl!)
  })

  afterAll(async () => {
    await db?.drop()
  })

  async function freshWorkspace() {
    const ws = await createWorkspace(db.prisma, { name: 'Agency' })
    workspaceId = ws.id
    await db.prisma.member.createMany({
      data: [
        { workspaceId, slackUserId: ADMIN, role: 'ADMIN' },
        { workspaceId, slackUserId: APPROVER, role: 'APPROVER' },
      ],
    })
    return ws
  }

  it('adds clients with unique, valid names, lists them with their accounts and channels, and audits it', async () => {
    await freshWorkspace()
    await createAdAccount(db.prisma, { workspaceId, name: 'House ads' })
    const acme = await addClient(db.prisma, { ...as(), name: '  Acme   Corp ' })
    expect(acme).toMatchObject({ name: 'Acme Corp', isDefault: false })
    expect(await refusal(addClient(db.prisma, { ...as(), name: 'acme corp' }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already a client called *Acme Corp*'),
    })
    expect((await refusal(addClient(db.prisma, { ...as(), name: '' }))).code).toBe('BAD_INPUT')
    expect((await refusal(addClient(db.prisma, { ...as(), name: 'x'.repeat(81) }))).message).toContain('at most 80 characters')
    expect((await refusal(addClient(db.prisma, { ...as(), name: '<!channel>' }))).code).toBe('BAD_INPUT')
    await createAdAccount(db.prisma, { workspaceId, clientId: acme.id, name: 'Acme EU' })
    await bindChannel(db.prisma, { ...as(), channelId: 'C0ACME001', clientId: acme.id })

    const list = await listClients(db.prisma, workspaceId)
    expect(list.map((c) => [c.name, c.isDefault, c.accounts.map((a) => a.name), c.channelIds])).toEqual([
      ['Agency', true, ['House ads'], []],
      ['Acme Corp', false, ['Acme EU'], ['C0ACME001']],
    ])
    const audit = await db.prisma.auditEvent.findMany({
      where: { workspaceId, action: { startsWith: 'client.' } },
      orderBy: { createdAt: 'asc' },
    })
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([
      ['client.added', ADMIN],
      ['client.channel_bound', ADMIN],
    ])
  })

  it('refuses everyone but an admin, and changes nothing', async () => {
    await freshWorkspace()
    const acme = await addClient(db.prisma, { ...as(), name: 'Acme' })
    const account = await createAdAccount(db.prisma, { workspaceId })
    for (const attempt of [
      addClient(db.prisma, { ...as(APPROVER), name: 'Globex' }),
      renameClient(db.prisma, { ...as(APPROVER), clientId: acme.id, name: 'Acme 2' }),
      previewClientRemoval(db.prisma, { ...as(APPROVER), clientId: acme.id }),
      removeClient(db.prisma, { ...as('USTRANGER'), clientId: acme.id, now: NOW }),
      moveAdAccount(db.prisma, { ...as(APPROVER), adAccountId: account.id, toClientId: acme.id }),
      bindChannel(db.prisma, { ...as(APPROVER), channelId: 'C0X', clientId: acme.id }),
      unbindChannel(db.prisma, { ...as(APPROVER), channelId: 'C0X' }),
    ])
      expect(await refusal(attempt)).toEqual({ code: 'FORBIDDEN', message: 'Only Promoly admins can manage clients. Nothing was changed.' })
    expect((await listClients(db.prisma, workspaceId)).map((c) => c.name)).toEqual(['Agency', 'Acme'])
    expect((await db.prisma.adAccount.findUniqueOrThrow({ where: { id: account.id } })).clientId).not.toBe(acme.id)
  })

  it('renames a client (the default too) to a free name, audited with before and after', async () => {
    await freshWorkspace()
    const acme = await addClient(db.prisma, { ...as(), name: 'Acme' })
    await addClient(db.prisma, { ...as(), name: 'Globex' })
    expect((await refusal(renameClient(db.prisma, { ...as(), clientId: acme.id, name: 'GLOBEX' }))).code).toBe('CONFLICT')
    await renameClient(db.prisma, { ...as(), clientId: acme.id, name: 'Acme Industries' })
    const fallback = await ensureDefaultClient(db.prisma, workspaceId)
    await renameClient(db.prisma, { ...as(), clientId: fallback.id, name: 'In-house' })
    expect((await listClients(db.prisma, workspaceId)).map((c) => c.name)).toEqual(['In-house', 'Acme Industries', 'Globex'])
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { workspaceId, action: 'client.renamed', targetId: acme.id } })
    expect(audit.data).toEqual({ before: 'Acme', after: 'Acme Industries' })
    // Found by any part of its name when only one matches.
    expect((await findClientByName(db.prisma, workspaceId, 'industries')).id).toBe(acme.id)
    expect((await refusal(findClientByName(db.prisma, workspaceId, 'Initech'))).message).toContain(
      '*In-house*, *Acme Industries*, *Globex*',
    )
  })

  it('asks before removing a client, then moves its accounts to the default, unbinds its channels and pauses its digests', async () => {
    await freshWorkspace()
    const fallback = await ensureDefaultClient(db.prisma, workspaceId)
    const acme = await addClient(db.prisma, { ...as(), name: 'Acme' })
    const acmeEu = await createAdAccount(db.prisma, { workspaceId, clientId: acme.id, name: 'Acme EU' })
    const house = await createAdAccount(db.prisma, { workspaceId, name: 'House' })
    await bindChannel(db.prisma, { ...as(), channelId: 'C0ACME001', clientId: acme.id })
    const sub = (channelId: string, adAccountIds: string[], createdBySlackUserId: string) =>
      db.prisma.digestSubscription.create({
        data: { workspaceId, channelId, localTime: '09:00', timeZone: 'Europe/Berlin', adAccountIds, createdBySlackUserId },
      })
    const inChannel = await sub('C0ACME001', [], 'UCREATOR1')
    const listingAcme = await sub('C0ELSE001', [acmeEu.id], 'UCREATOR2')
    const alsoInChannel = await sub('C0ACME001', [acmeEu.id], 'UCREATOR1')
    const mixed = await sub('C0ELSE001', [acmeEu.id, house.id], 'UCREATOR3')

    expect((await refusal(previewClientRemoval(db.prisma, { ...as(), clientId: fallback.id }))).message).toContain('default client')
    const preview = await previewClientRemoval(db.prisma, { ...as(), clientId: acme.id })
    expect(preview).toMatchObject({
      client: { id: acme.id, name: 'Acme' },
      defaultClient: { id: fallback.id },
      accounts: [{ id: acmeEu.id, name: 'Acme EU' }],
      channelIds: ['C0ACME001'],
    })
    expect(preview.subscriptions.map((s) => s.id).sort()).toEqual([inChannel.id, listingAcme.id, alsoInChannel.id].sort())
    // Asking changed nothing.
    expect(await db.prisma.client.count({ where: { id: acme.id } })).toBe(1)

    const removed = await removeClient(db.prisma, { ...as(), clientId: acme.id, now: NOW })
    expect(removed.creatorsToTell).toEqual(
      expect.arrayContaining([
        { slackUserId: 'UCREATOR1', channelIds: ['C0ACME001'] },
        { slackUserId: 'UCREATOR2', channelIds: ['C0ELSE001'] },
      ]),
    )
    expect(removed.creatorsToTell).toHaveLength(2)
    expect(await db.prisma.client.count({ where: { id: acme.id } })).toBe(0)
    expect((await db.prisma.adAccount.findUniqueOrThrow({ where: { id: acmeEu.id } })).clientId).toBe(fallback.id)
    expect(await db.prisma.clientChannel.count({ where: { workspaceId } })).toBe(0)
    const subs = await db.prisma.digestSubscription.findMany({ where: { workspaceId } })
    const byId = new Map(subs.map((s) => [s.id, s]))
    for (const s of [inChannel, listingAcme, alsoInChannel]) {
      expect(byId.get(s.id)?.status).toBe('PAUSED')
      expect(byId.get(s.id)?.pausedReason).toContain('*Acme* was removed')
    }
    expect(byId.get(mixed.id)?.status).toBe('ACTIVE')
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { workspaceId, action: 'client.removed' } })
    expect(audit).toMatchObject({ actorId: ADMIN, targetId: acme.id })
  })

  it("moves an account: its history and suggestions follow, the old client's channel no longer lists it, and its digests drop it", async () => {
    await freshWorkspace()
    const acme = await addClient(db.prisma, { ...as(), name: 'Acme' })
    const globex = await addClient(db.prisma, { ...as(), name: 'Globex' })
    const moving = await createAdAccount(db.prisma, { workspaceId, clientId: acme.id, name: 'Shared shop' })
    const staying = await createAdAccount(db.prisma, { workspaceId, clientId: acme.id, name: 'Acme EU' })
    const campaign = await createCampaign(db.prisma, moving.id)
    await db.prisma.campaignDailyMetric.create({
      data: { adAccountId: moving.id, campaignId: campaign.id, date: new Date('2026-11-20'), spend: 1000n },
    })
    const suggestion = await db.prisma.suggestion.create({
      data: {
        workspaceId,
        adAccountId: moving.id,
        campaignId: campaign.id,
        kind: 'low_ctr',
        title: 'Low CTR',
        confidence: 0.9,
        metricName: 'ctr',
        metricValue: 0.4,
      },
    })
    await bindChannel(db.prisma, { ...as(), channelId: 'C0ACME001', clientId: acme.id })
    await bindChannel(db.prisma, { ...as(), channelId: 'C0GLOBEX1', clientId: globex.id })
    const both = await db.prisma.digestSubscription.create({
      data: { workspaceId, channelId: 'C0ACME001', localTime: '09:00', timeZone: 'UTC', adAccountIds: [moving.id, staying.id] },
    })
    const only = await db.prisma.digestSubscription.create({
      data: {
        workspaceId,
        channelId: 'C0ACME001',
        localTime: '10:00',
        timeZone: 'UTC',
        adAccountIds: [moving.id],
        createdBySlackUserId: 'UCREATOR1',
      },
    })

    const moved = await moveAdAccount(db.prisma, { ...as(), adAccountId: moving.id, toClientId: globex.id })
    expect(moved).toMatchObject({ from: { name: 'Acme' }, to: { name: 'Globex' }, subscriptionsTrimmed: 2 })
    expect(moved.subscriptionsPaused).toEqual([{ id: only.id, channelId: 'C0ACME001', createdBySlackUserId: 'UCREATOR1' }])

    const inScope = async (channelId: string) =>
      (await db.prisma.adAccount.findMany({ where: accountsInScope(await scopeForChannel(db.prisma, workspaceId, channelId)) })).map(
        (a) => a.name,
      )
    expect(await inScope('C0ACME001')).toEqual(['Acme EU'])
    expect((await inScope('C0GLOBEX1')).sort()).toEqual(['Shared shop'])
    // History and suggestions reference the account, so they went with it.
    const globexAccounts = { adAccount: { clientId: globex.id } }
    const globexAccountIds = async () => (await db.prisma.adAccount.findMany({ where: { clientId: globex.id } })).map((a) => a.id)
    expect(await db.prisma.campaignDailyMetric.count({ where: globexAccounts })).toBe(1)
    expect((await db.prisma.suggestion.findFirstOrThrow({ where: { adAccountId: { in: await globexAccountIds() } } })).id).toBe(
      suggestion.id,
    )
    expect((await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: both.id } })).adAccountIds).toEqual([staying.id])
    expect(await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: only.id } })).toMatchObject({
      status: 'PAUSED',
      pausedReason: expect.stringContaining('moved from *Acme* to another client'),
    })
    expect(await db.prisma.auditEvent.count({ where: { workspaceId, action: 'client.account_moved', targetId: moving.id } })).toBe(1)
  })

  it('binds a channel to one client at a time; unbinding frees it and clears the client channel settings on it', async () => {
    await freshWorkspace()
    const acme = await addClient(db.prisma, { ...as(), name: 'Acme' })
    const globex = await addClient(db.prisma, { ...as(), name: 'Globex' })
    expect(await bindChannel(db.prisma, { ...as(), channelId: 'C0ACME001', clientId: acme.id })).toBe(true)
    expect(await bindChannel(db.prisma, { ...as(), channelId: 'C0ACME001', clientId: acme.id })).toBe(false)
    expect(await refusal(bindChannel(db.prisma, { ...as(), channelId: 'C0ACME001', clientId: globex.id }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already belongs to the client *Acme*'),
    })
    expect((await refusal(bindChannel(db.prisma, { ...as(), channelId: 'D0DM00001', clientId: globex.id }))).code).toBe('BAD_INPUT')
    // A channel receiving another client's suggestions cannot join Acme: they would be posted into Acme's space.
    await db.prisma.client.update({ where: { id: globex.id }, data: { suggestionsChannelId: 'C0GLOBEX1' } })
    expect(await refusal(bindChannel(db.prisma, { ...as(), channelId: 'C0GLOBEX1', clientId: acme.id }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('receives the suggestions or alerts of the client *Globex*'),
    })
    await db.prisma.client.update({ where: { id: globex.id }, data: { suggestionsChannelId: null } })
    await db.prisma.client.update({ where: { id: acme.id }, data: { suggestionsChannelId: 'C0ACME001', alertsChannelId: 'C0ACME001' } })
    // Its digest, set up for Acme only ("all of Acme's accounts"), is paused: unbound, it would post every client's.
    const digest = await db.prisma.digestSubscription.create({
      data: { workspaceId, channelId: 'C0ACME001', localTime: '09:00', timeZone: 'UTC', createdBySlackUserId: ADMIN },
    })
    expect(await unbindChannel(db.prisma, { ...as(), channelId: 'C0ACME001' })).toEqual({ id: acme.id, name: 'Acme', digestsPaused: 1 })
    expect(await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: digest.id } })).toMatchObject({
      status: 'PAUSED',
      pausedReason: 'the channel no longer belongs to Acme',
    })
    // `digest now` there does not fall back to the paused digest (it would now cover every client): it says why.
    expect(await refusal(channelDigestAccounts(db.prisma, { workspaceId, channelId: 'C0ACME001' }))).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining("This channel's daily digest is paused (the channel no longer belongs to Acme)"),
    })
    expect(await channelDigestAccounts(db.prisma, { workspaceId, channelId: 'C0NODIGEST' })).toEqual([[]])
    expect(await db.prisma.client.findUniqueOrThrow({ where: { id: acme.id } })).toMatchObject({
      suggestionsChannelId: null,
      alertsChannelId: null,
    })
    expect(await unbindChannel(db.prisma, { ...as(), channelId: 'C0ACME001' })).toBeNull()
    expect(await bindChannel(db.prisma, { ...as(), channelId: 'C0ACME001', clientId: globex.id })).toBe(true)
  })
})
