import { createServer, type Server } from 'node:http'
import type { HttpRoute } from './health-routes.ts'

/** The HTTP server used when Slack is not configured: health routes, and a clear answer on /slack/events. */
export async function startPlainServer(port: number, routes: HttpRoute[], notFoundMessage: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const route = routes.find((r) => r.path === path && r.method === req.method)
    if (route) {
      Promise.resolve(route.handler(req, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
      return
    }
    res.writeHead(path === '/slack/events' ? 503 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: path === '/slack/events' ? notFoundMessage : 'not found' }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, () => resolve())
  })
  return server
}
