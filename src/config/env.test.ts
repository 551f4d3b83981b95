import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './env.ts'

const KEY = Buffer.alloc(32, 7).toString('base64')

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

describe('loadConfig', () => {
  it('runs on embedded defaults with no configuration at all', () => {
    const c = loadConfig({})
    expect(c.port).toBe(3000)
    expect(c.slack.kind).toBe('none')
    expect(c.slack.apiUrl).toBe('https://slack.com/api/')
    expect(c.meta.useSimulator).toBe(true)
    expect(c.meta.apiVersion).toBe('v26.0')
    expect(c.databaseUrl).toBeUndefined()
    expect(c.dataDir).toBe('./.promoly')
    expect(c.logLevel).toBe('info')
  })

  it("reads how long a sync waits for Meta's async reports (default 15 min)", () => {
    expect(loadConfig({}).meta.reportDeadlineMs).toBe(900_000)
    expect(loadConfig({ META_REPORT_DEADLINE_SECONDS: '120' }).meta.reportDeadlineMs).toBe(120_000)
    expect(problems({ META_REPORT_DEADLINE_SECONDS: '2' })[0]).toMatch(/^META_REPORT_DEADLINE_SECONDS: /)
  })

  it('treats empty values like unset ones (a copied .env.example)', () => {
    const c = loadConfig({ PORT: '', SLACK_API_URL: '', META_API_VERSION: ' ', LOG_LEVEL: '' })
    expect(c.port).toBe(3000)
    expect(c.meta.apiVersion).toBe('v26.0')
  })

  it('names the variable of each bad value', () => {
    expect(problems({ PORT: 'eighty' })[0]).toMatch(/^PORT: /)
    expect(problems({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' })[0]).toMatch(/^SLACK_BOT_TOKEN: must start with xoxb-/)
    expect(problems({ DATABASE_URL: 'mysql://x' }).join()).toMatch(/DATABASE_URL: must be a postgresql/)
    expect(problems({ DATABASE_URL: 'postgresql://localhost/p' })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY: is required when DATABASE_URL is set/),
    ])
    expect(problems({ ENCRYPTION_KEY: 'c2hvcnQ=' })[0]).toMatch(/^ENCRYPTION_KEY: must be exactly 32 bytes/)
    const key = Buffer.alloc(32, 1).toString('base64')
    expect(problems({ ENCRYPTION_KEYS_OLD: `${key},c2hvcnQ=` })[0]).toMatch(/^ENCRYPTION_KEYS_OLD: must be comma-separated keys/)
    expect(loadConfig({ ENCRYPTION_KEYS_OLD: ` ${key} , ${key}` }).oldEncryptionKeys).toEqual([key, key])
    expect(problems({ META_API_VERSION: '26' })[0]).toMatch(/^META_API_VERSION/)
    expect(problems({ LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL/)
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })[0]).toMatch(/^SLACK_SIGNING_SECRET: is required in HTTP mode/)
    expect(problems({ SLACK_CLIENT_ID: 'id' }).join('\n')).toMatch(/SLACK_CLIENT_SECRET[\s\S]*SLACK_STATE_SECRET/)
    expect(problems({ META_AD_ACCOUNT_IDS: '1,2' })[0]).toMatch(/^META_ACCESS_TOKEN/)
  })

  it('chooses the Slack mode and normalises values', () => {
    const single = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sec', SLACK_API_URL: 'http://127.0.0.1:9/api' })
    expect(single.slack).toMatchObject({ kind: 'single', botToken: 'xoxb-1', apiUrl: 'http://127.0.0.1:9/api/' })
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })
    expect(socket.slack).toMatchObject({ kind: 'single', appToken: 'xapp-1' })
    const oauth = loadConfig({ SLACK_CLIENT_ID: 'a', SLACK_CLIENT_SECRET: 'b', SLACK_STATE_SECRET: 'c', SLACK_SIGNING_SECRET: 'd' })
    expect(oauth.slack.kind).toBe('oauth')
    const meta = loadConfig({
      META_ACCESS_TOKEN: 'EAAtoken',
      META_AD_ACCOUNT_IDS: '123, act_456',
      DATABASE_URL: 'postgres://h/db',
      ENCRYPTION_KEY: KEY,
    })
    expect(meta.meta).toMatchObject({ useSimulator: false, adAccountIds: ['act_123', 'act_456'] })
  })

  it('runs the Meta simulator only when nothing real is configured or when asked for (META_SIMULATOR=1), never silently beside a Slack app', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sec' }
    const oauth = { SLACK_CLIENT_ID: 'a', SLACK_CLIENT_SECRET: 'b', SLACK_STATE_SECRET: 'c', SLACK_SIGNING_SECRET: 'd' }
    expect(loadConfig({}).meta.useSimulator).toBe(true)
    expect(loadConfig(slack).meta.useSimulator).toBe(false)
    expect(loadConfig(oauth).meta.useSimulator).toBe(false)
    expect(loadConfig({ ...slack, META_SIMULATOR: '1' }).meta.useSimulator).toBe(true)
    expect(loadConfig({ META_SIMULATOR: '0' }).meta.useSimulator).toBe(false)
    expect(loadConfig({ META_ACCESS_TOKEN: 'EAAtoken' }).meta.useSimulator).toBe(false)
    expect(problems({ META_SIMULATOR: '1', META_ACCESS_TOKEN: 'EAAtoken' })).toEqual([
      expect.stringMatching(/^META_SIMULATOR: cannot be combined with META_ACCESS_TOKEN/),
    ])
    expect(problems({ META_SIMULATOR: 'yes' })).toEqual([expect.stringMatching(/^META_SIMULATOR: must be 1 or 0/)])
    expect(problems({ PLAYGROUND_ALLOW_REAL_SERVICES: 'sure' })).toEqual([
      expect.stringMatching(/^PLAYGROUND_ALLOW_REAL_SERVICES: must be 1 or 0/),
    ])
  })
})
