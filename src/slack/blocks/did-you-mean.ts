import { errorMessage } from './error-message.ts'
import type { MessageContent } from './types.ts'

/** Each button of a "did you mean" answer has this prefix and its position (action ids must differ within a block). */
export const DID_YOU_MEAN_ACTION_PREFIX = 'promoly_did_you_mean_'

/** What a "did you mean" button carries: the `/promoly` command text to run again, the chosen one's id in place of the name. */
export interface DidYouMeanValue {
  command: string
}

/** Slack's limits: a button label 75 characters, a value 2000. */
const LABEL_MAX = 75
export const RERUN_COMMAND_MAX = 1500

/** The problem (the matches, or "no … matches"), then one button per option that runs the same command on it. */
export function didYouMeanMessage(problem: string, options: Array<{ label: string; command: string }>): MessageContent {
  const base = errorMessage(problem)
  const buttons = options
    .filter((o) => o.command.length <= RERUN_COMMAND_MAX)
    .map((o, i) => ({
      type: 'button' as const,
      action_id: `${DID_YOU_MEAN_ACTION_PREFIX}${i}`,
      text: { type: 'plain_text' as const, text: o.label.length > LABEL_MAX ? `${o.label.slice(0, LABEL_MAX - 1)}…` : o.label },
      value: JSON.stringify({ command: o.command } satisfies DidYouMeanValue),
    }))
  if (buttons.length === 0) return base
  return { text: base.text, blocks: [...base.blocks, { type: 'actions', block_id: 'promoly_did_you_mean', elements: buttons }] }
}
