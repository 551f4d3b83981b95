/**
 * Graph batch requests: `POST /` with `batch=[{method, relative_url, body?, name?, depends_on?,
 * omit_response_on_success?}]` (max 50). Items run in order through the normal pipeline (each one
 * counts as a request and may hit faults); the batch answers 200 with `[{code, headers?, body}]`
 * where `body` is a JSON-encoded string. `{result=name:$.path}` references to earlier items are
 * resolved (JSONPath subset: `$.a.b`, `$.data.0.id`, `$.data[0].id`, `$.data.*.id`); the responses of
 * named items that others depend on are omitted (null) unless `omit_response_on_success` is false.
 */
import { invalidParameter } from './errors.ts'
import { Params, type SimRequest, splitPath } from './request.ts'

export interface BatchItemResponse {
  status: number
  headers: Record<string, string>
  body: string
}

interface BatchItem {
  method?: unknown
  relative_url?: unknown
  body?: unknown
  name?: unknown
  depends_on?: unknown
  omit_response_on_success?: unknown
}

function walk(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value]
  const [head, ...tail] = path
  if (head === '*') {
    if (Array.isArray(value)) return value.flatMap((v) => walk(v, tail))
    if (value && typeof value === 'object') return Object.values(value).flatMap((v) => walk(v, tail))
    return []
  }
  if (value && typeof value === 'object' && head !== undefined && head in value) {
    return walk((value as Record<string, unknown>)[head], tail)
  }
  return []
}

/** Evaluates the supported JSONPath subset against a parsed body. */
function jsonPath(body: unknown, expr: string): string | undefined {
  if (!expr.startsWith('$')) return undefined
  const path = expr
    .slice(1)
    .replace(/\[(\d+|\*)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0)
  const found = walk(body, path)
  if (found.length === 0) return undefined
  return found.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',')
}

export async function runBatch(
  batchRaw: string,
  parent: { token: string; version: string; includeHeaders: boolean; authorization?: string },
  dispatch: (req: SimRequest) => Promise<BatchItemResponse>,
): Promise<Array<Record<string, unknown> | null>> {
  let items: unknown
  try {
    items = JSON.parse(batchRaw)
  } catch {
    throw invalidParameter('batch must be a JSON array of requests')
  }
  if (!Array.isArray(items)) throw invalidParameter('batch must be a JSON array of requests')
  if (items.length === 0) throw invalidParameter('batch must contain at least one request')
  if (items.length > 50) throw invalidParameter('Too many requests in batch message. Maximum batch size is 50')

  // Graph omits the responses of named requests that later requests depend on, unless
  // omit_response_on_success is false.
  const referenced = new Set<string>()
  for (const raw of items as BatchItem[]) {
    if (typeof raw?.depends_on === 'string') referenced.add(raw.depends_on)
    const text = `${typeof raw?.relative_url === 'string' ? raw.relative_url : ''} ${typeof raw?.body === 'string' ? raw.body : ''}`
    for (const m of text.matchAll(/\{result=([^:}]+):/g)) if (m[1]) referenced.add(m[1])
  }

  const results: Array<Record<string, unknown> | null> = []
  const named = new Map<string, { ok: boolean; body: unknown }>()
  for (const raw of items as BatchItem[]) {
    const method = typeof raw?.method === 'string' ? raw.method.toUpperCase() : 'GET'
    const name = typeof raw?.name === 'string' ? raw.name : undefined
    let failedDependency: string | undefined
    const resolve = (text: string): string =>
      text.replace(/\{result=([^:}]+):([^}]+)\}/g, (_m, ref: string, expr: string) => {
        const dep = named.get(ref)
        const value = dep?.ok ? jsonPath(dep.body, decodeURIComponent(expr)) : undefined
        if (value === undefined) {
          failedDependency = ref
          return ''
        }
        return value
      })
    const dependsOn = typeof raw?.depends_on === 'string' ? raw.depends_on : undefined
    if (dependsOn !== undefined && !named.get(dependsOn)?.ok) failedDependency = dependsOn
    const relative = resolve(typeof raw?.relative_url === 'string' ? raw.relative_url : '')
    const bodyText = resolve(typeof raw?.body === 'string' ? raw.body : '')

    if (failedDependency !== undefined) {
      const body = JSON.stringify({
        error: {
          message: `(#100) The batch request depends on request "${failedDependency}", which failed or has no such result`,
          type: 'OAuthException',
          code: 100,
        },
      })
      results.push({ code: 400, ...(parent.includeHeaders ? { headers: [] } : {}), body })
      if (name) named.set(name, { ok: false, body: null })
      continue
    }

    const rel = relative.startsWith('/') ? relative : `/${relative}`
    const q = rel.indexOf('?')
    const pathname = q >= 0 ? rel.slice(0, q) : rel
    const params = new Params()
    if (q >= 0) for (const [k, v] of new URLSearchParams(rel.slice(q + 1))) params.add(k, v)
    for (const [k, v] of new URLSearchParams(bodyText)) params.add(k, v)
    if (!params.has('access_token')) params.add('access_token', parent.token)
    const split = splitPath(pathname, parent.version)
    const req: SimRequest = {
      method,
      rawPath: split.hasVersion ? pathname : `/${parent.version}${pathname === '/' ? '' : pathname}`,
      version: split.version,
      segments: split.segments,
      params,
      inBatch: true,
    }
    const res = await dispatch(req)
    let parsed: unknown = null
    try {
      parsed = JSON.parse(res.body)
    } catch {
      parsed = null
    }
    const ok = res.status >= 200 && res.status < 300
    if (name) named.set(name, { ok, body: parsed })
    if (ok && name && referenced.has(name) && raw?.omit_response_on_success !== false) {
      results.push(null)
      continue
    }
    const item: Record<string, unknown> = { code: res.status }
    if (parent.includeHeaders) item.headers = Object.entries(res.headers).map(([n, value]) => ({ name: n, value }))
    item.body = res.body
    results.push(item)
  }
  return results
}
