import type { KnownBlock, View } from '@slack/types'

export type Blocks = KnownBlock[]
export type ModalView = View

/** A message: blocks plus the plain-text fallback Slack shows in notifications. */
export interface MessageContent {
  text: string
  blocks: Blocks
}

export const MAX_MESSAGE_BLOCKS = 50
