/**
 * How a typed name finds campaigns and ad accounts: anywhere in the name, case-insensitive, what was typed taken
 * literally (never as a LIKE pattern); an exact name wins, names that start with it rank before the others. A name
 * that matches nothing is compared with the names one may see (a bounded edit distance) for "did you mean".
 */

import { editDistance } from '../../lib/edit-distance.ts'

/**
 * A case-insensitive "name contains" filter for what a person typed. Prisma hands the text to LIKE as it is, where
 * % and _ are wildcards (so "_" matched every name): they, and the escape character, are escaped.
 */
export function nameContains(query: string) {
  return { contains: likeLiteral(query), mode: 'insensitive' as const }
}

const likeLiteral = (query: string) => query.replace(/[\\%_]/g, (c) => `\\${c}`)

/** A case-insensitive "name is" filter: Prisma's insensitive `equals` is an ILIKE on PostgreSQL, so escaped too. */
export function nameIs(query: string) {
  return { equals: likeLiteral(query), mode: 'insensitive' as const }
}

/** A case-insensitive "name starts with" filter (escaped like nameContains). */
export function nameStartsWith(query: string) {
  return { startsWith: likeLiteral(query), mode: 'insensitive' as const }
}

/** How many name matches a look-up reads before ranking them (an ambiguous answer lists a few of them anyway). */
export const NAME_MATCH_LIMIT = 50

/** 0 exact, 1 starts with the query, 2 contains it elsewhere (case-insensitive). */
function rank(name: string, q: string): number {
  const n = name.toLowerCase()
  return n === q ? 0 : n.startsWith(q) ? 1 : 2
}

/** Matches ranked exact, then prefix, then elsewhere (by name within each); a single exact name wins alone. */
export function rankByName<T extends { name: string }>(matches: T[], query: string): T[] {
  const q = query.trim().toLowerCase()
  const ranked = [...matches].sort((a, b) => rank(a.name, q) - rank(b.name, q) || a.name.localeCompare(b.name))
  const exact = ranked.filter((m) => rank(m.name, q) === 0)
  return exact.length === 1 ? exact : ranked
}

/** One button of a "did you mean" answer: what to type instead (an id the look-up accepts) and what it is. */
export interface DidYouMeanOption {
  /** A Meta campaign id or an act_ id: typed in place of the name, it finds exactly this one. */
  ref: string
  label: string
}

/** What an ambiguous or unmatched name error carries for the surfaces that can offer buttons. */
export interface DidYouMean {
  query: string
  options: DidYouMeanOption[]
}

export const DID_YOU_MEAN_MAX = 5

/** Longer queries are not compared (they are not misspellings of a name, and the comparison stays cheap). */
const MAX_QUERY = 60
const MAX_NAME = 120

/**
 * How far a typed name is from a name: the smaller of its distance to the whole name and to any run of as many
 * words of the name as were typed ("sprng sale" is 1 from "Spring Sale 2026").
 */
function distance(q: string, name: string, max: number): number {
  const n = name.toLowerCase().slice(0, MAX_NAME)
  let best = editDistance(q, n, max)
  const qWords = q.split(/\s+/).length
  const words = n.split(/\s+/).filter(Boolean)
  for (let i = 0; i + qWords <= words.length && best > 0; i++) {
    best = Math.min(best, editDistance(q, words.slice(i, i + qWords).join(' '), Math.min(max, best)))
  }
  return best
}

/**
 * The names closest to a query that matched none, best first, at most `limit`: within about a third of the query's
 * length in edits (one edit for short queries; nothing for one or two letters).
 */
export function closestByName<T extends { name: string }>(candidates: T[], query: string, limit = DID_YOU_MEAN_MAX): T[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ')
  if (q.length < 3 || q.length > MAX_QUERY) return []
  const max = Math.max(1, Math.floor(q.length / 3))
  return candidates
    .map((c) => ({ c, d: distance(q, c.name, max) }))
    .filter((x) => x.d <= max)
    .sort((x, y) => x.d - y.d || x.c.name.localeCompare(y.c.name))
    .slice(0, limit)
    .map((x) => x.c)
}
