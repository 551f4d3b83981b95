/**
 * Slack app modes: start-up that never waits on an unreachable Slack, and the OAuth mode with its
 * installation store in the database (tokens encrypted) and install route.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { TEST_ENCRYPTION_KEY } from '../../test/support/domain-deps.ts'
import { createAdAccount, createWorkspace } from '../../test/support/factories.ts'
import { sendSlashCommand, startFakeSlack } from '../../test/support/fake-slack.ts'
import { freePort } from '../../test/support/net.ts'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts'
import { loadConfig } from '../config/env.ts'
import { resolveMember } from '../domain/members/resolve-member.ts'
import { accountsToSync } from '../domain/sync/accounts-to-sync.ts'
import { installerOf } from '../domain/workspaces/installations.ts'
import { isKnownTeam } from '../domain/workspaces/workspace-team.ts'
import { createSecretBox } from '../lib/crypto.ts'
import { silentLogger } from '../lib/logger.ts'
import { type Promoly, startPromoly } from '../main.ts'
import { createInstallationStore } from './installation-store.ts'

describe('Slack app modes', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c()
  })

  async function start(env: Record<string, string>): Promise<{ promoly: Promoly; db: TestDatabase; port: number; startMs: number }> {
    const db = await createTestDatabase()
    cleanup.push(() => db.drop())
    const port = await freePort()
    const t0 = performance.now()
    const promoly = await startPromoly(loadConfig({ ...env, PORT: String(port), ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }), {
      database: db,
      logger: silentLogger(),
    })
    const startMs = performance.now() - t0
    cleanup.push(() => promoly.stop())
    return { promoly, db, port, startMs }
  }

  it('starts and answers commands while Slack is unreachable', async () => {
    const { db, port, startMs } = await start({
      SLACK_BOT_TOKEN: 'xoxb-offline',
      SLACK_SIGNING_SECRET: 'sec',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    })
    expect(startMs).toBeLessThan(10_000)
    const help = () =>
      sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, 'sec', { text: 'help', responseUrl: 'http://127.0.0.1:9/response/x' })
    // Which team the token belongs to is unknown until Slack answers auth.test: a team Promoly has never
    // served is told to wait (it may be another team's payload), within Slack's 3 s.
    const first = await help()
    expect(first.status).toBe(200)
    expect(first.body).toContain('still connecting to Slack')
    expect(first.ms).toBeLessThan(3000)
    // A restart while Slack is down: the workspace is known and Slack confirmed the member yesterday, so they are served.
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'T0001' } })
    await db.prisma.member.create({
      data: { workspaceId: ws.id, slackUserId: 'U0001', slackVerifiedAt: new Date(Date.now() - 86_400_000) },
    })
    const r = await help()
    expect(r.status).toBe(200)
    expect(r.body).toContain('Promoly commands')
    expect(r.ms).toBeLessThan(3000)
  })

  it('refuses a signed request whose timestamp is more than 5 minutes in the future (401), as Bolt refuses stale ones', async () => {
    const { port } = await start({ SLACK_BOT_TOKEN: 'xoxb-offline', SLACK_SIGNING_SECRET: 'sec', SLACK_API_URL: 'http://127.0.0.1:9/api/' })
    const endpoint = `http://127.0.0.1:${port}/slack/events`
    const fields = { text: 'help', responseUrl: 'http://127.0.0.1:9/response/x' }
    const now = Math.floor(Date.now() / 1000)
    const future = await sendSlashCommand(endpoint, 'sec', fields, { timestamp: now + 6 * 60 })
    expect(future.status).toBe(401)
    expect(future.body).not.toContain('Promoly commands')
    // Clock skew within Slack's 5 minutes either way is fine.
    expect((await sendSlashCommand(endpoint, 'sec', fields, { timestamp: now + 4 * 60 })).status).toBe(200)
    expect((await sendSlashCommand(endpoint, 'sec', fields, { timestamp: now - 4 * 60 })).status).toBe(200)
  })

  it('does not start the Meta simulator beside a real Slack app unless META_SIMULATOR=1', async () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-offline', SLACK_SIGNING_SECRET: 'sec', SLACK_API_URL: 'http://127.0.0.1:9/api/' }
    const { promoly } = await start(slack)
    expect(promoly.simulator).toBeUndefined()
    expect(promoly.config.meta.useSimulator).toBe(false)
    const asked = await start({ ...slack, META_SIMULATOR: '1' })
    expect(asked.promoly.simulator?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    // The embedded simulator's control API is off without META_SIMULATOR_CONTROL_TOKEN.
    expect((await fetch(`${asked.promoly.simulator!.url}/__sim/stats`)).status).toBe(404)
  })

  it('in OAuth mode serves the install page and keeps installations encrypted in the database', async () => {
    const { db, port } = await start({
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret',
      SLACK_SIGNING_SECRET: 'sec',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    })
    // Direct install (src/slack/app.ts): the install path redirects straight to Slack's authorize URL,
    // with the client id, the scopes and a state that the callback will check against its cookie.
    const install = await fetch(`http://127.0.0.1:${port}/slack/install`, { redirect: 'manual' })
    expect(install.status).toBe(302)
    const location = new URL(install.headers.get('location') ?? '')
    expect(location.searchParams.get('client_id')).toBe('123.456')
    expect(location.searchParams.get('scope')).toContain('commands')
    const state = location.searchParams.get('state')
    expect(state).toBeTruthy()
    expect(install.headers.get('set-cookie')).toContain(state!)

    const secrets = createSecretBox(TEST_ENCRYPTION_KEY)
    const store = createInstallationStore(db.prisma, secrets)
    await store.storeInstallation({
      team: { id: 'T777', name: 'Acme' },
      enterprise: undefined,
      user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
      bot: { id: 'B1', userId: 'UBOT', token: 'xoxb-secret-bot-token', scopes: ['commands', 'chat:write'] },
      tokenType: 'bot',
      isEnterpriseInstall: false,
      appId: 'A1',
    })
    const row = await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:T777' } })
    expect(row.installationEnc).not.toContain('xoxb-secret-bot-token')
    const fetched = await store.fetchInstallation({ teamId: 'T777', enterpriseId: undefined, isEnterpriseInstall: false })
    expect(fetched.bot?.token).toBe('xoxb-secret-bot-token')
    expect(await installerOf(db.prisma, 'T777')).toBe('UINSTALLER')
    expect((await db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T777' } })).name).toBe('Acme')
    await expect(store.fetchInstallation({ teamId: 'TNONE', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow()
    await store.deleteInstallation!({ teamId: 'T777', enterpriseId: undefined, isEnterpriseInstall: false })
    await expect(store.fetchInstallation({ teamId: 'T777', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow()
    // The tokens are gone; who installed it is kept.
    expect(await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:T777' } })).toMatchObject({
      installationEnc: '',
      installerUserId: 'UINSTALLER',
    })
  })
  it('keeps the first installer when someone else re-installs: the re-installer does not become an admin (issue 10, finding 1)', async () => {
    const db = await createTestDatabase()
    cleanup.push(() => db.drop())
    const store = createInstallationStore(db.prisma, createSecretBox(TEST_ENCRYPTION_KEY))
    const install = (userId: string, token: string) =>
      store.storeInstallation({
        team: { id: 'T888', name: 'Acme' },
        enterprise: undefined,
        user: { id: userId, token: undefined, scopes: undefined },
        bot: { id: 'B1', userId: 'UBOT', token, scopes: ['commands', 'chat:write'] },
        tokenType: 'bot',
        isEnterpriseInstall: false,
        appId: 'A1',
      })
    await install('UFIRST', 'xoxb-first')
    await install('USNEAKY', 'xoxb-second')
    expect(await installerOf(db.prisma, 'T888')).toBe('UFIRST')
    // The new token is the one in use.
    const fetched = await store.fetchInstallation({ teamId: 'T888', enterpriseId: undefined, isEnterpriseInstall: false })
    expect(fetched.bot?.token).toBe('xoxb-second')
    const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T888' } })
    const plainMember = async () => ({ isOwner: false, isAdmin: false })
    const roleOf = async (slackUserId: string) =>
      (
        await resolveMember(db.prisma, {
          workspaceId: workspace.id,
          slackUserId,
          installerUserId: await installerOf(db.prisma, 'T888'),
          lookupSlackUser: plainMember,
        })
      ).role
    expect(await roleOf('USNEAKY')).toBe('MEMBER')
    expect(await roleOf('UFIRST')).toBe('ADMIN')
  })

  it('single-workspace mode stops, at start-up, workspaces another team created before teams were checked (no sync, digests paused, audited)', async () => {
    const slack = await startFakeSlack({ teamId: 'TOURS' })
    cleanup.push(() => slack.close())
    const db = await createTestDatabase()
    cleanup.push(() => db.drop())
    // Planted before the fix: a workspace of another team, wired to the deployment's Meta token, with a digest.
    const foreign = await createWorkspace(db.prisma, { slackTeamId: 'TFOREIGN' })
    const account = await createAdAccount(db.prisma, { workspaceId: foreign.id })
    const digest = await db.prisma.digestSubscription.create({
      data: { workspaceId: foreign.id, channelId: 'CFOREIGN', localTime: '09:00', timeZone: 'UTC', createdBySlackUserId: 'UFOREIGN' },
    })
    expect(await accountsToSync(db.prisma, { workspaceId: foreign.id })).toEqual([account.id])
    expect(await isKnownTeam(db.prisma, 'TFOREIGN')).toBe(true)

    const port = await freePort()
    const promoly = await startPromoly(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-ours',
        SLACK_SIGNING_SECRET: 'sec',
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        LOG_LEVEL: 'silent',
      }),
      { database: { ...db, close: async () => {} }, logger: silentLogger() },
    )
    cleanup.push(() => promoly.stop())
    // Stopped before start-up returns, so before any sync job runs.
    expect(await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: account.connectionId } })).toMatchObject({ status: 'DISABLED' })
    expect(await accountsToSync(db.prisma, { workspaceId: foreign.id })).toEqual([])
    expect(await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: digest.id } })).toMatchObject({ status: 'PAUSED' })
    expect((await db.prisma.workspace.findUniqueOrThrow({ where: { id: foreign.id } })).stoppedReason).toMatch(/SLACK_BOT_TOKEN/)
    const audits = await db.prisma.auditEvent.findMany({ where: { workspaceId: foreign.id, action: 'workspace.stopped_foreign_team' } })
    expect(audits).toHaveLength(1)
    expect(audits[0]?.data).toMatchObject({ slackTeamId: 'TFOREIGN', botTeamId: 'TOURS', connectionsStopped: 1, digestsPaused: 1 })
    // While auth.test has not answered (a later restart with Slack down), the caller gate does not count it as known.
    expect(await isKnownTeam(db.prisma, 'TFOREIGN')).toBe(false)
    // The token's own team is served.
    await promoly.stop()
    expect(await isKnownTeam(db.prisma, 'TOURS')).toBe(true)
  })

  it('single-workspace mode, Slack silent at start-up: sweeps wait, auth.test is retried in the background, then other teams are stopped with a reason that fits', async () => {
    const slack = await startFakeSlack({ teamId: 'TOURS' })
    cleanup.push(() => slack.close())
    slack.on('auth.test', () => ({ ok: false, error: 'service_unavailable' }))
    const db = await createTestDatabase()
    cleanup.push(() => db.drop())
    const foreign = await createWorkspace(db.prisma, { slackTeamId: 'TFOREIGN' })
    const account = await createAdAccount(db.prisma, { workspaceId: foreign.id })
    const promoly = await startPromoly(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-ours',
        SLACK_SIGNING_SECRET: 'sec',
        SLACK_API_URL: slack.apiUrl,
        PORT: String(await freePort()),
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        LOG_LEVEL: 'silent',
      }),
      { database: { ...db, close: async () => {} }, logger: silentLogger(), authTestRetry: { firstMs: 50, maxMs: 200 } },
    )
    cleanup.push(() => promoly.stop())
    // Slack has not answered: the start-up sync-all skipped every workspace (the foreign one was not synced).
    await new Promise((r) => setTimeout(r, 800))
    const untouched = await db.prisma.adAccount.findUniqueOrThrow({ where: { id: account.id } })
    expect(untouched.lastSyncedAt).toBeNull()
    expect(untouched.lastSyncError).toBeNull()
    expect((await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: account.connectionId } })).status).toBe('ACTIVE')
    expect(slack.calls.filter((c) => c.method === 'auth.test').length).toBeGreaterThan(2)

    // Slack answers again: no restart needed.
    slack.off('auth.test')
    const deadline = Date.now() + 10_000
    let connection = await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: account.connectionId } })
    while (connection.status === 'ACTIVE' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      connection = await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: account.connectionId } })
    }
    expect(connection).toMatchObject({ status: 'DISABLED', statusReason: 'This Slack team is not the one this Promoly deployment serves' })
    expect(await isKnownTeam(db.prisma, 'TFOREIGN')).toBe(false)
    expect(await accountsToSync(db.prisma, { workspaceId: foreign.id })).toEqual([])
    await promoly.stop()
  })
})
