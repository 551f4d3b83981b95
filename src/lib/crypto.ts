/**
 * Secrets at rest (Slack installations, Meta tokens): AES-256-GCM with a random 12-byte IV per message,
 * bound to where the value is stored (its table, column and row) through GCM's additional data, so a
 * value copied into another row does not decrypt.
 *
 * Token format: `v2:<key id>:<iv base64>:<auth tag base64>:<ciphertext base64>`, where the key id is the first
 * 8 hex characters of the key's sha256 (it names the key without revealing it). Values written before key ids
 * (`v1:<iv>:<tag>:<ciphertext>`, no additional data, so they would decrypt in any row) are refused by
 * `decrypt`: start-up upgrades them once (domain/secrets/stored-secrets.ts) with `decryptV1`, the only reader.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ensurePrivateDir } from './private-dir.ts'

export interface SecretBox {
  /** Key id of the key new values are encrypted with. */
  readonly keyId: string
  /** Key ids this box can decrypt (the current key first, then the old ones). */
  readonly keyIds: readonly string[]
  /** Encrypts `plain` for the place named by `context` (see secretContext): it decrypts only with the same context. */
  encrypt(plain: string, context: string): string
  /**
   * Decrypts a value stored at `context`; throws when the key is unknown, the value was moved or tampered with,
   * or it is in the retired v1 format (not bound to a row).
   */
  decrypt(token: string, context: string): string
  /** Decrypts a v1 value (no row binding): only for upgrading the database's v1 values, once. */
  decryptV1(token: string): string
  /** Whether the value is already in the current format under the current key (rotate-key leaves it alone). */
  isCurrent(token: string): boolean
}

const V1 = 'v1'
const V2 = 'v2'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
export const LOCAL_KEY_FILE = 'encryption.key'
/** A key `promoly rotate-key` made for the embedded default and has not finished switching to yet. */
const LOCAL_NEXT_KEY_FILE = 'encryption.key.next'

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** Where a stored secret lives: `<table>.<column>:<row key>`, the additional data its ciphertext is bound to. */
export function secretContext(table: string, column: string, rowKey: string): string {
  return `${table}.${column}:${rowKey}`
}

/** Decodes ENCRYPTION_KEY: base64 of exactly 32 random bytes (make one with `openssl rand -base64 32`). */
export function parseEncryptionKey(value: string | undefined): Buffer {
  const text = (value ?? '').trim()
  const key = BASE64.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : undefined
  if (!key || key.length !== KEY_BYTES) {
    throw new Error(
      `ENCRYPTION_KEY must be base64 of exactly ${KEY_BYTES} bytes (44 characters); generate one with \`openssl rand -base64 32\``,
    )
  }
  return key
}

/** The key id of a key (base64): first 8 hex characters of its sha256. */
export function encryptionKeyId(keyBase64: string): string {
  return createHash('sha256').update(parseEncryptionKey(keyBase64)).digest('hex').slice(0, 8)
}

/** A new random key, base64 (what `openssl rand -base64 32` prints). */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('base64')
}

/** The format and key id of a stored value, without decrypting it; undefined when it is not an encrypted value. */
export function describeSecret(token: string): { version: 'v1' } | { version: 'v2'; keyId: string } | undefined {
  const parts = token.split(':')
  if (parts[0] === V1 && parts.length === 4) return { version: 'v1' }
  if (parts[0] === V2 && parts.length === 5 && /^[0-9a-f]{8}$/.test(parts[1] ?? '')) return { version: 'v2', keyId: parts[1] as string }
  return undefined
}

interface Sealed {
  iv: Buffer
  tag: Buffer
  data: Buffer
}

function sealedParts(ivText: string, tagText: string, dataText: string): Sealed {
  const iv = Buffer.from(ivText, 'base64')
  const tag = Buffer.from(tagText, 'base64')
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('Cannot decrypt secret: malformed value')
  return { iv, tag, data: Buffer.from(dataText, 'base64') }
}

