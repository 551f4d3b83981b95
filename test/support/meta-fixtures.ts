/**
 * Test support for the Meta client tests: a local Graph API stand-in (node:http on 127.0.0.1, port 0) that
 * records every request and replays fixture envelopes (`{status, headers, body}`) exactly.
 * Not used by the product.
 *
 * Fixtures live in `test/fixtures/meta/` (envelopes of Meta's documented responses; see its README).
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type MetaApiError, metaErrorFromResponse, readGraphErrorBody } from '../../src/integrations/meta/errors.ts'

export interface FixtureEnvelope {
  _source?: string
  _notes?: string
  request?: { method?: string; path?: string; query?: Record<string, string>; form?: Record<string, string> }
  status: number
  headers: Record<string, string>
  body: unknown
}

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/meta/', import.meta.url))

/** A fixture envelope, deep-copied so tests may modify it. */
export function loadFixture(name: string): FixtureEnvelope {
  const raw = readFileSync(join(FIXTURES_DIR, name.endsWith('.json') ? name : `${name}.json`), 'utf8')
  return JSON.parse(raw) as FixtureEnvelope
}

/** The MetaApiError the client makes of an error fixture's status and body, as if a campaign POST had failed. */
export function metaErrorFromFixture(name: string, retryAfterMs?: number): MetaApiError {
  const f = loadFixture(name)
  return metaErrorFromResponse({
    httpStatus: f.status,
    body: readGraphErrorBody(f.body),
    method: 'POST',
    path: '/act_1234567890123456/campaigns',
    retryAfterMs,
  })
}

export interface RecordedRequest {
  method: string
  /** Raw request target as received, e.g. `/v26.0/me?fields=id&access_token=…`. */
  rawUrl: string
  url: URL
  /** Pathname without the query. */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
  /** The body parsed as x-www-form-urlencoded (empty for GET). */
  form: URLSearchParams
}

export interface Reply {
  status: number
  headers?: Record<string, string>
  /** Serialized with JSON.stringify unless it is already a string (sent as is). */
  body?: unknown
}

/** What a handler may return: a reply, or a transport fault. */
export type HandlerResult = Reply | 'destroy' | 'hang'
export type Handler = (req: RecordedRequest) => HandlerResult | Promise<HandlerResult>

/** The fixture's status, headers and body, exactly. */
export function replay(fixture: FixtureEnvelope): Reply {
  return { status: fixture.status, headers: fixture.headers, body: fixture.body }
}

export function ok(body: unknown, headers: Record<string, string> = {}): Reply {
  return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8', ...headers }, body }
}

/** Serves the given results in order, one per request; a request past the end fails the test loudly (HTTP 599). */
export function inOrder(...results: HandlerResult[]): Handler {
  let i = 0
  return () => results[i++] ?? { status: 599, body: { error: { message: 'test server: no more scripted replies', code: -1 } } }
}

export interface GraphServer {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string
  requests: RecordedRequest[]
  handler: Handler
  close(): Promise<void>
}

export async function startGraphServer(handler: Handler): Promise<GraphServer> {
  const requests: RecordedRequest[] = []
  const hanging = new Set<import('node:http').ServerResponse>()
  let server: Server
  const state: GraphServer = {
    baseUrl: '',
    requests,
    handler,
    close: () =>
      new Promise<void>((done) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const rawUrl = req.url ?? '/'
      const url = new URL(rawUrl, state.baseUrl)
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        rawUrl,
        url,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        form: new URLSearchParams(req.method === 'POST' ? body : ''),
      }
      requests.push(recorded)
      Promise.resolve(state.handler(recorded)).then(
        (result) => {
          if (result === 'destroy') {
            req.socket.destroy()
            return
          }
          if (result === 'hang') {
            hanging.add(res)
            return
          }
          const payload = typeof result.body === 'string' ? result.body : JSON.stringify(result.body ?? null)
          res.writeHead(result.status, result.headers ?? {})
          res.end(payload)
        },
        (e: unknown) => {
          res.writeHead(599, { 'content-type': 'text/plain' })
          res.end(`test handler threw: ${String(e)}`)
        },
      )
    })
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()))
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}

/** Points a fixture's absolute `paging.next`/`previous` URL at the local server (same path and query). */
export function rewritePagingUrl(url: string, baseUrl: string): string {
  const u = new URL(url)
  return `${baseUrl}${u.pathname}${u.search}`
}
