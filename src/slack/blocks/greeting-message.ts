import type { MessageContent } from './types.ts'

/** What Promoly says when addressed in a DM or by @mention. */
export function greetingMessage(): MessageContent {
  const text =
    'Hi! Right now I answer `/promoly` commands: `/promoly campaigns` for campaigns by spend, `/promoly metrics &lt;campaign&gt;` for a campaign against the previous period, `/promoly help` for the rest.'
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }
}
