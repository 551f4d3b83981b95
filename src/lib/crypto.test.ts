import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecretBox, LOCAL_KEY_FILE, loadOrCreateLocalKey, parseEncryptionKey } from './crypto.ts'

const key = () => randomBytes(32).toString('base64')

describe('createSecretBox', () => {
  it('round-trips text in the v1 format with a fresh IV each time', () => {
    const box = createSecretBox(key())
    const plain = 'xoxb-123 ünïcode ✓'
    const a = box.encrypt(plain)
    const b = box.encrypt(plain)
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/)
    expect(a).not.toBe(b)
    expect(Buffer.from(a.split(':')[1]!, 'base64')).toHaveLength(12)
    expect(box.decrypt(a)).toBe(plain)
    expect(box.decrypt(b)).toBe(plain)
    expect(box.decrypt(box.encrypt(''))).toBe('')
  })

  it('rejects a wrong key', () => {
    const token = createSecretBox(key()).encrypt('secret')
    expect(() => createSecretBox(key()).decrypt(token)).toThrow(/wrong ENCRYPTION_KEY or the value was tampered/)
  })

  it('rejects tampered or malformed values', () => {
    const box = createSecretBox(key())
    const [v, iv, tag, data] = box.encrypt('secret value').split(':') as [string, string, string, string]
    const flipped = Buffer.from(data, 'base64')
    flipped[0] = flipped[0]! ^ 1
    expect(() => box.decrypt([v, iv, tag, flipped.toString('base64')].join(':'))).toThrow(/tampered/)
    expect(() => box.decrypt([v, iv, Buffer.alloc(16).toString('base64'), data].join(':'))).toThrow(/tampered/)
    expect(() => box.decrypt('plain text')).toThrow(/not a v1 encrypted value/)
    expect(() => box.decrypt(['v2', iv, tag, data].join(':'))).toThrow(/not a v1/)
    expect(() => box.decrypt(['v1', 'AAAA', tag, data].join(':'))).toThrow(/malformed/)
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

describe('loadOrCreateLocalKey', () => {
  const dirs: string[] = []
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'promoly-key-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('creates a 0600 key file once and reads it back afterwards', () => {
    const dataDir = join(tempDir(), 'nested', 'data')
    const first = loadOrCreateLocalKey(dataDir)
    const file = join(dataDir, LOCAL_KEY_FILE)
    expect(parseEncryptionKey(first)).toHaveLength(32)
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(loadOrCreateLocalKey(dataDir)).toBe(first)
    const box = createSecretBox(first)
    expect(createSecretBox(loadOrCreateLocalKey(dataDir)).decrypt(box.encrypt('x'))).toBe('x')
  })

  it('refuses a corrupted key file instead of replacing it', () => {
    const dataDir = tempDir()
    writeFileSync(join(dataDir, LOCAL_KEY_FILE), 'garbage')
    expect(() => loadOrCreateLocalKey(dataDir)).toThrow(/does not hold a valid key/)
  })
})
