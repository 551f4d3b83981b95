/** Shared helpers for the simulator's own tests (plain fetch against a started simulator). */
import type { MetaSimulator } from '../../src/integrations/meta-sim/types.ts'
import type { Json } from './json.ts'

/** Wednesday 2026-11-25 04:26:30 PST: the "current time" of the expired-token fixture. */
export const NOW = new Date('2026-11-25T12:26:30Z')
export const fixedNow = (): Date => NOW

export const US = '1234567890123456'
export const JP = '3456789012345678'
export const IN = '5678901234567890'

export const LEADS_FIELDS =
  'campaign_id,campaign_name,objective,account_currency,impressions,reach,frequency,clicks,inline_link_clicks,ctr,cpc,cpm,spend,actions,cost_per_action_type'

export interface GraphReply {
  status: number
  headers: Record<string, string>
  text: string
  json: Json
}

function withToken(sim: MetaSimulator, params: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = String(v)
  if (!('access_token' in params)) out.access_token = sim.accessToken
  return out
}

async function reply(res: Response): Promise<GraphReply> {
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), text, json }
}

export async function graphGet(
  sim: MetaSimulator,
  path: string,
  params: Record<string, string | number | undefined> = {},
  version = 'v26.0',
): Promise<GraphReply> {
  const qs = new URLSearchParams(withToken(sim, params))
  return reply(await fetch(`${sim.url}/${version}${path}?${qs.toString()}`))
}

export async function graphPost(
  sim: MetaSimulator,
  path: string,
  form: Record<string, string | number | undefined> = {},
  version = 'v26.0',
): Promise<GraphReply> {
  return reply(
    await fetch(`${sim.url}/${version}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(withToken(sim, form)).toString(),
    }),
  )
}

export async function fetchUrl(url: string): Promise<GraphReply> {
  return reply(await fetch(url))
}

/** Follows paging.next from a first URL and returns every row plus the page count. */
export async function walkPages(
  sim: MetaSimulator,
  path: string,
  params: Record<string, string | number | undefined>,
): Promise<{ rows: Json[]; pages: number }> {
  let page = await graphGet(sim, path, params)
  const rows: Json[] = []
  let pages = 0
  for (;;) {
    if (page.status !== 200) throw new Error(`page ${pages + 1} failed: ${page.text}`)
    pages++
    rows.push(...page.json.data)
    const next: string | undefined = page.json.paging?.next
    if (!next) break
    page = await fetchUrl(next)
  }
  return { rows, pages }
}

export function num(value: unknown): number {
  return Number(value)
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
}
