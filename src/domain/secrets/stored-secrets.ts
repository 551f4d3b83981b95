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
}

interface EncryptedColumn {
  /** How people call these values in messages. */
  label: string
  read(prisma: Pick<PrismaClient, 'slackInstallation' | 'metaConnection'>): Promise<StoredValue[]>
  write(prisma: Pick<PrismaClient, 'slackInstallation' | 'metaConnection'>, row: StoredValue, next: string): Promise<boolean>
}

const ENCRYPTED_COLUMNS: EncryptedColumn[] = [
  {
    label: 'Slack installation',
    async read(prisma) {
      const rows = await prisma.slackInstallation.findMany({ select: { id: true, installationKey: true, installationEnc: true } })
      return rows.map((r) => ({ id: r.id, value: r.installationEnc, context: installationSecretContext(r.installationKey) }))
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
      const rows = await prisma.metaConnection.findMany({ select: { id: true, accessTokenEnc: true } })
      return rows.map((r) => ({ id: r.id, value: r.accessTokenEnc, context: connectionSecretContext(r.id) }))
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
 * and one value of each key (and of the old format, which names no key) must decrypt in its place.
 */
export async function unreadableSecrets(prisma: PrismaClient, box: SecretBox): Promise<string | undefined> {
  const missing = new Map<string, number>()
  const failures: string[] = []
  // Once v1 is retired, a v1 value is a stray nobody reads (see upgradeV1Secrets), not a key problem.
  const v1Retired = await isV1Retired(prisma)
  for (const column of ENCRYPTED_COLUMNS) {
    const tried = new Set<string>()
    for (const row of await column.read(prisma)) {
      const d = describeSecret(row.value)
      if (!d || (d.version === 'v1' && v1Retired)) continue
      const key = d.version === 'v2' ? d.keyId : 'v1'
      if (d.version === 'v2' && !box.keyIds.includes(d.keyId)) {
        missing.set(d.keyId, (missing.get(d.keyId) ?? 0) + 1)
        continue
      }
      if (tried.has(key)) continue
      tried.add(key)
      try {
        if (d.version === 'v1') box.decryptV1(row.value)
        else box.decrypt(row.value, row.context)
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

export interface RotateSecretsResult {
  /** Values re-encrypted with the current key, per column label (v1 values upgraded included). */
  reencrypted: Record<string, number>
  /** Values already under the current key in the current format (or, for the v1 upgrade, in v2). */
  alreadyCurrent: number
  /** v1 values found after v1 was retired (restored from an old backup or copied from another row): left unread. */
  strayV1: number
}

/**
 * Re-encrypts stored secrets with the box's current key, bound to their rows, in one transaction (serialised
 * with any other Promoly doing the same). `all`: every value not yet under the current key (rotate-key);
 * `v1`: only values of the old v1 format (start-up). v1 values are read only while v1 is not yet retired, and
 * the transaction retires it. Idempotent. Throws (changing nothing) when a value cannot be decrypted.
 */
async function reencryptSecrets(prisma: PrismaClient, box: SecretBox, which: 'all' | 'v1'): Promise<RotateSecretsResult> {
  return prisma.$transaction(
    async (tx: Prisma.TransactionClient) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('promoly.stored-secrets', 0))`
      const retired = await isV1Retired(tx)
      const result: RotateSecretsResult = { reencrypted: {}, alreadyCurrent: 0, strayV1: 0 }
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
          const plain = d.version === 'v1' ? box.decryptV1(row.value) : box.decrypt(row.value, row.context)
          if (!(await column.write(tx, row, box.encrypt(plain, row.context))))
            throw new Error(`a ${column.label} changed during the rotation; run promoly rotate-key again`)
          n++
        }
        result.reencrypted[column.label] = n
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
 * everything current.
 */
export function rotateSecrets(prisma: PrismaClient, box: SecretBox): Promise<RotateSecretsResult> {
  return reencryptSecrets(prisma, box, 'all')
}

/**
 * Start-up: upgrades every value of the old v1 format (no row binding) to v2 under the current key, bound to
 * its row, in one transaction, and retires v1. Values under old v2 keys stay as they are (rotate-key moves them).
 */
export function upgradeV1Secrets(prisma: PrismaClient, box: SecretBox): Promise<RotateSecretsResult> {
  return reencryptSecrets(prisma, box, 'v1')
}
