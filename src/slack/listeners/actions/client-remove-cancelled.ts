import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { plainMessage } from '../../blocks/clients-message.ts'

/** "Keep it" under `/promoly clients remove`: nothing happens, and the question says so. */
export function clientRemoveCancelled() {
  return async ({ ack, respond }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    await respond({ replace_original: true, ...plainMessage('Nothing was removed.') })
  }
}
