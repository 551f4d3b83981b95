/** Child of the ack-latency bench: a fake Slack (Web API + response_url endpoints) in its own process. */
import { startFakeSlack } from '../../test/support/fake-slack.ts'
import { reportStartupError, serveParent, toParent, wallNow } from './protocol.ts'

try {
  const slack = await startFakeSlack()
  const arrivals = new Map<string, number>()
  const seen = slack.responses.push.bind(slack.responses)
  // Timestamp every response_url post as it arrives (the bench reports ack → list latency).
  slack.responses.push = (...calls) => {
    for (const c of calls) arrivals.set(c.path, wallNow())
    return seen(...calls)
  }
  serveParent(
    {
      // The response_url posts under a prefix: path, arrival time, and what was posted.
      responses: (r) =>
        slack.responses
          .filter((c) => c.path.startsWith(`/response/${String(r.prefix)}`))
          .map((c) => ({ path: c.path, at: arrivals.get(c.path), responseType: c.body.response_type, header: headerText(c.body) })),
    },
    () => slack.close(),
  )
  toParent({ type: 'ready', apiUrl: slack.apiUrl, url: slack.url })
} catch (err) {
  reportStartupError(err)
}

function headerText(body: Record<string, unknown>): string | undefined {
  const blocks = body.blocks as Array<{ type: string; text?: { text?: string } }> | undefined
  return blocks?.find((b) => b.type === 'header')?.text?.text ?? (typeof body.text === 'string' ? body.text : undefined)
}
