/**
 * A value the bench has just built or asked for (a row it created, an entry of a table it indexes in range):
 * when it is missing the bench itself is wrong, so it stops and says what was missing.
 */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench: missing ${what}`)
  return value
}
