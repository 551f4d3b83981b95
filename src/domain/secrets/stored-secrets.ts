/**
 * The encrypted columns of the database, what start-up checks before it serves anyone, and the
 * re-encryption `promoly rotate-key` runs. Each value is bound (AES-GCM additional data) to its table,
 * column and row: `SlackInstallation.installationEnc:<installationKey>`, `MetaConnection.accessTokenEnc:<id>`.
 *
 * Values of the old v1 format (no row binding) are upgraded once, at the first start-up (or rotate-key) after
 * this release, in one transaction; then the database records that v1 is retired (PromolyState
 * `secrets.v1-retired`) and a v1 value found afterwards (restored from an old backup, or copied from another
 * row) is never read: decryption refuses it and start-up reports it.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { describeSecret, type SecretBox, secretContext } from '../../lib/crypto.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'

/** The additional data of a Slack installation's encrypted blob. */
export function installationSecretContext(installationKey: string): string {
  return secretContext('SlackInstallation', 'installationEnc', installationKey)
}

/** The additional data of a Meta connection's encrypted token. */
export function connectionSecretContext(connectionId: string): string {
  return secretContext('MetaConnection', 'accessTokenEnc', connectionId)
}

interface StoredValue {
  /** The row's primary key. */
  id: string
  value: string
  context: string
  /** The row in words for an operator (table, workspace/team, label or installation key; never the secret). */
  where: string
}

/** statusReason of a Meta connection whose unreadable token `promoly rotate-key --forget-unreadable` removed. */
const FORGOTTEN_TOKEN_REASON =
  'Its stored Meta token could not be read (encrypted with a key that is gone) and was removed: an admin connects the account again with /promoly connect'

interface EncryptedColumn {
  /** How people call these values in messages. */
  label: string
  read(prisma: Pick<PrismaClient, 'slackInstallation' | 'metaConnection'>): Promise<StoredValue[]>
  write(prisma: Pick<PrismaClient, 'slackInstallation' | 'metaConnection'>, row: StoredValue, next: string): Promise<boolean>
  /** Removes an unreadable value (what `--forget-unreadable` does), audited. */
  forget(tx: Prisma.TransactionClient, row: StoredValue): Promise<void>
}

const ENCRYPTED_COLUMNS: EncryptedColumn[] = [
  {
    label: 'Slack installation',
    async read(prisma) {
      const rows = await prisma.slackInstallation.findMany({ select: { id: true, installationKey: true, installationEnc: true } })
      return rows.map((r) => ({
        id: r.id,
        value: r.installationEnc,
        context: installationSecretContext(r.installationKey),
        where: `Slack installation ${r.installationKey} (SlackInstallation ${r.id})`,
      }))
    },
    async forget(tx, row) {
      // Like an uninstall: the tokens go, the row (and who installed it) stays.
      const r = await tx.slackInstallation.updateMany({
        where: { id: row.id, installationEnc: row.value },
        data: { installationEnc: '', botUserId: null, botId: null, scopes: '' },
      })
      if (r.count !== 1) throw new Error(`${row.where} changed meanwhile; run promoly rotate-key --forget-unreadable again`)
      const installation = await tx.slackInstallation.findUniqueOrThrow({ where: { id: row.id }, select: { installationKey: true } })
      const [kind, id] = [installation.installationKey.slice(0, 1), installation.installationKey.slice(2)]
      const workspaces = await tx.workspace.findMany({
        where: kind === 'E' ? { OR: [{ slackEnterpriseId: id }, { slackTeamId: id }] } : { slackTeamId: id },
        select: { id: true },
      })
      for (const ws of workspaces)
        await recordAuditEvent(tx, {
          workspaceId: ws.id,
          actorType: 'system',
          action: 'secret.unreadable_forgotten',
          targetType: 'slack_installation',
          targetId: installation.installationKey,
          data: { what: 'Slack installation tokens', by: 'promoly rotate-key --forget-unreadable' },
        })
    },
    async write(prisma, row, next) {
      const r = await prisma.slackInstallation.updateMany({
        where: { id: row.id, installationEnc: row.value },
        data: { installationEnc: next },
      })
      return r.count === 1
    },
  },
  {
    label: 'Meta connection',
    async read(prisma) {
      const rows = await prisma.metaConnection.findMany({
        select: { id: true, accessTokenEnc: true, label: true, workspace: { select: { slackTeamId: true, name: true } } },
      })
      return rows.map((r) => ({
        id: r.id,
        value: r.accessTokenEnc,
        context: connectionSecretContext(r.id),
        where: `Meta connection "${r.label}" of workspace ${r.workspace.slackTeamId}${r.workspace.name ? ` (${r.workspace.name})` : ''} (MetaConnection ${r.id})`,
      }))
    },
    async forget(tx, row) {
      const r = await tx.metaConnection.updateMany({
        where: { id: row.id, accessTokenEnc: row.value },
        data: { accessTokenEnc: '', status: 'NEEDS_RECONNECT', statusReason: FORGOTTEN_TOKEN_REASON },
      })
      if (r.count !== 1) throw new Error(`${row.where} changed meanwhile; run promoly rotate-key --forget-unreadable again`)
      const connection = await tx.metaConnection.findUniqueOrThrow({ where: { id: row.id }, select: { workspaceId: true, label: true } })
      await recordAuditEvent(tx, {
        workspaceId: connection.workspaceId,
        actorType: 'system',
        action: 'secret.unreadable_forgotten',
        targetType: 'meta_connection',
        targetId: row.id,
        data: { what: 'Meta token', label: connection.label, status: 'NEEDS_RECONNECT', by: 'promoly rotate-key --forget-unreadable' },
      })
    },
    async write(prisma, row, next) {
      const r = await prisma.metaConnection.updateMany({ where: { id: row.id, accessTokenEnc: row.value }, data: { accessTokenEnc: next } })
      return r.count === 1
    },
  },
]

