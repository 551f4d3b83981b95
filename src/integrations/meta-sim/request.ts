/** Parsed Graph requests, parameters, `fields` lists and cursor paging. */
import { invalidParameter } from './errors.ts'
import { decodeCursor, decodeIndexCursor, encodeCursor } from './format.ts'
import type { BucType } from './usage.ts'

/** Ordered parameters: query first, then body; a body value overrides the query value. */
export class Params {
  private readonly list: Array<[string, string]> = []

  add(key: string, value: string): void {
    const i = this.list.findIndex(([k]) => k === key)
    if (i >= 0) this.list[i] = [key, value]
    else this.list.push([key, value])
  }

  get(key: string): string | undefined {
    return this.list.find(([k]) => k === key)?.[1]
  }

  has(key: string): boolean {
    return this.list.some(([k]) => k === key)
  }

  entries(): Array<[string, string]> {
    return this.list.map(([k, v]) => [k, v])
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.list)
  }

  static from(entries: Iterable<[string, string]>): Params {
    const p = new Params()
    for (const [k, v] of entries) p.add(k, v)
    return p
  }
}

export interface SimRequest {
  method: string
  /** Path as sent, e.g. /v26.0/act_1/insights. */
  rawPath: string
  /** e.g. v26.0 */
  version: string
  /** Path segments after the version prefix. */
  segments: string[]
  params: Params
  authorization?: string
  /** Set for batch items (no HTTP headers of their own). */
  inBatch?: boolean
}

export interface HandlerResult {
  status?: number
  body: unknown
  headers?: Record<string, string>
  /** Account the call is about (for usage headers). */
  accountId?: string
  /** Counts in stats().writes. */
  write?: boolean
  /** The campaign, ad set or ad a write changed (counted in stats().writesByObject). */
  objectId?: string
  /** Weight for the ad-account score (writes cost 3). */
  isWriteCall?: boolean
  bucType?: BucType
}

const VERSION_RE = /^v\d+\.\d+$/

/** Splits `/v26.0/act_1/insights` into version and segments. */
export function splitPath(pathname: string, defaultVersion: string): { version: string; segments: string[]; hasVersion: boolean } {
  const segments = pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s)
      } catch {
        return s
      }
    })
  const first = segments[0]
  if (first !== undefined && VERSION_RE.test(first)) return { version: first, segments: segments.slice(1), hasVersion: true }
  return { version: defaultVersion, segments, hasVersion: false }
}

/**
 * Splits a `fields` value at top-level commas. Field expansion (`campaigns{name}`) and modifiers
 * (`.limit(5)`) are recognised and reported as unsupported instead of being misread.
 */
export function parseFields(value: string | undefined): string[] | undefined {
  return parseFieldsWithExpansions(value, {})?.fields
}

/**
 * Like parseFields, but accepts the one-level expansions listed in `expandable` (e.g. `creative{id,name}`): the
 * expanded field appears in `fields` by its name, its sub-fields in `expansions`.
 */
