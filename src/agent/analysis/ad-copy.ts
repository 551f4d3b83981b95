/**
 * Meta's limits for ad copy, checked in code before any draft is shown (no agent imports: this
 * can move to src/domain/ as is). Counts are in characters (Unicode code points), after trimming.
 */
export const HEADLINE_MAX = 40
export const PRIMARY_TEXT_MAX = 125

/** Call-to-action button types Meta accepts for link ads (a common subset of its enum). */
export const CALL_TO_ACTIONS = [
  'LEARN_MORE',
  'SHOP_NOW',
  'SIGN_UP',
  'SUBSCRIBE',
  'CONTACT_US',
  'GET_OFFER',
  'BOOK_TRAVEL',
  'DOWNLOAD',
  'APPLY_NOW',
  'GET_QUOTE',
  'ORDER_NOW',
  'BUY_NOW',
  'WATCH_MORE',
  'DONATE_NOW',
] as const
export type CallToAction = (typeof CALL_TO_ACTIONS)[number]

export interface AdCopyDraft {
  headline: string
  primaryText: string
  callToAction: string
}

export type CheckedAdCopy =
  | { ok: true; headline: string; primaryText: string; callToAction: CallToAction }
  | { ok: false; problems: string[]; draft: AdCopyDraft }

export const charCount = (text: string) => [...text].length

/** Trims, collapses runs of spaces (line breaks in the primary text are kept), then checks each limit. */
export function checkAdCopy(draft: AdCopyDraft): CheckedAdCopy {
  const headline = draft.headline.replace(/\s+/g, ' ').trim()
  const primaryText = draft.primaryText
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  const cta = draft.callToAction
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_')
  const problems: string[] = []
  if (headline === '') problems.push('the headline is empty')
  else if (charCount(headline) > HEADLINE_MAX) problems.push(`the headline is ${charCount(headline)} characters (limit ${HEADLINE_MAX})`)
  if (primaryText === '') problems.push('the primary text is empty')
  else if (charCount(primaryText) > PRIMARY_TEXT_MAX)
    problems.push(`the primary text is ${charCount(primaryText)} characters (limit ${PRIMARY_TEXT_MAX})`)
  const callToAction = (CALL_TO_ACTIONS as readonly string[]).includes(cta) ? (cta as CallToAction) : null
  if (!callToAction) problems.push(`"${draft.callToAction}" is not one of Meta's call-to-action types (${CALL_TO_ACTIONS.join(', ')})`)
  if (problems.length > 0 || !callToAction) return { ok: false, problems, draft }
  return { ok: true, headline, primaryText, callToAction }
}
