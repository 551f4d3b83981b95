/**
 * The encryption keys of a running Promoly and of `promoly rotate-key`: ENCRYPTION_KEY (plus ENCRYPTION_KEYS_OLD,
 * decrypt only), or in the embedded default the key file `<PROMOLY_DATA_DIR>/encryption.key`. Start-up refuses
 * to run when the database holds secrets these keys cannot read, and never makes a new key while it holds any.
 */
import { type Config, ConfigError } from './config/env.ts'
import {
  countStoredSecrets,
  type RotateSecretsResult,
  rotateSecrets,
  UnreadableSecretsError,
  unreadableSecrets,
  upgradeV1Secrets,
} from './domain/secrets/stored-secrets.ts'
import type { PrismaClient } from './generated/prisma/client.ts'
import {
  createLocalKey,
  createSecretBox,
  encryptionKeyId,
  generateEncryptionKey,
  InvalidKeyFileError,
  localKeyPath,
  prepareLocalNextKey,
  promoteLocalNextKey,
  readLocalKey,
  readLocalNextKey,
  type SecretBox,
} from './lib/crypto.ts'
import type { Logger } from './lib/logger.ts'

const MEMORY_DATA_DIR = 'memory://'

function whereTheKeyIs(config: Config): string {
  return config.encryptionKey ? 'ENCRYPTION_KEY' : `the key file ${localKeyPath(config.dataDir)}`
}

/** Reads a key file, refusing one that holds no key the way a missing or wrong key is refused. */
function keyFile<T>(read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (!(err instanceof InvalidKeyFileError)) throw err
    throw new ConfigError([
      `ENCRYPTION_KEY: is not set and the key file ${err.path} does not hold a key. It should contain one line: the base64 of 32 random bytes (44 characters), as Promoly wrote it. Restore it from your backup, or set ENCRYPTION_KEY to the key your data was encrypted with. Promoly will not replace the file.`,
    ])
  }
}

function refuse(config: Config, what: string): never {
  const fix = config.encryptionKey
    ? 'Set ENCRYPTION_KEY to the key they were encrypted with (during a rotation: the new key in ENCRYPTION_KEY, the old one in ENCRYPTION_KEYS_OLD).'
    : `Restore ${localKeyPath(config.dataDir)} from your backup, or set ENCRYPTION_KEY to the key they were encrypted with.`
  throw new ConfigError([
    `ENCRYPTION_KEY: ${what} Promoly will not start without it, and will not make a new key (it could not read them). ${fix}`,
  ])
}

/**
 * The key box of a starting Promoly, after checking it reads what the database holds and upgrading every
 * value of the old v1 format (not bound to its row) to the current format, once. In the embedded default a
 * key file is created only while the database holds no encrypted value.
 */
export async function openSecretBox(config: Config, prisma: PrismaClient, logger: Logger): Promise<SecretBox> {
  const old = [...config.oldEncryptionKeys]
  let current = config.encryptionKey
  if (!current) {
    const ephemeral = config.dataDir.startsWith(MEMORY_DATA_DIR)
    const next = ephemeral ? undefined : keyFile(() => readLocalNextKey(config.dataDir))
    if (next) {
      // An embedded rotation stopped half-way: the database may already be under the next key.
      old.push(next)
      logger.warn('an unfinished `promoly rotate-key` left encryption.key.next: run `promoly rotate-key` again to finish it')
    }
    current = ephemeral ? undefined : keyFile(() => readLocalKey(config.dataDir))
    if (!current) {
      const stored = await countStoredSecrets(prisma)
      if (stored > 0)
        refuse(
          config,
          `is not set and ${localKeyPath(config.dataDir)} is missing, but the database holds ${stored} encrypted secret${stored === 1 ? '' : 's'} (Slack installations, Meta tokens).`,
        )
      current = ephemeral ? generateEncryptionKey() : createLocalKey(config.dataDir)
      if (!ephemeral) logger.info({ keyFile: localKeyPath(config.dataDir) }, 'created the encryption key file (mode 0600): back it up')
    }
  }
  const box = createSecretBox(current, old)
  const problem = await unreadableSecrets(prisma, box)
  if (problem)
    refuse(
      config,
      `the database holds secrets that ${whereTheKeyIs(config)} (key id ${box.keyId}${old.length ? `, old keys ${box.keyIds.slice(1).join(', ')}` : ''}) cannot read: ${problem}.`,
    )
  await upgradeV1(config, prisma, box, logger)
  return box
}

