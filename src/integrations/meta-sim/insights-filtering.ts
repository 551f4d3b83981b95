/** The `filtering` parameter of insights: campaign attributes and a few metrics, Meta's operators. */
import { invalidParameter } from './errors.ts'
import type { Counts } from './model.ts'
import type { CampaignRecord } from './records.ts'

export type RowFilter = (row: { campaign?: CampaignRecord; counts: Counts; spendMajor: number }) => boolean

const CAMPAIGN_FILTER_FIELDS = new Set(['campaign.id', 'campaign.name', 'campaign.effective_status', 'campaign.objective'])
const METRIC_FILTER_FIELDS = new Set(['impressions', 'clicks', 'reach', 'spend'])

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v))
  if (value === undefined || value === null) return []
  return [String(value)]
}

export function parseFiltering(raw: string): { campaign: Array<(c: CampaignRecord) => boolean>; rows: RowFilter[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw invalidParameter('filtering must be a JSON array of {field, operator, value} objects')
  }
  if (!Array.isArray(parsed)) throw invalidParameter('filtering must be a JSON array of {field, operator, value} objects')
  const campaign: Array<(c: CampaignRecord) => boolean> = []
  const rows: RowFilter[] = []
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null)
      throw invalidParameter('filtering must be a JSON array of {field, operator, value} objects')
    const { field, operator, value } = item as { field?: unknown; operator?: unknown; value?: unknown }
    if (typeof field !== 'string' || typeof operator !== 'string')
      throw invalidParameter('Each filtering entry needs a field and an operator')
    const op = operator.toUpperCase()
    if (CAMPAIGN_FILTER_FIELDS.has(field)) {
      const get = (c: CampaignRecord): string =>
        field === 'campaign.id'
          ? c.id
          : field === 'campaign.name'
            ? c.name
            : field === 'campaign.objective'
              ? c.objective
              : c.effectiveStatus
      const fn = textFilter(field, op, asList(value))
      campaign.push((c) => fn(get(c)))
    } else if (METRIC_FILTER_FIELDS.has(field)) {
      const nums = asList(value).map(Number)
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
      rows.push((r) =>
        fn(
          field === 'spend'
            ? r.spendMajor
            : field === 'impressions'
              ? r.counts.impressions
              : field === 'clicks'
                ? r.counts.clicks
                : r.counts.reach,
        ),
      )
    } else {
      throw invalidParameter(`Filtering on ${field} is not supported by the Promoly Meta simulator`)
    }
  }
  return { campaign, rows }
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
