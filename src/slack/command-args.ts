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

/** Words back into command text that tokenize() reads as the same words (a word with spaces is quoted). */
export function joinWords(words: string[]): string {
  return words.map((w) => (/\s/.test(w) || w === '' ? `"${w.replace(/"/g, '')}"` : w)).join(' ')
}

/**
 * The command's words with the run of words that made up `query` (joined by spaces) replaced by `replacement`; the
 * last such run (a name comes after the subcommand and its action words); null when no run of words is the query.
 */
export function replaceQuery(words: string[], query: string, replacement: string): string[] | null {
  const q = query.trim()
  for (let start = words.length - 1; start >= 0; start--) {
    for (let end = words.length; end > start; end--) {
      if (words.slice(start, end).join(' ').trim() === q) return [...words.slice(0, start), replacement, ...words.slice(end)]
    }
  }
  return null
}
