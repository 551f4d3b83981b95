import type { MessageContent } from './types.ts'

const TEXT = 'This card is closed here: its ad account now belongs to another client.'

/**
 * What a card becomes in a client's channel once its ad account belongs to another client: no names, figures or
 * buttons of the account any more (not even the new client's name), only why.
 */
export function movedAwayCard(): MessageContent {
  return {
    text: TEXT,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:lock: ${TEXT}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Nothing more of it is shown or decided in this channel.' }],
      },
    ],
  }
}
