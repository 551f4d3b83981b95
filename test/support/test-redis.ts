import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

let probed: { url: string | undefined } | undefined

/**
 * The test Redis URL (TEST_REDIS_URL, else REDIS_URL, else the local default) if it answers.
 * Otherwise undefined after a loud warning, so the caller skips — except with CI=true, where a
 * missing server is a failure.
 */
export function requireRedisUrl(): string | undefined {
  if (probed) return probed.url
  const url = process.env.TEST_REDIS_URL || process.env.REDIS_URL || DEFAULT_REDIS_URL
  const probe = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { Redis } from 'ioredis'; const r = new Redis(process.env.PROBE_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
       r.connect().then(() => r.ping()).then(() => { r.disconnect(); process.exit(0) }, (e) => { console.error(e.message); process.exit(1) })`,
    ],
    { env: { ...process.env, PROBE_URL: url }, encoding: 'utf8', timeout: 5000 },
  )
  if (probe.status === 0) {
    probed = { url }
    return url
  }
  const message = `Redis at ${url} does not answer: ${probe.stderr.trim() || probe.error?.message || 'timed out'}`
  if (process.env.CI === 'true') throw new Error(`${message}. CI=true requires a real Redis server.`)
  console.warn(`\n⚠️  ${message}\n⚠️  SKIPPING the tests that need a real Redis server.\n`)
  probed = { url: undefined }
  return undefined
}

/** A key prefix of its own for each test, so runs never see each other's jobs. */
export function uniquePrefix(): string {
  return `promoly-test-${randomUUID().slice(0, 8)}`
}
