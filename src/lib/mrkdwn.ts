/**
 * Slack mrkdwn uses &, < and > as control characters: escaping them turns any `<!channel>`,
 * `<@U…>` or `<http://evil|link>` inside untrusted text (campaign names, user input, model output)
 * into literal text. Nothing else is HTML-encoded (Slack's own rule).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Shortens to `max` characters with an ellipsis (Block Kit has hard limits per field). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`
}