/** Decrypts, or undefined when the key or the additional data does not match (GCM's tag check). */
function open(key: Buffer, sealed: Sealed, aad: string | undefined): string | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv)
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'))
  decipher.setAuthTag(sealed.tag)
  try {
    return Buffer.concat([decipher.update(sealed.data), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}

/**
 * A box that encrypts with `currentKey` and decrypts with it or any of `oldKeys` (base64 each; decrypt only,
 * e.g. ENCRYPTION_KEYS_OLD while `promoly rotate-key` moves every value to the current key).
 */
export function createSecretBox(currentKey: string, oldKeys: readonly string[] = []): SecretBox {
  const current = parseEncryptionKey(currentKey)
  const keyId = encryptionKeyId(currentKey)
  const keys = new Map<string, Buffer>([[keyId, current]])
  for (const k of oldKeys) if (!keys.has(encryptionKeyId(k))) keys.set(encryptionKeyId(k), parseEncryptionKey(k))
  return {
    keyId,
    keyIds: [...keys.keys()],
    encrypt(plain: string, context: string): string {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', current, iv)
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [V2, keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':')
    },
    decrypt(token: string, context: string): string {
      const parts = token.split(':')
      const described = describeSecret(token)
      if (!described) throw new Error(`Cannot decrypt secret: not an encrypted value (${V2} or ${V1})`)
      if (described.version === 'v2') {
        const [, id, iv, tag, data] = parts as [string, string, string, string, string]
        const sealed = sealedParts(iv, tag, data)
        const key = keys.get(id)
        if (!key)
          throw new Error(
            `Cannot decrypt secret: it was encrypted with key ${id}, which is not configured (ENCRYPTION_KEY is ${keyId}; add the old key to ENCRYPTION_KEYS_OLD)`,
          )
        const plain = open(key, sealed, context)
        if (plain === undefined) throw new Error('Cannot decrypt secret: the value was tampered with or moved from another row')
        return plain
      }
      throw new Error(
        'Cannot decrypt secret: it is in the retired v1 format, which is not bound to its row (every v1 value was upgraded at start-up, so this one was restored from an old backup or copied from another row): connect the Meta account or install Promoly again',
      )
    },
    decryptV1(token: string): string {
      const parts = token.split(':')
      if (describeSecret(token)?.version !== V1) throw new Error('Cannot decrypt secret: not a v1 value')
      // v1: no key id, no additional data: try each configured key.
      const [, iv, tag, data] = parts as [string, string, string, string]
      const sealed = sealedParts(iv, tag, data)
      for (const key of keys.values()) {
        const plain = open(key, sealed, undefined)
        if (plain !== undefined) return plain
      }
      throw new Error('Cannot decrypt secret: wrong ENCRYPTION_KEY or the value was tampered with')
    },
    isCurrent(token: string): boolean {
      const d = describeSecret(token)
      return d?.version === 'v2' && d.keyId === keyId
    },
  }
}

/** Where the embedded default keeps its key: `<dataDir>/encryption.key`, beside (never inside) the PGlite files in `<dataDir>/pgdata`. */
export function localKeyPath(dataDir: string): string {
  return join(dataDir, LOCAL_KEY_FILE)
}

/** A key file whose content is not a key (garbage, truncated, edited): the caller says how to fix it. */
export class InvalidKeyFileError extends Error {
  constructor(readonly path: string) {
    super(`${path} does not hold a valid key (ENCRYPTION_KEY format: base64 of ${KEY_BYTES} bytes)`)
    this.name = 'InvalidKeyFileError'
  }
}

function readKeyFile(path: string): string | undefined {
  if (!existsSync(path)) return undefined
  // Tighten a key file someone copied in with looser permissions.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600)
  const key = readFileSync(path, 'utf8').trim()
  try {
    parseEncryptionKey(key)
  } catch {
    throw new InvalidKeyFileError(path)
  }
  return key
}

/** The embedded default's key from `<dataDir>/encryption.key`; undefined when there is none. Never creates one. */
export function readLocalKey(dataDir: string): string | undefined {
  return readKeyFile(localKeyPath(dataDir))
}

/** The key an unfinished embedded `promoly rotate-key` was moving to, if any. */
export function readLocalNextKey(dataDir: string): string | undefined {
  return readKeyFile(join(dataDir, LOCAL_NEXT_KEY_FILE))
}

function writeKeyFile(path: string, key: string): void {
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, `${key}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  chmodSync(path, 0o600)
}

/**
 * Creates the embedded default's key file (32 random bytes, base64, mode 0600) in a 0700 data folder.
 * Call it only when the database holds no encrypted value: a new key cannot read old ones. If another
 * process created the file first, its key is returned.
 */
export function createLocalKey(dataDir: string): string {
  ensurePrivateDir(dataDir, { tighten: true })
  const key = generateEncryptionKey()
  try {
    writeKeyFile(localKeyPath(dataDir), key)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readLocalKey(dataDir) as string
    throw error
  }
  return key
}

/** Writes (or keeps) the key an embedded rotation moves to, `<dataDir>/encryption.key.next` (0600). */
export function prepareLocalNextKey(dataDir: string): string {
  const existing = readLocalNextKey(dataDir)
  if (existing) return existing
  const key = generateEncryptionKey()
  writeKeyFile(join(dataDir, LOCAL_NEXT_KEY_FILE), key)
  return key
}

/** Makes the next key the embedded default's key (atomic rename over encryption.key). */
export function promoteLocalNextKey(dataDir: string): void {
  renameSync(join(dataDir, LOCAL_NEXT_KEY_FILE), localKeyPath(dataDir))
}