/** How many encrypted values the database holds (values that are not in an encrypted format are not counted). */
export async function countStoredSecrets(prisma: PrismaClient): Promise<number> {
  let n = 0
  for (const column of ENCRYPTED_COLUMNS) n += (await column.read(prisma)).filter((r) => describeSecret(r.value)).length
  return n
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * Why the box cannot read what is stored, or undefined when it can: every value's key must be configured,
 * and one value of each key must decrypt in its place (v1 values: see upgradeV1Secrets).
 */
export async function unreadableSecrets(prisma: PrismaClient, box: SecretBox): Promise<string | undefined> {
  const missing = new Map<string, number>()
  const failures: string[] = []
  // v1 values are not checked here: while v1 is not retired, start-up's upgrade reads every one of them next
  // (naming each it cannot read); once it is, a v1 value is a stray nobody reads, not a key problem.
  for (const column of ENCRYPTED_COLUMNS) {
    const tried = new Set<string>()
    for (const row of await column.read(prisma)) {
      const d = describeSecret(row.value)
      if (!d || d.version === 'v1') continue
      const key = d.keyId
      if (!box.keyIds.includes(d.keyId)) {
        missing.set(d.keyId, (missing.get(d.keyId) ?? 0) + 1)
        continue
      }
      if (tried.has(key)) continue
      tried.add(key)
      try {
        box.decrypt(row.value, row.context)
      } catch (err) {
        failures.push(`a ${column.label} (${(err as Error).message})`)
      }
    }
  }
  if (missing.size === 0 && failures.length === 0) return undefined
  const parts = [...missing].map(([keyId, n]) => `${plural(n, 'secret')} encrypted with key ${keyId}`)
  return [...parts, ...failures.map((f) => `cannot decrypt ${f}`)].join('; ')
}

/** The PromolyState key recording that every v1 value was upgraded: v1 is never read again. */
const V1_RETIRED = 'secrets.v1-retired'

async function isV1Retired(db: Pick<PrismaClient, 'promolyState'>): Promise<boolean> {
  return (await db.promolyState.findUnique({ where: { key: V1_RETIRED } })) !== null
}

/**
 * Stored values the configured keys cannot decrypt, each named (never the secret): thrown by a re-encryption,
 * which then changed nothing.
 */
export class UnreadableSecretsError extends Error {
  constructor(
    /** Each row in words, e.g. `Meta connection "Ads" of workspace T123 (MetaConnection c1)`. */
    readonly rows: string[],
    readonly reason: string,
  ) {
    super(
      `Cannot decrypt secret: ${rows.length} stored value${rows.length === 1 ? '' : 's'} cannot be read (${reason}): ${rows.join('; ')}`,
    )
    this.name = 'UnreadableSecretsError'
  }
}

export interface RotateSecretsResult {
  /** Values re-encrypted with the current key, per column label (v1 values upgraded included). */
  reencrypted: Record<string, number>
  /** Values already under the current key in the current format (or, for the v1 upgrade, in v2). */
  alreadyCurrent: number
  /** v1 values found after v1 was retired (restored from an old backup or copied from another row): left unread. */
  strayV1: number
  /** Unreadable values removed (`forgetUnreadable`), each named. */
  forgotten: string[]
}

/**
 * Re-encrypts stored secrets with the box's current key, bound to their rows, in one transaction (serialised
 * with any other Promoly doing the same). `all`: every value not yet under the current key (rotate-key);
 * `v1`: only values of the old v1 format (start-up). v1 values are read only while v1 is not yet retired, and
 * the transaction retires it. Idempotent. When values cannot be decrypted it throws UnreadableSecretsError
 * naming every one (changing nothing), unless `forgetUnreadable`: then they are removed (see EncryptedColumn.forget).
 */
async function reencryptSecrets(
  prisma: PrismaClient,
  box: SecretBox,
  which: 'all' | 'v1',
  forgetUnreadable = false,
): Promise<RotateSecretsResult> {
  return prisma.$transaction(
    async (tx: Prisma.TransactionClient) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('promoly.stored-secrets', 0))`
      const retired = await isV1Retired(tx)
      const result: RotateSecretsResult = { reencrypted: {}, alreadyCurrent: 0, strayV1: 0, forgotten: [] }
      const unreadable: Array<{ column: EncryptedColumn; row: StoredValue; reason: string }> = []
      for (const column of ENCRYPTED_COLUMNS) {
        let n = 0
        for (const row of await column.read(tx)) {
          const d = describeSecret(row.value)
          if (!d) continue
          if (d.version === 'v1' && retired) {
            result.strayV1++
            continue
          }
          if (d.version === 'v2' && (which === 'v1' || box.isCurrent(row.value))) {
            result.alreadyCurrent++
            continue
          }
          let plain: string
          try {
            plain = d.version === 'v1' ? box.decryptV1(row.value) : box.decrypt(row.value, row.context)
          } catch (err) {
            if (!(err as Error).message.startsWith('Cannot decrypt secret')) throw err
            unreadable.push({ column, row, reason: (err as Error).message })
            continue
          }
          if (!(await column.write(tx, row, box.encrypt(plain, row.context))))
            throw new Error(`a ${column.label} changed during the rotation; run promoly rotate-key again`)
          n++
        }
        result.reencrypted[column.label] = n
      }
      if (unreadable.length > 0 && !forgetUnreadable)
        throw new UnreadableSecretsError(
          unreadable.map((u) => u.row.where),
          [...new Set(unreadable.map((u) => u.reason.replace(/^Cannot decrypt secret: /, '')))].join('; '),
        )
      for (const u of unreadable) {
        await u.column.forget(tx, u.row)
        result.forgotten.push(u.row.where)
      }
      if (!retired) await tx.promolyState.create({ data: { key: V1_RETIRED, value: new Date().toISOString() } })
      return result
    },
    { timeout: 120_000, maxWait: 30_000 },
  )
}

/**
 * `promoly rotate-key`: re-encrypts every stored secret that is not yet under the box's current key (old key
 * ids, the old v1 format while it is not retired), bound to its row, in one transaction. A second run finds
 * everything current. `forgetUnreadable` (`promoly rotate-key --forget-unreadable`): values no configured key
 * reads are removed instead of stopping the rotation — a Meta connection's token is emptied and the connection
 * set to NEEDS_RECONNECT (FORGOTTEN_TOKEN_REASON), a Slack installation's tokens are emptied (the row stays, as
 * after an uninstall) — each audited (`secret.unreadable_forgotten`).
 */
export function rotateSecrets(
  prisma: PrismaClient,
  box: SecretBox,
  options: { forgetUnreadable?: boolean } = {},
): Promise<RotateSecretsResult> {
  return reencryptSecrets(prisma, box, 'all', options.forgetUnreadable)
}

/**
 * Start-up: upgrades every value of the old v1 format (no row binding) to v2 under the current key, bound to
 * its row, in one transaction, and retires v1. Values under old v2 keys stay as they are (rotate-key moves them).
 */
export function upgradeV1Secrets(prisma: PrismaClient, box: SecretBox): Promise<RotateSecretsResult> {
  return reencryptSecrets(prisma, box, 'v1')
}
