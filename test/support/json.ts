/**
 * Parsed JSON as tests read it: ad hoc, field by field (`res.json.error.code`, `rows[0].date_start`,
 * `parsed.event.type`), checked by the assertions themselves.
 */
// biome-ignore lint/suspicious/noExplicitAny: test-side JSON; a precise type would only move casts into every test
export type Json = any
