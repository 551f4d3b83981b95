/** Child of the ack-latency bench: a bare Bolt app (HTTP receiver) that acks `/promoly` with a static text. */
import { App, LogLevel } from '@slack/bolt'
import { freePort } from '../../test/support/net.ts'
import { parentEnv, reportStartupError, serveParent, toParent } from './protocol.ts'

try {
  const port = await freePort()
  const app = new App({
    signingSecret: parentEnv('BENCH_SIGNING_SECRET'),
    token: 'xoxb-bare',
    botId: 'B',
    botUserId: 'U',
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: process.env.BENCH_SLACK_API_URL },
  })
  app.command('/promoly', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: 'static' })
  })
  await app.start(port)
  serveParent({}, async () => {
    await app.stop()
  })
  toParent({ type: 'ready', endpoint: `http://127.0.0.1:${port}/slack/events` })
} catch (err) {
  reportStartupError(err)
}