export function parseFieldsWithExpansions(
  value: string | undefined,
  expandable: Record<string, ReadonlySet<string>>,
): { fields: string[]; expansions: Record<string, string[]> } | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const out: string[] = []
  let depth = 0
  let current = ''
  for (const ch of value) {
    if (ch === '{' || ch === '(') depth++
    if (ch === '}' || ch === ')') depth = Math.max(0, depth - 1)
    if (ch === ',' && depth === 0) {
      if (current.trim()) out.push(current.trim())
      current = ''
    } else {
      current += ch
    }
  }
  if (current.trim()) out.push(current.trim())
  const fields: string[] = []
  const expansions: Record<string, string[]> = {}
  for (const f of out) {
    const expansion = /^([a-z_]+)\{([a-z_,\s]*)\}$/.exec(f)
    const name = expansion?.[1]
    const known = name !== undefined ? expandable[name] : undefined
    if (expansion && name !== undefined && known) {
      const sub = (expansion[2] ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
      for (const x of sub) {
        if (!known.has(x)) throw invalidParameter(`Tried accessing nonexisting field (${x}) on ${name}`)
      }
      fields.push(name)
      expansions[name] = sub
      continue
    }
    if (/[{}()]/.test(f) || /\.[a-z_]+\(/.test(f)) {
      throw invalidParameter(`Field expansion and modifiers (${f}) are not supported by the Promoly Meta simulator; request edges directly`)
    }
    fields.push(f)
  }
  return { fields, expansions }
}

/** Checks requested fields against the node's known fields. */
export function checkFields(
  fields: string[],
  known: ReadonlySet<string>,
  nodeType: string,
  onUnknown: (field: string, nodeType: string) => Error,
): void {
  for (const f of fields) if (!known.has(f)) throw onUnknown(f, nodeType)
}

export interface PageContext {
  req: SimRequest
  baseUrl: string
  token: string
  defaultPageSize: number
}

const MAX_PAGE_SIZE = 500

function pageSizeOf(ctx: PageContext): number {
  const raw = ctx.req.params.get('limit')
  if (raw !== undefined && /^\d+$/.test(raw.trim())) {
    const n = Number(raw.trim())
    if (n > 0) return Math.min(n, MAX_PAGE_SIZE)
  }
  return Math.max(1, Math.min(ctx.defaultPageSize, MAX_PAGE_SIZE))
}

function pageUrl(ctx: PageContext, limit: number, cursorKey: 'after' | 'before', cursor: string): string {
  const q = new URLSearchParams()
  q.append('access_token', ctx.token)
  for (const [k, v] of ctx.req.params.entries()) {
    if (k === 'access_token' || k === 'appsecret_proof' || k === 'after' || k === 'before' || k === 'limit') continue
    q.append(k, v)
  }
  q.append('limit', String(limit))
  q.append(cursorKey, cursor)
  const path = ctx.req.segments.map((s) => encodeURIComponent(s)).join('/')
  return `${ctx.baseUrl}/${ctx.req.version}/${path}?${q.toString()}`
}

export interface Paging {
  cursors: { before: string; after: string }
  next?: string
  previous?: string
}

/**
 * Cursor paging over an already ordered list. Without `keyOf`, cursors encode row positions the way
 * insights cursors do (`MAZDZD` = row 0); with it they encode item keys (stable when items are
 * added while a client pages).
 */
export function paginate<T>(items: readonly T[], ctx: PageContext, keyOf?: (item: T) => string): { data: T[]; paging?: Paging } {
  const limit = pageSizeOf(ctx)
  const decodePosition = (cursor: string, param: string): number => {
    if (keyOf) {
      const key = decodeCursor(cursor)
      const idx = key === undefined ? -1 : items.findIndex((i) => keyOf(i) === key)
      if (idx < 0) throw invalidParameter(`The ${param} cursor is not valid for this request`)
      return idx
    }
    const idx = decodeIndexCursor(cursor)
    if (idx === undefined) throw invalidParameter(`The ${param} cursor is not valid for this request`)
    return idx
  }
  let start = 0
  let end: number
  const after = ctx.req.params.get('after')
  const before = ctx.req.params.get('before')
  if (after !== undefined && after !== '') {
    start = decodePosition(after, 'after') + 1
    end = Math.min(items.length, start + limit)
  } else if (before !== undefined && before !== '') {
    end = Math.min(items.length, decodePosition(before, 'before'))
    start = Math.max(0, end - limit)
  } else {
    end = Math.min(items.length, limit)
  }
  start = Math.min(start, items.length)
  const data = items.slice(start, end)
  if (data.length === 0) return { data }
  const cursorAt = (i: number): string => {
    const item = items[i]
    return encodeCursor(keyOf && item !== undefined ? keyOf(item) : i)
  }
  const paging: Paging = { cursors: { before: cursorAt(start), after: cursorAt(end - 1) } }
  if (start > 0) paging.previous = pageUrl(ctx, limit, 'before', cursorAt(start))
  if (end < items.length) paging.next = pageUrl(ctx, limit, 'after', cursorAt(end - 1))
  return { data, paging }
}
