/**
 * Effective statuses as Meta derives them from an object's own status and its parents', the values each list accepts
 * in `effective_status` filters, and the rule that ARCHIVED and DELETED objects are left out unless asked for.
 */
import { invalidParameter } from './errors.ts'
import type { AdRecord, AdSetRecord, CampaignRecord } from './records.ts'

export type ObjectLevel = 'campaign' | 'adset' | 'ad'

const CAMPAIGN_STATUSES = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES'] as const
const ADSET_STATUSES = [...CAMPAIGN_STATUSES, 'CAMPAIGN_PAUSED'] as const
const AD_STATUSES = [...ADSET_STATUSES, 'ADSET_PAUSED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO'] as const

/** The `effective_status` values Meta accepts per object type (others answer #100). */
const VALID_EFFECTIVE_STATUSES: Record<ObjectLevel, readonly string[]> = {
  campaign: CAMPAIGN_STATUSES,
  adset: ADSET_STATUSES,
  ad: AD_STATUSES,
}

/** What unfiltered lists leave out. */
export const HIDDEN_BY_DEFAULT: ReadonlySet<string> = new Set(['ARCHIVED', 'DELETED'])

export function campaignEffectiveStatus(c: CampaignRecord): string {
  return c.status
}

/** DELETED beats ARCHIVED beats the object's own PAUSED beats the parent's pause. */
export function adSetEffectiveStatus(s: AdSetRecord, c: CampaignRecord): string {
  if (s.status === 'DELETED' || c.status === 'DELETED') return 'DELETED'
  if (s.status === 'ARCHIVED' || c.status === 'ARCHIVED') return 'ARCHIVED'
  if (s.status === 'PAUSED') return 'PAUSED'
  if (c.status === 'PAUSED') return 'CAMPAIGN_PAUSED'
  return 'ACTIVE'
}

export function adEffectiveStatus(a: AdRecord, s: AdSetRecord, c: CampaignRecord): string {
  if (a.status === 'DELETED' || s.status === 'DELETED' || c.status === 'DELETED') return 'DELETED'
  if (a.status === 'ARCHIVED' || s.status === 'ARCHIVED' || c.status === 'ARCHIVED') return 'ARCHIVED'
  if (a.status === 'PAUSED') return 'PAUSED'
  if (c.status === 'PAUSED') return 'CAMPAIGN_PAUSED'
  if (s.status === 'PAUSED') return 'ADSET_PAUSED'
  return 'ACTIVE'
}

/** Parses an `effective_status` list (JSON array, or comma-separated) and checks every value for the object type. */
export function parseStatusList(raw: unknown, param: string, level: ObjectLevel): string[] {
  let list: unknown = raw
  if (typeof raw === 'string') {
    const trimmed = raw.trim()
    if (trimmed.startsWith('[')) {
      try {
        list = JSON.parse(trimmed)
      } catch {
        throw invalidParameter(`${param} must be an array of strings`)
      }
    } else {
      list = trimmed
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    }
  }
  if (!Array.isArray(list)) list = [list]
  const valid = VALID_EFFECTIVE_STATUSES[level]
  const out: string[] = []
  ;(list as unknown[]).forEach((v, i) => {
    const s = String(v)
    if (!valid.includes(s)) throw invalidParameter(`${param}[${i}] must be one of the following values: ${valid.join(', ')}`)
    out.push(s)
  })
  return out
}
