/**
 * The `filtering` parameter of insights: campaign, ad set and ad attributes (id, name, objective, effective_status)
 * and a few metrics, with Meta's operators. An `<level>.effective_status` filter that lists DELETED is what makes
 * insights serve rows of deleted objects (Meta leaves them out otherwise).
 */
import { type ObjectLevel, parseStatusList } from './effective-status.ts'
import { invalidParameter } from './errors.ts'
import type { Counts } from './model.ts'

export type RowFilter = (row: { counts: Counts; spendMajor: number }) => boolean

/** The attributes a filter can test, per object level. */
export interface FilterableObject {
  id: string
  name: string
  objective?: string
  effectiveStatus: string
}

export interface InsightsFilters {
  objects: Record<ObjectLevel, Array<(o: FilterableObject) => boolean>>
  /** Some effective_status filter lists DELETED: deleted objects' rows are served. */
  includeDeleted: boolean
  rows: RowFilter[]
}

const OBJECT_FIELDS: Record<string, ReadonlySet<string>> = {
  campaign: new Set(['id', 'name', 'objective', 'effective_status']),
  adset: new Set(['id', 'name', 'effective_status']),
  ad: new Set(['id', 'name', 'effective_status']),
}
const METRIC_FILTER_FIELDS = new Set(['impressions', 'clicks', 'reach', 'spend'])

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v))
  if (value === undefined || value === null) return []
  return [String(value)]
}

const MALFORMED = 'filtering must be a JSON array of {field, operator, value} objects'

export function emptyFilters(): InsightsFilters {
  return { objects: { campaign: [], adset: [], ad: [] }, includeDeleted: false, rows: [] }
}

export function parseFiltering(raw: string): InsightsFilters {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw invalidParameter(MALFORMED)
  }
  if (!Array.isArray(parsed)) throw invalidParameter(MALFORMED)
  const out = emptyFilters()
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) throw invalidParameter(MALFORMED)
    const { field, operator, value } = item as { field?: unknown; operator?: unknown; value?: unknown }
    if (typeof field !== 'string' || typeof operator !== 'string')
      throw invalidParameter('Each filtering entry needs a field and an operator')
    const op = operator.toUpperCase()
    const dot = field.indexOf('.')
    const prefix = dot > 0 ? field.slice(0, dot) : ''
    const attribute = dot > 0 ? field.slice(dot + 1) : field
    if (OBJECT_FIELDS[prefix]?.has(attribute)) {
      const level = prefix as ObjectLevel
      let values = asList(value)
      if (attribute === 'effective_status') {
        values = parseStatusList(values, `filtering[${field}]`, level)
        if ((op === 'IN' || op === 'EQUAL') && values.includes('DELETED')) out.includeDeleted = true
      }
      const test = textFilter(field, op, values)
      const get = (o: FilterableObject): string =>
        attribute === 'id' ? o.id : attribute === 'name' ? o.name : attribute === 'objective' ? (o.objective ?? '') : o.effectiveStatus
      out.objects[level].push((o) => test(get(o)))
    } else if (METRIC_FILTER_FIELDS.has(field)) {
      out.rows.push(metricFilter(field, op, asList(value)))
    } else {
      throw invalidParameter(`Filtering on ${field} is not supported by the Promoly Meta simulator`)
    }
  }
  return out
}

function metricFilter(field: string, op: string, values: string[]): RowFilter {
  const nums = values.map(Number)
  const a = nums[0] ?? Number.NaN
  const b = nums[1] ?? Number.NaN
  if (!Number.isFinite(a)) throw invalidParameter(`Filtering value for ${field} must be a number`)
  const test: Record<string, (v: number) => boolean> = {
    EQUAL: (v) => v === a,
    NOT_EQUAL: (v) => v !== a,
    GREATER_THAN: (v) => v > a,
    GREATER_THAN_OR_EQUAL: (v) => v >= a,
    LESS_THAN: (v) => v < a,
    LESS_THAN_OR_EQUAL: (v) => v <= a,
    IN_RANGE: (v) => v >= a && v <= b,
    NOT_IN_RANGE: (v) => v < a || v > b,
  }
  const fn = test[op]
  if (!fn) throw invalidParameter(`Filtering operator ${op} is not supported for ${field}`)
  return (r) =>
    fn(
      field === 'spend'
        ? r.spendMajor
        : field === 'impressions'
          ? r.counts.impressions
          : field === 'clicks'
            ? r.counts.clicks
            : r.counts.reach,
    )
}

/** Graph's filtering operators on a text field (EQUAL, IN, CONTAIN, …), as one predicate. */
export function textFilter(field: string, op: string, values: string[]): (v: string) => boolean {
  const first = values[0] ?? ''
  const tests: Record<string, (v: string) => boolean> = {
    EQUAL: (v) => v === first,
    NOT_EQUAL: (v) => v !== first,
    IN: (v) => values.includes(v),
    NOT_IN: (v) => !values.includes(v),
    CONTAIN: (v) => v.toLowerCase().includes(first.toLowerCase()),
    NOT_CONTAIN: (v) => !v.toLowerCase().includes(first.toLowerCase()),
    STARTS_WITH: (v) => v.toLowerCase().startsWith(first.toLowerCase()),
  }
  const test = tests[op]
  if (!test) throw invalidParameter(`Filtering operator ${op} is not supported for ${field}`)
  return test
}
