import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../lib/logger.ts'

export interface ReadinessCheck {
  name: string
  check(): Promise<void>
}

export interface HttpRoute {
  path: string
  method: string
  handler(req: IncomingMessage, res: ServerResponse): void | Promise<void>
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

/**
 * GET /healthz (the process is up) and GET /readyz (the database and the queue answer). /readyz names
 * what is down ("database down") and nothing more: a driver's error can carry hosts, users or a
 * connection string, so the error itself goes to the log.
 */
export function healthRoutes(checks: ReadinessCheck[], options: { logger: Pick<Logger, 'warn'>; timeoutMs?: number }): HttpRoute[] {
  const timeoutMs = options.timeoutMs ?? 3000
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => json(res, 200, { status: 'ok' }) },
    {
      path: '/readyz',
      method: 'GET',
      handler: async (_req, res) => {
        const results = await Promise.all(
          checks.map(async (c) => {
            try {
              await Promise.race([
                c.check(),
                new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref()),
              ])
              return [c.name, 'ok'] as const
            } catch (err) {
              options.logger.warn({ err, check: c.name }, `readiness check failed: ${c.name} down`)
              return [c.name, 'down'] as const
            }
          }),
        )
        const down = results.filter(([, s]) => s !== 'ok').map(([name]) => `${name} down`)
        if (down.length === 0) return json(res, 200, { status: 'ready', checks: Object.fromEntries(results) })
        json(res, 503, { status: 'not_ready', message: down.join(', '), checks: Object.fromEntries(results) })
      },
    },
  ]
}
