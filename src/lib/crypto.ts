/**
 * Secrets at rest (Slack installations, Meta tokens): AES-256-GCM with a random 12-byte IV per message.
 * Token format: `v1:<iv base64>:<auth tag base64>:<ciphertext base64>`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface SecretBox {
  encrypt(plain: string): string
  decrypt(token: string): string
}

const VERSION = 'v1'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
export const LOCAL_KEY_FILE = 'encryption.key'

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

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

export function createSecretBox(keyBase64: string): SecretBox {
  const key = parseEncryptionKey(keyBase64)
  return {
    encrypt(plain: string): string {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':')
    },
    decrypt(token: string): string {
      const parts = token.split(':')
      const [version, ivText, tagText, dataText] = parts
      if (parts.length !== 4 || version !== VERSION || ivText === undefined || tagText === undefined || dataText === undefined) {
        throw new Error(`Cannot decrypt secret: not a ${VERSION} encrypted value`)
      }
      const iv = Buffer.from(ivText, 'base64')
      const tag = Buffer.from(tagText, 'base64')
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('Cannot decrypt secret: malformed value')
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAuthTag(tag)
      try {
        return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64')), decipher.final()]).toString('utf8')
      } catch {
        throw new Error('Cannot decrypt secret: wrong ENCRYPTION_KEY or the value was tampered with')
      }
    },
  }
}

/**
 * The embedded setup's key: reads `<dataDir>/encryption.key`, or creates it (32 random bytes, base64, mode 0600).
 * Losing this file makes every stored secret unreadable.
 */
export function loadOrCreateLocalKey(dataDir: string): string {
  const path = join(dataDir, LOCAL_KEY_FILE)
  if (existsSync(path)) {
    const key = readFileSync(path, 'utf8').trim()
    try {
      parseEncryptionKey(key)
    } catch {
      throw new Error(`${path} does not hold a valid key (ENCRYPTION_KEY format: base64 of ${KEY_BYTES} bytes)`)
    }
    return key
  }
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(KEY_BYTES).toString('base64')
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateLocalKey(dataDir)
    throw error
  }
  return key
}
