/**
 * Keys (issue 10, finding 10): start-up refuses to run when it cannot read the stored secrets instead of
 * making a new key, values are bound to their rows, and `promoly rotate-key` moves everything to a new key.
 */

import { spawn } from 'node:child_process'
import { createCipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createWorkspace } from '../test/support/factories.ts'
import { createPostgresTestDatabase, requirePostgresUrl, type TestDatabase } from '../test/support/test-database.ts'
import { ConfigError, loadConfig } from './config/env.ts'
import { openDatabase } from './db/database.ts'
import { connectionToken } from './domain/connections/connection-token.ts'
import { saveMetaConnection } from './domain/connections/save-meta-connection.ts'
import type { DomainDeps } from './domain/deps.ts'
import { installationSecretContext, unreadableSecrets } from './domain/secrets/stored-secrets.ts'
import type { PrismaClient } from './generated/prisma/client.ts'
import { createSecretBox, encryptionKeyId, generateEncryptionKey, localKeyPath } from './lib/crypto.ts'
import { DataDirInUseError } from './lib/data-dir-lock.ts'
import { createLogger, silentLogger } from './lib/logger.ts'
import { startPromoly } from './main.ts'
import { rotateKey } from './secret-keys.ts'
import { createInstallationStore } from './slack/installation-store.ts'

const pgUrl = requirePostgresUrl()

/** A value in the format Promoly wrote before key ids and additional data (v1). */
function v1Encrypt(keyBase64: string, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':')
}

function capturingLogger() {
  const lines: Array<{ msg?: string }> = []
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as { msg?: string })
      done()
    },
  })
  return { logger: createLogger({ destination, level: 'info' }), lines }
}

function deps(prisma: PrismaClient, key: string, old: string[] = []): Pick<DomainDeps, 'prisma' | 'secrets' | 'now'> {
  return { prisma, secrets: createSecretBox(key, old), now: () => new Date() }
}

const installation = (teamId: string, token: string) => ({
  team: { id: teamId, name: teamId },
  enterprise: undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: { id: 'B1', userId: 'UBOT', token, scopes: ['commands'] },
  tokenType: 'bot' as const,
  isEnterpriseInstall: false,
  appId: 'A1',
})

