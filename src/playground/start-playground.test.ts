/**
 * The playground is for trying Promoly on this machine: it refuses to start on real services (a remote
 * database or Redis, a real Meta token) unless PLAYGROUND_ALLOW_REAL_SERVICES=1 says so.
 */
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { freePort } from '../../test/support/net.ts'
import { ConfigError, loadConfig } from '../config/env.ts'
import { silentLogger } from '../lib/logger.ts'
import { realServiceProblems } from './local-only.ts'
import { startPlayground } from './start-playground.ts'

const KEY = Buffer.alloc(32, 7).toString('base64')

async function startError(env: Record<string, string>): Promise<unknown> {
  try {
    const p = await startPlayground({ env: { PORT: '0', LOG_LEVEL: 'silent', ...env }, logger: silentLogger(), syncTimeoutMs: 1 })
    await p.stop()
  } catch (err) {
    return err
  }
  return undefined
}

describe('the playground on real services', () => {
  it('refuses to start with a DATABASE_URL, REDIS_URL or META_ACCESS_TOKEN that is not of this machine, naming the variable', async () => {
    const remoteDb = await startError({
      DATABASE_URL: 'postgresql://promoly:hunter2@db.prod.example.com:5432/promoly',
      ENCRYPTION_KEY: KEY,
    })
    expect(remoteDb).toBeInstanceOf(ConfigError)
    expect((remoteDb as ConfigError).problems).toEqual([
      expect.stringMatching(/^DATABASE_URL: .*db\.prod\.example\.com.*PLAYGROUND_ALLOW_REAL_SERVICES=1/),
    ])
    expect((remoteDb as Error).message).not.toContain('hunter2')

    const remoteRedis = await startError({ REDIS_URL: 'redis://cache.internal:6379' })
    expect((remoteRedis as ConfigError).problems).toEqual([expect.stringMatching(/^REDIS_URL: .*cache\.internal/)])

    const realMeta = await startError({ META_ACCESS_TOKEN: 'EAArealSystemUserToken1234567890' })
    expect((realMeta as ConfigError).problems).toEqual([expect.stringMatching(/^META_ACCESS_TOKEN: /)])
    expect((realMeta as Error).message).not.toContain('EAArealSystemUserToken1234567890')
  })

  it('calls services on this machine local, and runs on real ones only when told explicitly', () => {
    const problems = (env: Record<string, string>) => realServiceProblems(loadConfig({ ENCRYPTION_KEY: KEY, ...env }))
    expect(problems({})).toEqual([])
    for (const url of [
      'postgresql://u:p@127.0.0.1:5432/p',
      'postgresql://u:p@localhost/p',
      'postgres://u@[::1]:5432/p',
      'postgresql:///p?host=/var/run/postgresql',
    ]) {
      expect([url, problems({ DATABASE_URL: url })]).toEqual([url, []])
    }
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([])
    expect(problems({ DATABASE_URL: 'postgresql://u@127.0.0.1/p?host=db.example.com' })).toHaveLength(1)
    expect(problems({ DATABASE_URL: 'postgresql://u@127.0.0.1.example.com/p' })).toHaveLength(1)
    const everything = {
      DATABASE_URL: 'postgresql://u:p@db.example.com/p',
      REDIS_URL: 'rediss://cache.example.com:6380',
      META_ACCESS_TOKEN: 'EAAtoken',
    }
    expect(problems(everything).map((p) => p.split(':')[0])).toEqual(['DATABASE_URL', 'REDIS_URL', 'META_ACCESS_TOKEN'])
    expect(problems({ ...everything, PLAYGROUND_ALLOW_REAL_SERVICES: '1' })).toEqual([])
  })

  it('answers a multi-host DATABASE_URL readably (not local, password not shown) instead of throwing', () => {
    for (const url of ['postgresql://u:hunter2@db1.example.com:5432,db2.example.com:5433/p', 'postgresql://localhost,db.example.com/p']) {
      const problems = realServiceProblems(loadConfig({ ENCRYPTION_KEY: KEY, DATABASE_URL: url }))
      expect(problems).toEqual([
        expect.stringMatching(/^DATABASE_URL: points at several hosts, or a URL that could not be read, not this machine/),
      ])
      expect(problems.join('\n')).not.toContain('hunter2')
    }
  })
})

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

describe('Promoly in the playground', () => {
  it('listens on 127.0.0.1 only, like the playground itself', async () => {
    const port = await freePort()
    const p = await startPlayground({
      env: { PORT: String(port), LOG_LEVEL: 'silent', PROMOLY_DATA_DIR: 'memory://', META_SIMULATOR: '0' },
      logger: silentLogger(),
    })
    try {
      expect(await accepts('127.0.0.1', port)).toBe(true)
      const external = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && !i.internal && i.family === 'IPv4')?.address
      if (external) expect([external, await accepts(external, port)]).toEqual([external, false])
      expect(p.promoly.url).toBe(`http://127.0.0.1:${port}`)
    } finally {
      await p.stop()
    }
  }, 60_000)
})
