import type { IncomingMessage, ServerResponse } from 'node:http'

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

/** GET /healthz (the process is up) and GET /readyz (the database and the queue answer). */
export function healthRoutes(checks: ReadinessCheck[], timeoutMs = 3000): HttpRoute[] {
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
              return [c.name, `failing: ${(err as Error).message}`] as const
            }
          }),
        )
        const ready = results.every(([, s]) => s === 'ok')
        json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) })
      },
    },
  ]
}