describe.skipIf(!pgUrl)('stored secrets on PostgreSQL', () => {
  let db: TestDatabase
  const KEY_A = generateEncryptionKey()
  const KEY_B = generateEncryptionKey()

  beforeAll(async () => {
    db = await createPostgresTestDatabase(pgUrl!)
  })
  afterAll(async () => {
    await db?.drop()
  })
  afterEach(async () => {
    await db.prisma.slackInstallation.deleteMany()
    await db.prisma.metaConnection.deleteMany()
    await db.prisma.promolyState.deleteMany()
  })

  it('start-up upgrades every v1 value to v2 bound to its row, once; a v1 value planted afterwards is never read', async () => {
    const ws = await createWorkspace(db.prisma)
    const d = deps(db.prisma, KEY_A)
    // As stored before the upgrade: two Meta tokens and an installation in v1 (no row binding).
    const v1OfA = v1Encrypt(KEY_A, 'EAA-token-of-a')
    const a = await db.prisma.metaConnection.create({
      data: { workspaceId: ws.id, label: 'a', tokenFingerprint: 'fp-a', accessTokenEnc: v1OfA },
    })
    const b = await db.prisma.metaConnection.create({
      data: { workspaceId: ws.id, label: 'b', tokenFingerprint: 'fp-b', accessTokenEnc: v1Encrypt(KEY_A, 'EAA-token-of-b') },
    })
    await db.prisma.slackInstallation.create({
      data: { installationKey: 'T:TV1', teamId: 'TV1', installationEnc: v1Encrypt(KEY_A, JSON.stringify(installation('TV1', 'xoxb-v1'))) },
    })
    const config = loadConfig({ ENCRYPTION_KEY: KEY_A, PORT: '0', LOG_LEVEL: 'silent' })
    const first = capturingLogger()
    await (await startPromoly(config, { database: { ...db, close: async () => {} }, logger: first.logger })).stop()
    expect(first.lines.map((l) => l.msg)).toContain('upgraded 3 stored secrets from the v1 format to v2 (bound to their rows)')
    const rows = await db.prisma.metaConnection.findMany({ where: { workspaceId: ws.id }, orderBy: { label: 'asc' } })
    expect(rows.map((r) => r.accessTokenEnc.split(':').slice(0, 2).join(':'))).toEqual([
      `v2:${encryptionKeyId(KEY_A)}`,
      `v2:${encryptionKeyId(KEY_A)}`,
    ])
    expect(rows.map((r) => connectionToken(d, r))).toEqual(['EAA-token-of-a', 'EAA-token-of-b'])
    const store = createInstallationStore(db.prisma, d.secrets)
    expect((await store.fetchInstallation({ teamId: 'TV1', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe(
      'xoxb-v1',
    )

    // Afterwards, A's old v1 blob (from a backup) is planted into row B, and into the installation.
    await db.prisma.metaConnection.update({ where: { id: b.id }, data: { accessTokenEnc: v1OfA } })
    await db.prisma.slackInstallation.update({ where: { installationKey: 'T:TV1' }, data: { installationEnc: v1OfA } })
    const planted = await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: b.id } })
    expect(() => connectionToken(d, planted)).toThrow(/retired v1 format, which is not bound to its row/)
    await expect(store.fetchInstallation({ teamId: 'TV1', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(
      /retired v1 format/,
    )
    // A restart reports the planted values and does not upgrade (bind) them to the rows they were copied into.
    const second = capturingLogger()
    await (await startPromoly(config, { database: { ...db, close: async () => {} }, logger: second.logger })).stop()
    expect(second.lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/holds 2 secrets in the retired v1 format/))
    expect((await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: b.id } })).accessTokenEnc).toBe(v1OfA)
    expect(connectionToken(d, await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: a.id } }))).toBe('EAA-token-of-a')
  })

  it('a v1 value under a lost key: start-up refuses naming the rows and both ways out; rotate-key --forget-unreadable removes them (audited) and start-up works', async () => {
    const LOST = generateEncryptionKey()
    const ws = await createWorkspace(db.prisma, { slackTeamId: 'TLOSTKEY', name: 'Acme' })
    const good = await db.prisma.metaConnection.create({
      data: { workspaceId: ws.id, label: 'good', tokenFingerprint: 'fp-g', accessTokenEnc: v1Encrypt(KEY_A, 'EAA-good') },
    })
    const lost = await db.prisma.metaConnection.create({
      data: { workspaceId: ws.id, label: 'Lost ads', tokenFingerprint: 'fp-l', accessTokenEnc: v1Encrypt(LOST, 'EAA-lost-secret') },
    })
    await db.prisma.slackInstallation.create({
      data: {
        installationKey: 'T:TLOSTKEY',
        teamId: 'TLOSTKEY',
        installerUserId: 'UINSTALLER',
        botUserId: 'UBOT',
        installationEnc: v1Encrypt(LOST, JSON.stringify(installation('TLOSTKEY', 'xoxb-lost'))),
      },
    })
    const config = loadConfig({ ENCRYPTION_KEY: KEY_A, PORT: '0', LOG_LEVEL: 'silent' })
    const start = () => startPromoly(config, { database: { ...db, close: async () => {} }, logger: silentLogger() })
    const refusal = (await start().catch((e: unknown) => e)) as Error
    expect(refusal).toBeInstanceOf(ConfigError)
    expect(refusal.message).toContain(`Meta connection "Lost ads" of workspace TLOSTKEY (Acme) (MetaConnection ${lost.id})`)
    expect(refusal.message).toMatch(/Slack installation T:TLOSTKEY \(SlackInstallation /)
    expect(refusal.message).not.toContain(`MetaConnection ${good.id}`)
    expect(refusal.message).toContain('ENCRYPTION_KEYS_OLD')
    expect(refusal.message).toContain('promoly rotate-key --forget-unreadable')
    expect(refusal.message).not.toContain('EAA-lost-secret')
    expect(refusal.message).not.toContain('changed nothing: Cannot decrypt')
    // Nothing changed.
    expect((await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: good.id } })).accessTokenEnc.startsWith('v1:')).toBe(true)

    // Without the flag, rotate-key refuses the same way; with it, the unreadable values go.
    await expect(rotateKey(config, db.prisma)).rejects.toThrow(/--forget-unreadable/)
    const report = await rotateKey(config, db.prisma, { forgetUnreadable: true })
    expect(report.forgotten).toHaveLength(2)
    expect(await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: lost.id } })).toMatchObject({
      accessTokenEnc: '',
      status: 'NEEDS_RECONNECT',
      statusReason: expect.stringMatching(/could not be read .* \/promoly connect/),
    })
    expect(await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:TLOSTKEY' } })).toMatchObject({
      installationEnc: '',
      botUserId: null,
      installerUserId: 'UINSTALLER',
    })
    const audits = await db.prisma.auditEvent.findMany({ where: { workspaceId: ws.id, action: 'secret.unreadable_forgotten' } })
    expect(audits.map((a) => a.targetType).sort()).toEqual(['meta_connection', 'slack_installation'])
    // The readable one was kept (upgraded), and Promoly starts.
    const kept = await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: good.id } })
    expect(connectionToken(deps(db.prisma, KEY_A), kept)).toBe('EAA-good')
    await (await start()).stop()
    await db.prisma.auditEvent.deleteMany({ where: { workspaceId: ws.id } })
  }, 60_000)

  it('does not decrypt a token copied from another row', async () => {
    const ws = await createWorkspace(db.prisma)
    const d = deps(db.prisma, KEY_A)
    const a = await saveMetaConnection(d, { workspaceId: ws.id, token: 'EAA-token-of-a', label: 'a' })
    const b = await saveMetaConnection(d, { workspaceId: ws.id, token: 'EAA-token-of-b', label: 'b' })
    expect(connectionToken(d, a)).toBe('EAA-token-of-a')
    // Someone with write access to the table swaps the two ciphertexts.
    await db.prisma.metaConnection.update({ where: { id: a.id }, data: { accessTokenEnc: b.accessTokenEnc } })
    const swapped = await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: a.id } })
    expect(() => connectionToken(d, swapped)).toThrow(/moved from another row/)

    const store = createInstallationStore(db.prisma, d.secrets)
    await store.storeInstallation(installation('T1', 'xoxb-one'))
    await store.storeInstallation(installation('T2', 'xoxb-two'))
    const two = await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:T2' } })
    await db.prisma.slackInstallation.update({ where: { installationKey: 'T:T1' }, data: { installationEnc: two.installationEnc } })
    await expect(store.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(
      /moved from another row/,
    )
  })

  it('refuses to start with a wrong ENCRYPTION_KEY while encrypted rows exist, naming the key', async () => {
    const ws = await createWorkspace(db.prisma)
    await saveMetaConnection(deps(db.prisma, KEY_A), { workspaceId: ws.id, token: 'EAA-stored', label: 'stored' })
    const config = loadConfig({ ENCRYPTION_KEY: KEY_B, PORT: '0', LOG_LEVEL: 'silent' })
    await expect(startPromoly(config, { database: { ...db, close: async () => {} }, logger: silentLogger() })).rejects.toThrow(
      new RegExp(`ENCRYPTION_KEY: .*cannot read: 1 secret encrypted with key ${encryptionKeyId(KEY_A)}.*will not start`),
    )
  })

  it('rotate-key re-encrypts old-format and old-key rows; afterwards the old key is unnecessary', async () => {
    const ws = await createWorkspace(db.prisma)
    const old = deps(db.prisma, KEY_A)
    const conn = await saveMetaConnection(old, { workspaceId: ws.id, token: 'EAA-rotated', label: 'rotated' })
    // An installation written before key ids existed (v1, no additional data), before any start-up upgraded it.
    await db.prisma.slackInstallation.create({
      data: { installationKey: 'T:TV1', teamId: 'TV1', installationEnc: v1Encrypt(KEY_A, JSON.stringify(installation('TV1', 'xoxb-v1'))) },
    })

    const config = loadConfig({ ENCRYPTION_KEY: KEY_B, ENCRYPTION_KEYS_OLD: KEY_A, LOG_LEVEL: 'silent' })
    const report = await rotateKey(config, db.prisma)
    expect(report).toMatchObject({ keyId: encryptionKeyId(KEY_B), reencrypted: { 'Slack installation': 1, 'Meta connection': 1 } })
    expect(await rotateKey(config, db.prisma)).toMatchObject({
      alreadyCurrent: 2,
      reencrypted: { 'Slack installation': 0, 'Meta connection': 0 },
    })

    const onlyNew = deps(db.prisma, KEY_B)
    expect(await unreadableSecrets(db.prisma, onlyNew.secrets)).toBeUndefined()
    expect(await unreadableSecrets(db.prisma, old.secrets)).toMatch(/2 secrets encrypted with key/)
    const row = await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: conn.id } })
    expect(connectionToken(onlyNew, row)).toBe('EAA-rotated')
    const inst = await db.prisma.slackInstallation.findUniqueOrThrow({ where: { installationKey: 'T:TV1' } })
    expect(inst.installationEnc.startsWith(`v2:${encryptionKeyId(KEY_B)}:`)).toBe(true)
    expect(onlyNew.secrets.decrypt(inst.installationEnc, installationSecretContext('T:TV1'))).toContain('xoxb-v1')
    const promoly = await startPromoly(loadConfig({ ENCRYPTION_KEY: KEY_B, PORT: '0', LOG_LEVEL: 'silent' }), {
      database: { ...db, close: async () => {} },
      logger: silentLogger(),
    })
    await promoly.stop()
  })
})