/** Start-up's one-time upgrade of v1 values (see upgradeV1Secrets), logged; a v1 value found later is reported, never read. */
async function upgradeV1(config: Config, prisma: PrismaClient, box: SecretBox, logger: Logger): Promise<void> {
  const result = await rotateOrExplain(config, 'start-up', () => upgradeV1Secrets(prisma, box))
  const upgraded = Object.values(result.reencrypted).reduce((a, b) => a + b, 0)
  if (upgraded > 0)
    logger.info(
      { upgraded: result.reencrypted, keyId: box.keyId },
      `upgraded ${upgraded} stored secret${upgraded === 1 ? '' : 's'} from the v1 format to v2 (bound to their rows)`,
    )
  if (result.strayV1 > 0)
    logger.error(
      { strayV1: result.strayV1 },
      `the database holds ${result.strayV1} secret${result.strayV1 === 1 ? '' : 's'} in the retired v1 format (restored from an old backup or copied from another row): Promoly will not read them; connect those Meta accounts or install Promoly again`,
    )
}

export interface RotateKeyReport extends RotateSecretsResult {
  /** Key id everything is now encrypted with. */
  keyId: string
  /** Embedded default: the key file now holds the new key. */
  keyFile?: string
}

/**
 * `promoly rotate-key`: re-encrypts every stored secret with the current key, bound to its row.
 *
 * - With ENCRYPTION_KEY: the new key is ENCRYPTION_KEY and the old ones are in ENCRYPTION_KEYS_OLD; running
 *   instances may keep serving meanwhile (they read both).
 * - Embedded default (no ENCRYPTION_KEY, Promoly stopped): a new key is written to `encryption.key.next`, every
 *   secret re-encrypted with it, then it replaces `encryption.key`. Interrupted, it is finished by running it again.
 *
 * `forgetUnreadable` (`--forget-unreadable`): values no configured key can read are removed (see rotateSecrets)
 * instead of stopping the rotation; the report names them.
 */
export async function rotateKey(
  config: Config,
  prisma: PrismaClient,
  options: { forgetUnreadable?: boolean } = {},
): Promise<RotateKeyReport> {
  if (config.encryptionKey) {
    const box = createSecretBox(config.encryptionKey, config.oldEncryptionKeys)
    return { ...(await rotateOrExplain(config, 'rotate-key', () => rotateSecrets(prisma, box, options))), keyId: box.keyId }
  }
  if (config.dataDir.startsWith(MEMORY_DATA_DIR)) throw new Error('rotate-key needs ENCRYPTION_KEY or a PROMOLY_DATA_DIR on disk')
  const currentKey = keyFile(() => readLocalKey(config.dataDir))
  const stored = await countStoredSecrets(prisma)
  if (!currentKey && stored > 0)
    refuse(config, `is not set and ${localKeyPath(config.dataDir)} is missing, but the database holds ${stored} encrypted secrets.`)
  const nextKey = keyFile(() => prepareLocalNextKey(config.dataDir))
  const box = createSecretBox(nextKey, [...(currentKey ? [currentKey] : []), ...config.oldEncryptionKeys])
  const result = await rotateOrExplain(config, 'rotate-key', () => rotateSecrets(prisma, box, options))
  promoteLocalNextKey(config.dataDir)
  return { ...result, keyId: encryptionKeyId(nextKey), keyFile: localKeyPath(config.dataDir) }
}

/**
 * A re-encryption, with values the keys cannot read reported as a key problem (nothing was changed then):
 * which rows, and the two ways out — the old key in ENCRYPTION_KEYS_OLD, or `promoly rotate-key
 * --forget-unreadable` (those Meta accounts are connected again, those Slack installations installed again).
 */
async function rotateOrExplain(
  config: Config,
  during: 'start-up' | 'rotate-key',
  work: () => Promise<RotateSecretsResult>,
): Promise<RotateSecretsResult> {
  try {
    return await work()
  } catch (err) {
    if (!(err instanceof UnreadableSecretsError)) throw err
    const where = config.encryptionKey ? 'ENCRYPTION_KEYS_OLD' : `ENCRYPTION_KEYS_OLD (or restore ${localKeyPath(config.dataDir)})`
    const n = err.rows.length
    const them = n === 1 ? 'it' : 'them'
    throw new ConfigError([
      [
        `ENCRYPTION_KEY: ${n} stored secret${n === 1 ? '' : 's'} cannot be read with the configured keys (${err.reason}):`,
        ...err.rows.map((row) => `    - ${row}`),
        `  ${during === 'start-up' ? 'Promoly will not start' : 'rotate-key changed nothing'} while ${n === 1 ? 'this value is' : 'these values are'} unreadable. Two ways out:`,
        `    1. Put the key ${them} ${n === 1 ? 'was' : 'were'} encrypted with in ${where}, and ${during === 'start-up' ? 'start Promoly again' : 'run promoly rotate-key again'}.`,
        `    2. If that key is lost: run \`promoly rotate-key --forget-unreadable\`. It removes ${n === 1 ? 'this value' : 'these values'} (a Meta connection is marked "reconnect needed" and an admin connects it again with /promoly connect; a Slack installation loses its tokens, like an uninstall, and is installed again), audited${during === 'start-up' ? '; then start Promoly' : ''}.`,
      ].join('\n'),
    ])
  }
}
