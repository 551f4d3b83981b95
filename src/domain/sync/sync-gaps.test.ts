import { describe, expect, it } from 'vitest'
import { describeSyncGap, joinGaps, mergeRanges, partlySyncedNote, readSyncGaps, splitRange, withoutCovered } from './sync-gaps.ts'

describe('day ranges', () => {
  it('merges overlapping and adjacent ranges, sorted', () => {
    expect(
      mergeRanges([
        { since: '2026-11-23', until: '2026-11-25' },
        { since: '2026-11-01', until: '2026-11-07' },
        { since: '2026-11-08', until: '2026-11-10' },
        { since: '2026-11-24', until: '2026-11-24' },
      ]),
    ).toEqual([
      { since: '2026-11-01', until: '2026-11-10' },
      { since: '2026-11-23', until: '2026-11-25' },
    ])
  })

  it('splits a range in two halves down to single days', () => {
    expect(splitRange({ since: '2026-11-01', until: '2026-11-28' })).toEqual([
      { since: '2026-11-01', until: '2026-11-14' },
      { since: '2026-11-15', until: '2026-11-28' },
    ])
    expect(splitRange({ since: '2026-11-01', until: '2026-11-03' })).toEqual([
      { since: '2026-11-01', until: '2026-11-02' },
      { since: '2026-11-03', until: '2026-11-03' },
    ])
  })
})

describe('sync gaps', () => {
  const at = '2026-11-25T15:00:00.000Z'
  it('reads the stored JSON, dropping anything malformed', () => {
    expect(
      readSyncGaps([
        { since: '2026-11-01', until: '2026-11-14', reason: 'deadline', waitedMinutes: 15, at },
        { since: '2026-11-20', until: '2026-11-19', reason: 'failed', at },
        { since: 'yesterday', until: '2026-11-19' },
        null,
      ]),
    ).toEqual([{ since: '2026-11-01', until: '2026-11-14', reason: 'deadline', waitedMinutes: 15, at }])
    expect(readSyncGaps({})).toEqual([])
  })

  it('names the missing days and why, and says partly synced', () => {
    const deadline = { since: '2026-11-01', until: '2026-11-14', reason: 'deadline' as const, waitedMinutes: 15, at }
    expect(describeSyncGap(deadline)).toBe(
      "Meta's report for Sun 1 Nov – Sat 14 Nov did not finish within 15 min; retried at the next sync.",
    )
    expect(describeSyncGap({ since: '2026-11-20', until: '2026-11-20', reason: 'failed', at })).toBe(
      'Meta could not produce the report for Fri 20 Nov; retried at the next sync.',
    )
    expect(partlySyncedNote([])).toBeNull()
    expect(partlySyncedNote([deadline])).toBe('partly synced: Sun 1 Nov – Sat 14 Nov missing')
  })

  it('keeps only the days of a gap that a later fetch did not cover', () => {
    const gap = { since: '2026-11-01', until: '2026-11-14', reason: 'deadline' as const, at }
    expect(withoutCovered([gap], [{ since: '2026-11-05', until: '2026-11-07' }])).toEqual([
      { ...gap, until: '2026-11-04' },
      { ...gap, since: '2026-11-08' },
    ])
    expect(withoutCovered([gap], [{ since: '2026-10-01', until: '2026-11-30' }])).toEqual([])
    expect(withoutCovered([gap], [{ since: '2026-11-15', until: '2026-11-20' }])).toEqual([gap])
  })

  it('joins touching gaps of the same reason, and names the most recent days first', () => {
    const day = (d: string) => ({ since: d, until: d, reason: 'failed' as const, at })
    expect(joinGaps([day('2026-11-03'), day('2026-11-01'), day('2026-11-02'), day('2026-11-09')])).toEqual([
      { since: '2026-11-01', until: '2026-11-03', reason: 'failed', at },
      day('2026-11-09'),
    ])
    expect(joinGaps([day('2026-11-01'), { ...day('2026-11-02'), reason: 'deadline' }])).toHaveLength(2)
    expect(partlySyncedNote([day('2026-10-04'), day('2026-11-20')])).toBe('partly synced: Fri 20 Nov, Sun 4 Oct missing')
  })
})
