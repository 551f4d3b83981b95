/**
 * Filters of the object lists (/campaigns, /adsets, /ads): `effective_status=[…]` and `filtering=[{field, operator,
 * value}]` on id, name, status, effective_status (and objective, campaign_id, adset_id where they apply). Without an
 * effective_status filter in either form, ARCHIVED and DELETED objects are left out, as Meta does: "A request with no
 * filters returns only campaigns that were not archived or deleted".
 */
import type { Ctx } from './context.ts'
import { HIDDEN_BY_DEFAULT, type ObjectLevel, parseStatusList } from './effective-status.ts'
import { invalidParameter } from './errors.ts'
import { textFilter } from './insights-filtering.ts'

/** The attributes list filters can test. */
export interface ListAttributes {
  id: string
  name: string
  status: string
  effectiveStatus: string
  objective?: string
  campaignId?: string
  adSetId?: string
}

const FIELDS: Record<string, keyof ListAttributes> = {
  id: 'id',
  name: 'name',
  status: 'status',
  effective_status: 'effectiveStatus',
  objective: 'objective',
  campaign_id: 'campaignId',
  adset_id: 'adSetId',
}

const PREFIX: Record<ObjectLevel, string> = { campaign: 'campaign.', adset: 'adset.', ad: 'ad.' }

const MALFORMED = 'filtering must be a JSON array of {field, operator, value} objects'

/** Applies the request's list filters (and the default omission of archived/deleted objects) to `items`. */
export function filterList<T>(ctx: Ctx, level: ObjectLevel, items: T[], attributes: (item: T) => ListAttributes): T[] {
  const tests: Array<(a: ListAttributes) => boolean> = []
  let statusFiltered = false
  const effective = ctx.req.params.get('effective_status')
  if (effective !== undefined && effective !== '') {
    const wanted = parseStatusList(effective, 'effective_status', level)
    tests.push((a) => wanted.includes(a.effectiveStatus))
    statusFiltered = true
  }
  const raw = ctx.req.params.get('filtering')
  if (raw !== undefined && raw !== '' && raw !== '[]') {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      throw invalidParameter(MALFORMED)
    }
    if (!Array.isArray(parsed)) throw invalidParameter(MALFORMED)
    for (const item of parsed as Array<{ field?: unknown; operator?: unknown; value?: unknown }>) {
      if (typeof item !== 'object' || item === null) throw invalidParameter(MALFORMED)
      const rawField = String(item.field ?? '')
      const field = rawField.startsWith(PREFIX[level]) ? rawField.slice(PREFIX[level].length) : rawField
      const key = FIELDS[field]
      if (
        !key ||
        (key === 'objective' && level !== 'campaign') ||
        (key === 'adSetId' && level !== 'ad') ||
        (key === 'campaignId' && level === 'campaign')
      ) {
        throw invalidParameter(`Filtering on ${rawField} is not supported by the Promoly Meta simulator`)
      }
      const op = String(item.operator ?? '').toUpperCase()
      let values = Array.isArray(item.value) ? item.value.map(String) : [String(item.value ?? '')]
      if (key === 'effectiveStatus') {
        values = parseStatusList(values, `filtering[${rawField}]`, level)
        statusFiltered = true
      }
      const test = textFilter(rawField, op, values)
      tests.push((a) => test(a[key] ?? ''))
    }
  }
  if (!statusFiltered) tests.push((a) => !HIDDEN_BY_DEFAULT.has(a.effectiveStatus))
  return items.filter((item) => {
    const a = attributes(item)
    return tests.every((t) => t(a))
  })
}
