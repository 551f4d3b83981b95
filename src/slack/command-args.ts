/**
 * Splits command text into words; "double", “curly” or 'single' quotes keep spaces together.
 * Slack sends the text as typed (should_escape is false in the manifest).
 */
export function tokenize(text: string): string[] {
  const out: string[] = []
  const re = /"([^"]*)"|“([^”]*)”|'([^']*)'|‘([^’]*)’|(\S+)/g
  for (const m of text.matchAll(re)) {
    const word = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? ''
    out.push(word)
  }
  return out
}
