import { describe, expect, it } from 'vitest'
import { parseMetaSimArgs, runMetaSimCli } from './cli.ts'
import { DEFAULT_SIM_ACCOUNTS } from './index.ts'

describe('meta-sim CLI', () => {
  it('parses flags into options', () => {
    expect(parseMetaSimArgs([])).toEqual({ port: 8787 })
    const opts = parseMetaSimArgs([
      '--port=0',
      '--seed',
      '7',
      '--token',
      'a',
      '--token=b',
      '--app-secret',
      's',
      '--page-size',
      '50',
      '--latency',
      '20',
      '--campaigns',
      '12',
      '--tier',
      'development_access',
      '--enforce-rate-limits',
    ])
    expect(opts).toMatchObject({
      port: 0,
      seed: 7,
      accessTokens: ['a', 'b'],
      appSecret: 's',
      pageSize: 50,
      latencyMs: 20,
      accessTier: 'development_access',
      enforceRateLimits: true,
    })
    expect(opts.accounts).toHaveLength(DEFAULT_SIM_ACCOUNTS.length)
    expect(opts.accounts?.every((a) => a.campaigns === 12)).toBe(true)
    expect(() => parseMetaSimArgs(['--port', 'x'])).toThrow(/--port/)
    expect(() => parseMetaSimArgs(['--wat'])).toThrow(/Unknown option --wat/)
    expect(parseMetaSimArgs(['--control-token', 'a-long-control-token'])).toMatchObject({ controlToken: 'a-long-control-token' })
    expect(() => parseMetaSimArgs(['--control-token', 'short'])).toThrow(/at least 16/)
    expect(parseMetaSimArgs(['--preset', 'scale', '--sync-insights-limit', '500'])).toMatchObject({
      accounts: [{ campaigns: 200, adSetsPerCampaign: 5, adsPerAdSet: 4 }],
      syncInsightsLimit: 500,
    })
    expect(() => parseMetaSimArgs(['--preset', 'huge'])).toThrow(/--preset must be scale/)
  })

  it('starts a simulator and prints where it listens', async () => {
    const lines: string[] = []
    const sim = await runMetaSimCli(['--port', '0', '--token', 'cli-token'], { out: (l) => lines.push(l), handleSignals: false })
    try {
      expect(lines[0]).toContain(sim.url)
      expect(lines.join('\n')).toContain('Access token: cli-token')
      const res = await fetch(`${sim.url}/v26.0/me?access_token=cli-token`)
      expect(res.status).toBe(200)
      // The control API's token is printed, and needed.
      expect(lines.join('\n')).toContain(`Authorization: Bearer ${sim.controlToken}`)
      expect((await fetch(`${sim.url}/__sim/stats`)).status).toBe(401)
      expect((await fetch(`${sim.url}/__sim/stats`, { headers: { authorization: `Bearer ${sim.controlToken}` } })).status).toBe(200)
    } finally {
      await sim.close()
    }
  })
})
