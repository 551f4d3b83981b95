import type { PlainTextOption, StaticSelect } from '@slack/types'
import { timeZoneNames, utcOffsetLabel } from '../../lib/time-zones.ts'

/** Slack's limits: at most 100 options per group, 100 groups; option texts at most 75 characters. */
const MAX_PER_GROUP = 100

function option(zone: string, at: Date): PlainTextOption {
  return { text: { type: 'plain_text', text: `${zone.replaceAll('_', ' ')} (${utcOffsetLabel(zone, at)})`.slice(0, 75) }, value: zone }
}

/**
 * A time zone chosen from a list rather than typed: every IANA zone, grouped by region (a region of more than
 * 100 split alphabetically in parts), the `suggested` ones (the person's Slack time zone, the accounts' zones)
 * first, `initial` selected. Each zone is listed once: a suggested one is not repeated in its region.
 */
export function timeZoneSelect(options: { actionId: string; initial?: string; suggested?: string[]; at?: Date }): StaticSelect {
  const at = options.at ?? new Date()
  const suggested = [...new Set([...(options.initial ? [options.initial] : []), ...(options.suggested ?? [])])].slice(0, MAX_PER_GROUP)
  const byRegion = new Map<string, string[]>()
  for (const zone of timeZoneNames()) {
    if (suggested.includes(zone)) continue
    const region = zone.includes('/') ? (zone.split('/')[0] ?? zone) : 'Other'
    byRegion.set(region, [...(byRegion.get(region) ?? []), zone])
  }
  const groups: Array<{ label: string; zones: string[] }> = suggested.length > 0 ? [{ label: 'Suggested', zones: suggested }] : []
  for (const [region, zones] of byRegion) {
    const parts = Math.ceil(zones.length / MAX_PER_GROUP)
    const size = Math.ceil(zones.length / parts)
    for (let i = 0; i < parts; i++) {
      const slice = zones.slice(i * size, (i + 1) * size)
      const city = (z: string | undefined) => (z ?? '').slice(region.length + 1, region.length + 2)
      const label = parts === 1 ? region : `${region} (${city(slice[0])}–${city(slice.at(-1))})`
      groups.push({ label, zones: slice })
    }
  }
  const initial = options.initial ? option(options.initial, at) : undefined
  return {
    type: 'static_select',
    action_id: options.actionId,
    placeholder: { type: 'plain_text', text: 'Choose a time zone' },
    option_groups: groups.map((g) => ({ label: { type: 'plain_text', text: g.label }, options: g.zones.map((z) => option(z, at)) })),
    ...(initial ? { initial_option: initial } : {}),
  }
}
