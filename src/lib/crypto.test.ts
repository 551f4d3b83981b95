import { createCipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createLocalKey,
  createSecretBox,
  describeSecret,
  encryptionKeyId,
  LOCAL_KEY_FILE,
  localKeyPath,
  parseEncryptionKey,
  readLocalKey,
  secretContext,
} from './crypto.ts'

const key = () => randomBytes(32).toString('base64')
const ROW_A = secretContext('MetaConnection', 'accessTokenEnc', 'row-a')
const ROW_B = secretContext('MetaConnection', 'accessTokenEnc', 'row-b')

/** A value in the format Promoly wrote before key ids and additional data (v1). */
function v1Encrypt(keyBase64: string, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':')
}

describe('createSecretBox', () => {
  it('round-trips text in the v2 format, naming its key, with a fresh IV each time', () => {
    const k = key()
    const box = createSecretBox(k)
    const plain = 'xoxb-123 ünïcode ✓'
    const a = box.encrypt(plain, ROW_A)
    const b = box.encrypt(plain, ROW_A)
    expect(a).toMatch(/^v2:[0-9a-f]{8}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/)
    expect(a.split(':')[1]).toBe(encryptionKeyId(k))
    expect(box.keyId).toBe(encryptionKeyId(k))
    expect(describeSecret(a)).toEqual({ version: 'v2', keyId: box.keyId })
    expect(a).not.toBe(b)
    expect(box.decrypt(a, ROW_A)).toBe(plain)
    expect(box.decrypt(b, ROW_A)).toBe(plain)
    expect(box.decrypt(box.encrypt('', ROW_A), ROW_A)).toBe('')
    expect(box.isCurrent(a)).toBe(true)
  })

  it('binds a value to its row: one copied into another row does not decrypt', () => {
    const box = createSecretBox(key())
    const a = box.encrypt('token of row a', ROW_A)
    expect(() => box.decrypt(a, ROW_B)).toThrow(/tampered with or moved from another row/)
    expect(() => box.decrypt(a, secretContext('SlackInstallation', 'installationEnc', 'row-a'))).toThrow(/moved from another row/)
  })

  it('refuses values in the old v1 format (no row binding); only the upgrade reads them, with the current or an old key', () => {
    const oldKey = key()
    const newKey = key()
    const legacy = v1Encrypt(oldKey, 'legacy token')
    expect(describeSecret(legacy)).toEqual({ version: 'v1' })
    expect(() => createSecretBox(oldKey).decrypt(legacy, ROW_A)).toThrow(/retired v1 format, which is not bound to its row/)
    expect(createSecretBox(oldKey).decryptV1(legacy)).toBe('legacy token')
    const rotating = createSecretBox(newKey, [oldKey])
    expect(rotating.decryptV1(legacy)).toBe('legacy token')
    expect(rotating.isCurrent(legacy)).toBe(false)
    expect(() => createSecretBox(newKey).decryptV1(legacy)).toThrow(/wrong ENCRYPTION_KEY or the value was tampered/)
  })

  it('decrypts with old keys, encrypts with the current one, and names a key it does not have', () => {
    const oldKey = key()
    const newKey = key()
    const underOld = createSecretBox(oldKey).encrypt('secret', ROW_A)
    const rotating = createSecretBox(newKey, [oldKey])
    expect(rotating.keyIds).toEqual([encryptionKeyId(newKey), encryptionKeyId(oldKey)])
    expect(rotating.decrypt(underOld, ROW_A)).toBe('secret')
    expect(rotating.isCurrent(underOld)).toBe(false)
    expect(rotating.encrypt('secret', ROW_A).split(':')[1]).toBe(encryptionKeyId(newKey))
    expect(() => createSecretBox(newKey).decrypt(underOld, ROW_A)).toThrow(
      new RegExp(`encrypted with key ${encryptionKeyId(oldKey)}, which is not configured.*ENCRYPTION_KEYS_OLD`),
    )
  })

  it('rejects tampered or malformed values', () => {
    const box = createSecretBox(key())
    const [v, id, iv, tag, data] = box.encrypt('secret value', ROW_A).split(':') as [string, string, string, string, string]
    const flipped = Buffer.from(data, 'base64')
    flipped[0] = flipped[0]! ^ 1
    expect(() => box.decrypt([v, id, iv, tag, flipped.toString('base64')].join(':'), ROW_A)).toThrow(/tampered/)
    expect(() => box.decrypt([v, id, iv, Buffer.alloc(16).toString('base64'), data].join(':'), ROW_A)).toThrow(/tampered/)
    expect(() => box.decrypt('plain text', ROW_A)).toThrow(/not an encrypted value/)
    expect(() => box.decrypt(['v3', id, iv, tag, data].join(':'), ROW_A)).toThrow(/not an encrypted value/)
    expect(() => box.decrypt([v, id, 'AAAA', tag, data].join(':'), ROW_A)).toThrow(/malformed/)
  })
})

describe('parseEncryptionKey', () => {
  it('accepts base64 of exactly 32 bytes', () => {
    const k = key()
    expect(parseEncryptionKey(k)).toEqual(Buffer.from(k, 'base64'))
    expect(parseEncryptionKey(` ${k}\n`)).toHaveLength(32)
  })

  it.each([undefined, '', 'short', randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), 'not base64!'.repeat(4)])(
    'rejects %j naming ENCRYPTION_KEY',
    (value) => {
      expect(() => parseEncryptionKey(value)).toThrow(/ENCRYPTION_KEY/)
    },
  )
})

describe('the embedded key file', () => {
  const dirs: string[] = []
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'promoly-key-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('is created 0600 in a 0700 data folder, and read back afterwards', () => {
    const dataDir = join(tempDir(), 'nested', 'data')
    expect(readLocalKey(dataDir)).toBeUndefined()
    expect(existsSync(dataDir)).toBe(false) // reading never creates a key
    const first = createLocalKey(dataDir)
    const file = join(dataDir, LOCAL_KEY_FILE)
    expect(localKeyPath(dataDir)).toBe(file)
    expect(parseEncryptionKey(first)).toHaveLength(32)
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(readLocalKey(dataDir)).toBe(first)
    expect(createLocalKey(dataDir)).toBe(first) // another process made it first: theirs wins
    expect(createSecretBox(readLocalKey(dataDir)!).decrypt(createSecretBox(first).encrypt('x', ROW_A), ROW_A)).toBe('x')
  })

  it('refuses a corrupted key file instead of replacing it, and tightens a readable one', () => {
    const dataDir = tempDir()
    writeFileSync(localKeyPath(dataDir), 'garbage')
    expect(() => readLocalKey(dataDir)).toThrow(/does not hold a valid key/)
    const k = key()
    writeFileSync(localKeyPath(dataDir), k)
    chmodSync(localKeyPath(dataDir), 0o644)
    expect(readLocalKey(dataDir)).toBe(k)
    expect(statSync(localKeyPath(dataDir)).mode & 0o777).toBe(0o600)
  })
})
