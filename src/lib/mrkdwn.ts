/**
 * Bidirectional control characters (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates): in a
 * name they reorder how the rest of the line is displayed ("‮gnp.exe" shows as "exe.png"), so a campaign
 * name could make a card read differently from what it says. Removed from all untrusted text we show.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g

/** The text without bidirectional control characters (see BIDI_CONTROLS). */
function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '')
}

/**
 * Slack mrkdwn uses &, < and > as control characters: escaping them turns any `<!channel>`,
 * `<@U…>` or `<http://evil|link>` inside untrusted text (campaign names, user input, model output)
 * into literal text. Nothing else is HTML-encoded (Slack's own rule). Bidirectional controls are dropped.
 */
export function escapeMrkdwn(text: string): string {
  return stripBidi(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Escaped like escapeMrkdwn, except that user mentions (`<@U…>`, `<@W…>`) stay mentions: a reason that names
 * people shows their names. Nothing else survives (`<!channel>`, links stay literal text).
 */
export function escapeKeepingMentions(text: string): string {
  return escapeMrkdwn(text).replace(/&lt;@([UW][A-Z0-9]{2,30})&gt;/g, '<@$1>')
}

/**
 * Escaped mrkdwn (as escapeMrkdwn / escapeToFit make it) with the mentions of people and channels (`<@U…>`,
 * `<#C…>`) live again: for our own messages that name them ("<#C0ACME001> already belongs to…"). Broadcasts
 * (`<!channel>`) and links stay literal.
 */
export function withLiveMentions(escaped: string): string {
  return escaped.replace(/&lt;([@#])([UWCG][A-Z0-9]{2,30})&gt;/g, (all, kind: string, id: string) =>
    (kind === '@') === (id[0] === 'U' || id[0] === 'W') ? `<${kind}${id}>` : all,
  )
}

/**
 * Shortens to `max` characters with an ellipsis (Block Kit has hard limits per field); plain_text fields
 * (headers) go through here, so bidirectional controls are dropped too.
 */
export function truncate(text: string, max: number): string {
  const clean = stripBidi(text)
  return clean.length <= max ? clean : `${clean.slice(0, Math.max(0, max - 1))}…`
}

/** Escaped mrkdwn of `text` that fits in `max` characters, cut (with an ellipsis) before an entity, never inside one. */
export function escapeToFit(text: string, max: number): string {
  const escaped = escapeMrkdwn(text)
  if (escaped.length <= max) return escaped
  let cut = max - 1
  const amp = escaped.lastIndexOf('&', cut)
  if (amp >= 0 && escaped.indexOf(';', amp) >= cut) cut = amp
  return `${escaped.slice(0, cut)}…`
}

/** User input quoted back in a reply: one line, at most `max` characters (a long paste must not make the reply fail). */
export function echoInput(text: string, max = 80): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max)
}
