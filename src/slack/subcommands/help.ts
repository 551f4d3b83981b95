import { helpMessage } from '../blocks/help-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

export const help: Subcommand = async ({ ack }) => {
  await ack(ephemeral(helpMessage()))
}
