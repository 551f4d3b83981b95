/**
 * The encrypted columns of the database, what start-up checks before it serves anyone, and the
 * re-encryption `promoly rotate-key` runs. Each value is bound (AES-GCM additional data) to its table,
 * column and row: `SlackInstallation.installationEnc:<installationKey>`, `MetaConnection.accessTokenEnc:<id>`.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts'
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
  for (const column of ENCRYPTED_COLUMNS) {
    const tried = new Set<string>()
    for (const row of await column.read(prisma)) {
      const d = describeSecret(row.value)
      if (!d) continue
      const key = d.version === 'v2' ? d.keyId : 'v1'
      if (d.version === 'v2' && !box.keyIds.includes(d.keyId)) {
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

export interface RotateSecretsResult {
  /** Values re-encrypted with the current key, per column label. */
  reencrypted: Record<string, number>
  /** Values already under the current key in the current format. */
  alreadyCurrent: number
}

/**
 * Re-encrypts every stored secret that is not yet under the box's current key (old key ids, the old v1
 * format), bound to its row, in one transaction. Idempotent: a second run finds everything current.
 * Throws (changing nothing) when a value cannot be decrypted with the configured keys.
 */
export async function rotateSecrets(prisma: PrismaClient, box: SecretBox): Promise<RotateSecretsResult> {
  return prisma.$transaction(
    async (tx) => {
      const result: RotateSecretsResult = { reencrypted: {}, alreadyCurrent: 0 }
      for (const column of ENCRYPTED_COLUMNS) {
        let n = 0
        for (const row of await column.read(tx)) {
          if (!describeSecret(row.value)) continue
          if (box.isCurrent(row.value)) {
            result.alreadyCurrent++
            continue
          }
          const plain = box.decrypt(row.value, row.context)
          if (!(await column.write(tx, row, box.encrypt(plain, row.context))))
            throw new Error(`a ${column.label} changed during the rotation; run promoly rotate-key again`)
          n++
        }
        result.reencrypted[column.label] = n
      }
      return result
    },
    { timeout: 120_000, maxWait: 30_000 },
  )
}