describe('the embedded default (PGlite) and its key file', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'promoly-embedded-'))
  })
  afterAll(() => {
    rmSync(root, { recursive: true, force: true })
  })

  it('keeps the key beside the data (0600, folders 0700) and refuses to start once the key file is gone', async () => {
    const dataDir = join(root, 'data')
    const config = loadConfig({ PROMOLY_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' })
    const first = await startPromoly(config, { logger: silentLogger() })
    await first.stop()
    const keyFile = localKeyPath(dataDir)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dataDir, 'pgdata')).mode & 0o777).toBe(0o700)
    expect(existsSync(join(dataDir, 'pgdata', 'encryption.key'))).toBe(false)
    const key = readFileSync(keyFile, 'utf8').trim()

    // A Meta token stored with that key, then rotated: the key file holds the new key afterwards.
    const db = await openDatabase({ dataDir })
    try {
      const ws = await createWorkspace(db.prisma)
      const conn = await saveMetaConnection(deps(db.prisma, key), { workspaceId: ws.id, token: 'EAA-embedded', label: 'e' })
      const report = await rotateKey(config, db.prisma)
      const rotated = readFileSync(keyFile, 'utf8').trim()
      expect(rotated).not.toBe(key)
      expect(report).toMatchObject({ keyId: encryptionKeyId(rotated), keyFile, reencrypted: { 'Meta connection': 1 } })
      expect(statSync(keyFile).mode & 0o777).toBe(0o600)
      const row = await db.prisma.metaConnection.findUniqueOrThrow({ where: { id: conn.id } })
      expect(connectionToken(deps(db.prisma, rotated), row)).toBe('EAA-embedded')
    } finally {
      await db.close()
    }

    unlinkSync(keyFile)
    await expect(startPromoly(config, { logger: silentLogger() })).rejects.toThrow(
      new RegExp(
        `ENCRYPTION_KEY: is not set and ${keyFile.replace(/[/.]/g, '\\$&')} is missing, but the database holds 1 encrypted secret`,
      ),
    )
    expect(existsSync(keyFile)).toBe(false) // no new key was made
  }, 60_000)

  it('refuses a corrupt key file with the same clean configuration error, naming the file and what it should hold (round 4, B10)', async () => {
    const dataDir = join(root, 'corrupt')
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const keyFile = localKeyPath(dataDir)
    writeFileSync(keyFile, 'this is not a key\n', { mode: 0o600 })
    const config = loadConfig({ PROMOLY_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' })
    const refusal = await startPromoly(config, { logger: silentLogger() }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(refusal).toBeInstanceOf(ConfigError)
    const message = (refusal as ConfigError).message
    expect(message).toMatch(/^Invalid configuration:/)
    expect(message).toContain(keyFile)
    expect(message).toContain('base64 of 32 random bytes')
    expect(readFileSync(keyFile, 'utf8')).toBe('this is not a key\n') // never replaced
    const db = await openDatabase({ dataDir })
    try {
      await expect(rotateKey(config, db.prisma)).rejects.toBeInstanceOf(ConfigError)
    } finally {
      await db.close()
    }
  }, 60_000)

  it('tightens an existing data folder to 0700, and rotate-key refuses while Promoly runs on it (another process or this one)', async () => {
    const dataDir = join(root, 'loose')
    mkdirSync(dataDir)
    chmodSync(dataDir, 0o755)
    const config = loadConfig({ PROMOLY_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' })
    const running = await startPromoly(config, { logger: silentLogger() })
    const keyFile = localKeyPath(dataDir)
    const key = readFileSync(keyFile, 'utf8')
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700)
      // `promoly rotate-key` from a shell, while this process runs Promoly on the folder.
      // Spawned without blocking this process: its lock's heartbeat must keep beating meanwhile.
      const cli = await new Promise<{ stderr: string; status: number | null }>((done) => {
        const child = spawn(process.execPath, [join(process.cwd(), 'bin/promoly.mjs'), 'rotate-key'], {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, PROMOLY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
          timeout: 90_000,
        })
        let stderr = ''
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString()
        })
        child.on('close', (status) => done({ stderr, status }))
      })
      // It waits out the stale interval (~25 s: the holder's heartbeat stays fresh), then refuses readably.
      expect(cli.stderr).toContain(`Promoly (pid ${process.pid} on ${hostname()}) is running on the embedded database in ${dataDir}.`)
      expect(cli.stderr).toContain('Stop it first')
      expect(cli.status).toBe(1)
      expect(readFileSync(keyFile, 'utf8')).toBe(key)
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirInUseError)
    } finally {
      await running.stop()
    }
    // Stopped: the folder is free again.
    const db = await openDatabase({ dataDir })
    try {
      expect((await rotateKey(config, db.prisma)).keyFile).toBe(keyFile)
    } finally {
      await db.close()
    }
    expect(readFileSync(keyFile, 'utf8')).not.toBe(key)
  }, 120_000)
})
