/** /readyz names the dependency that is down; the raw error (which may carry a connection string) goes to the log only. */
import type { Server } from 'node:http'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../lib/logger.ts'
import { healthRoutes } from './health-routes.ts'
import { startPlainServer } from './plain-server.ts'

describe('/readyz', () => {
  let server: Server | undefined
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
    server = undefined
  })

  it('says "database down" without the raw error, and logs the error instead', async () => {
    const lines: string[] = []
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const logger = createLogger({ destination })
    const raw = 'connect ECONNREFUSED 10.0.0.5:5432 (postgresql://promoly:hunter2@db.internal:5432/promoly)'
    const routes = healthRoutes(
      [
        {
          name: 'database',
          check: async () => {
            throw new Error(raw)
          },
        },
        { name: 'queue', check: async () => {} },
      ],
      { logger },
    )
    server = await startPlainServer(0, routes, 'Slack is not configured')
    const port = (server.address() as { port: number }).port
    const res = await fetch(`http://127.0.0.1:${port}/readyz`)
    expect(res.status).toBe(503)
    const body = await res.text()
    expect(JSON.parse(body)).toEqual({ status: 'not_ready', message: 'database down', checks: { database: 'down', queue: 'ok' } })
    for (const secretish of ['hunter2', 'ECONNREFUSED', 'db.internal', '10.0.0.5']) expect(body).not.toContain(secretish)
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; check?: string; err?: { message?: string } })
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'readiness check failed: database down', check: 'database' }))
    expect(logged.find((l) => l.check === 'database')?.err?.message).toContain('ECONNREFUSED')
  })

  it('is ready when every dependency answers', async () => {
    server = await startPlainServer(
      0,
      healthRoutes([{ name: 'database', check: async () => {} }], { logger: createLogger({ level: 'silent' }) }),
      '',
    )
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/readyz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok' } })
  })
})
