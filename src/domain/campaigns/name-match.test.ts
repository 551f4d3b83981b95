import { describe, expect, it } from 'vitest'
import { editDistance } from '../../lib/edit-distance.ts'
import { closestByName, nameContains, rankByName } from './name-match.ts'

const named = (...names: string[]) => names.map((name) => ({ name }))

describe('name matching', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    expect(nameContains('50%_off\\')).toEqual({ contains: '50\\%\\_off\\\\', mode: 'insensitive' })
  })

  it('ranks an exact name alone, then names starting with the query, then the others', () => {
    expect(rankByName(named('Big Summer Push', 'Summer Sale', 'summer'), 'Summer').map((m) => m.name)).toEqual(['summer'])
    expect(rankByName(named('Big Summer Push', 'Summer Sale', 'Summers End'), 'summer').map((m) => m.name)).toEqual([
      'Summer Sale',
      'Summers End',
      'Big Summer Push',
    ])
    // Two exact names (same name in two accounts): both, still ambiguous.
    expect(rankByName(named('Sale', 'sale', 'Sales'), 'SALE')).toHaveLength(3)
  })

  it('measures edit distance, giving up past the bound', () => {
    expect(editDistance('spring', 'sprng', 3)).toBe(1)
    expect(editDistance('kitten', 'sitting', 5)).toBe(3)
    expect(editDistance('abc', 'xyzxyzxyz', 2)).toBe(3)
  })

  it('offers the closest names of a misspelling (whole name or a run of its words), best first, at most five', () => {
    const names = named('Spring Sale 2026', 'Spring Leads', 'Winter Sale', 'Retargeting | Spring | US', 'Autumn')
    expect(closestByName(names, 'sprng sale').map((m) => m.name)).toEqual(['Spring Sale 2026'])
    expect(closestByName(names, 'Atumn').map((m) => m.name)).toEqual(['Autumn'])
    expect(closestByName(names, 'xyzzy')).toEqual([])
    // One or two letters are not a misspelling of anything; a very long query is not compared.
    expect(closestByName(names, 'sp')).toEqual([])
    expect(closestByName(names, 'x'.repeat(61))).toEqual([])
    expect(closestByName(named('aaa1', 'aaa2', 'aaa3', 'aaa4', 'aaa5', 'aaa6'), 'aaa')).toHaveLength(5)
  })
})
