/**
 * Uninstall and revocation (issue 10, finding 11) and Enterprise Grid installs (finding 13), on PostgreSQL
 * through Promoly's Slack endpoint in OAuth mode: app_uninstalled / tokens_revoked delete the stored tokens,
 * stop the workspace's syncs and digests and are audited (once per event); a re-install resumes; a job finds
 * an org-wide installation for a team of that organisation.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ENCRYPTION_KEY } from '../../../../test/support/domain-deps.ts'
import { createAdAccount } from '../../../../test/support/factories.ts'
import { type FakeSlack, type SlackCall, slackSignature, startFakeSlack } from '../../../../test/support/fake-slack.ts'
import { freePort, waitUntil } from '../../../../test/support/net.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../../../../test/support/test-database.ts'
import { loadConfig } from '../../../config/env.ts'
import { resolveMember } from '../../../domain/members/resolve-member.ts'
import { installationSecretContext } from '../../../domain/secrets/stored-secrets.ts'
import { accountsToSync } from '../../../domain/sync/accounts-to-sync.ts'
import { installerOf } from '../../../domain/workspaces/installations.ts'
import { createSecretBox } from '../../../lib/crypto.ts'
import { silentLogger } from '../../../lib/logger.ts'
import { type Promoly, startPromoly } from '../../../main.ts'
import { createInstallationStore } from '../../installation-store.ts'

const pgUrl = requirePostgresUrl()
const SECRET = 'installation-events-secret'
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../../test/fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>

describe.skipIf(!pgUrl)('installation events and org-wide installs', () => {
  let slack: FakeSlack
  let db: TestDatabase
  let promoly: Promoly
  let endpoint: string
  const secrets = createSecretBox(TEST_ENCRYPTION_KEY)

  beforeAll(async () => {
    slack = await startFakeSlack()
    db = await createPostgresTestDatabase(pgUrl!)
    const port = await freePort()
    endpoint = `http://127.0.0.1:${port}/slack/events`
    promoly = await startPromoly(
      loadConfig({
        SLACK_CLIENT_ID: '123.456',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        PORT: String(port),
        // Meta is the in-process simulator (asked for: beside a real Slack app it never starts on its own).
        META_SIMULATOR: '1',
        LOG_LEVEL: 'silent',
      }),
      { database: { ...db, close: async () => {} }, logger: silentLogger() },
    )
  }, 60_000)

  afterAll(async () => {
    await promoly?.stop()
    await db?.drop()
    await slack?.close()
  })

  async function sendEvent(body: Record<string, unknown>): Promise<number> {
    const raw = JSON.stringify(body)
    const ts = Math.floor(Date.now() / 1000)
    const res = await fetch(endpoint, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SECRET, ts, raw),
      },
    })
    await res.text()
    return res.status
  }

  /** A team install with a syncing account and an active digest. */
  async function installedTeam(teamId: string, user: { id: string; token?: string }) {
    const store = createInstallationStore(db.prisma, secrets)
    const installation = {
      team: { id: teamId, name: teamId },
      enterprise: undefined,
      user: { id: user.id, token: user.token, scopes: user.token ? ['users:read'] : undefined },
      bot: { id: 'B1', userId: 'UBOT', token: `xoxb-${teamId}`, scopes: ['commands'] },
      tokenType: 'bot' as const,
      isEnterpriseInstall: false,
      appId: 'A0001',
    }
    await store.storeInstallation(installation)
    const ws = await db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: teamId } })
    const account = await createAdAccount(db.prisma, { workspaceId: ws.id })
    const digest = await db.prisma.digestSubscription.create({
      data: { workspaceId: ws.id, channelId: 'C1', localTime: '09:00', timeZone: 'UTC' },
    })
    return { store, installation, ws, account, digest }
  }

  /** Events are acked before their listener finishes: give a redelivery's listener time to run. */
  const settle = () => new Promise((r) => setTimeout(r, 500))
  const audits = (workspaceId: string, action: string) => db.prisma.auditEvent.findMany({ where: { workspaceId, action } })

  it('app_uninstalled deletes the tokens, stops syncs and digests, audits once; a re-install resumes', async () => {
    const { store, installation, ws, account, digest } = await installedTeam('TUNINSTALL', { id: 'UINSTALLER' })
    expect(await accountsToSync(db.prisma, { workspaceId: ws.id })).toEqual([account.id])

    const event = fixture('event_app_uninstalled.json')
    expect(await sendEvent(event)).toBe(200)
    await waitUntil('the uninstall is recorded', async () => (await audits(ws.id, 'workspace.uninstalled')).length > 0, 10_000)
    expect(await sendEvent(event)).toBe(200) // Slack redelivers
    await settle()

    expect(await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:TUNINSTALL' } })).toMatchObject({
      installationEnc: '',
      installerUserId: 'UINSTALLER',
    })
    await expect(store.fetchInstallation({ teamId: 'TUNINSTALL', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow()
    expect(await accountsToSync(db.prisma, { workspaceId: ws.id })).toEqual([]) // sync-all (and so the optimizer) skip it
    expect(await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: digest.id } })).toMatchObject({
      status: 'PAUSED',
      pausedReason: expect.stringMatching(/removed from this Slack workspace/),
    })
    const [audit, ...more] = await audits(ws.id, 'workspace.uninstalled')
    expect(more).toHaveLength(0)
    expect(audit?.data).toMatchObject({ tokensDeleted: true, connectionsStopped: 1, digestsPaused: 1 })

    await store.storeInstallation(installation)
    expect(await accountsToSync(db.prisma, { workspaceId: ws.id })).toEqual([account.id])
    expect((await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: digest.id } })).status).toBe('ACTIVE')
    expect(await audits(ws.id, 'workspace.reinstalled')).toHaveLength(1)
  })

  it('keeps the first installer across an uninstall: whoever re-installs is not the installer, nor an admin unless Slack says so', async () => {
    const { store, installation, ws } = await installedTeam('TREINSTALL', { id: 'UFIRST' })
    const event = { ...fixture('event_app_uninstalled.json'), team_id: 'TREINSTALL', event_id: 'EvREINSTALL1' }
    expect(await sendEvent(event)).toBe(200)
    await waitUntil('the uninstall is recorded', async () => (await audits(ws.id, 'workspace.uninstalled')).length > 0, 10_000)
    await expect(store.fetchInstallation({ teamId: 'TREINSTALL', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow()

    // Someone else allowed to install apps installs Promoly again.
    await store.storeInstallation({ ...installation, user: { id: 'UOTHER', token: undefined, scopes: undefined } })
    const fetched = await store.fetchInstallation({ teamId: 'TREINSTALL', enterpriseId: undefined, isEnterpriseInstall: false })
    expect(fetched.bot?.token).toBe('xoxb-TREINSTALL')
    expect(await installerOf(db.prisma, 'TREINSTALL')).toBe('UFIRST')
    const roleOf = async (slackUserId: string, slackAdmin: boolean) =>
      (
        await resolveMember(db.prisma, {
          workspaceId: ws.id,
          slackUserId,
          installerUserId: await installerOf(db.prisma, 'TREINSTALL'),
          lookupSlackUser: async () => ({ isOwner: false, isAdmin: slackAdmin }),
        })
      ).role
    expect(await roleOf('UOTHER', false)).toBe('MEMBER')
    expect(await roleOf('UFIRST', false)).toBe('ADMIN')
    expect(await roleOf('USLACKADMIN', true)).toBe('ADMIN')
  })

  it('tokens_revoked drops a revoked user token, and a revoked bot token ends the installation', async () => {
    const { ws, account, digest } = await installedTeam('TREVOKED', { id: 'UINSTALLER', token: 'xoxp-user-token' })
    const event = fixture('event_tokens_revoked.json')
    const userOnly = { ...event, event_id: 'EvREVOKEDUSER', event: { type: 'tokens_revoked', tokens: { oauth: ['UINSTALLER'] } } }
    expect(await sendEvent(userOnly)).toBe(200)
    await waitUntil('the user token revocation is recorded', async () => (await audits(ws.id, 'tokens.revoked')).length === 1, 10_000)
    const row = await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:TREVOKED' } })
    const stored = JSON.parse(secrets.decrypt(row.installationEnc, installationSecretContext(row.installationKey)))
    expect(stored.user.token).toBeUndefined()
    expect(stored.bot.token).toBe('xoxb-TREVOKED')
    expect(await accountsToSync(db.prisma, { workspaceId: ws.id })).toEqual([account.id])

    expect(await sendEvent(event)).toBe(200)
    await waitUntil('the bot token revocation is recorded', async () => (await audits(ws.id, 'tokens.revoked')).length >= 2, 10_000)
    expect(await sendEvent(event)).toBe(200) // Slack redelivers
    await settle()
    expect((await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:TREVOKED' } })).installationEnc).toBe('')
    expect(await accountsToSync(db.prisma, { workspaceId: ws.id })).toEqual([])
    expect((await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: digest.id } })).status).toBe('PAUSED')
    const revoked = await audits(ws.id, 'tokens.revoked')
    expect(revoked).toHaveLength(2)
    expect(revoked.map((a) => a.data)).toContainEqual(
      expect.objectContaining({ bot: ['UBOT'], tokensDeleted: true, connectionsStopped: 1 }),
    )
  })

  it('a job finds the org-wide (Enterprise Grid) installation for a team of that organisation', async () => {
    const store = createInstallationStore(db.prisma, secrets)
    await store.storeInstallation({
      team: undefined,
      enterprise: { id: 'EGRID', name: 'Grid Org' },
      user: { id: 'UORGADMIN', token: undefined, scopes: undefined },
      bot: { id: 'BORG', userId: 'UBOTORG', token: 'xoxb-org-wide', scopes: ['commands'] },
      tokenType: 'bot',
      isEnterpriseInstall: true,
      appId: 'A0001',
    })
    // A member of team TGRID (in organisation EGRID) opens Promoly: Bolt authorizes with the org-wide install.
    expect(
      await sendEvent({
        token: 'x',
        team_id: 'TGRID',
        enterprise_id: 'EGRID',
        api_app_id: 'A0001',
        event: { type: 'app_home_opened', user: 'UGRID', channel: 'DGRID', tab: 'messages', event_ts: `${Date.now() / 1000}` },
        type: 'event_callback',
        event_id: 'EvGRIDHOME',
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: 'EGRID', team_id: null, user_id: 'UBOTORG', is_bot: true, is_enterprise_install: true }],
        is_enterprise_install: true,
      }),
    ).toBe(200)
    let workspaceId = ''
    await waitUntil(
      'the grid team has synced ad accounts',
      async () => {
        const ws = await db.prisma.workspace.findUnique({ where: { slackTeamId: 'TGRID' } })
        workspaceId = ws?.id ?? ''
        return Boolean(ws) && (await db.prisma.adAccount.count({ where: { workspaceId, lastSyncedAt: { not: null } } })) > 0
      },
      60_000,
    )
    // A sync job reports back to whoever asked: it needs the team's bot token, which is the org-wide one.
    // (The first sync's job may still be finishing — queueing the optimizer and the intraday alerts — and a sync already
    // running absorbs a request: ask until one is queued.)
    await waitUntil(
      'a sync is queued for the grid team',
      async () =>
        (await promoly.slackDeps.requestSync({ workspaceId, notify: { teamId: 'TGRID', channelId: 'CGRID', userId: 'UGRID' } })).queued > 0,
      30_000,
    )
    const told = await slack.waitFor<SlackCall>('call', (c) => c.method === 'chat.postEphemeral' && c.args.channel === 'CGRID', 30_000)
    expect(told.token).toBe('xoxb-org-wide')
    expect(told.args.user).toBe('UGRID')
  }, 90_000)
})
