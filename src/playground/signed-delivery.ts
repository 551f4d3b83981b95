import { createHmac } from 'node:crypto'

export interface DeliveryResult {
  status: number
  body: string
  /** Parsed JSON body, when it is JSON. */
  json?: unknown
  ms: number
  /** Set when Promoly could not be reached or did not answer in time. */
  error?: 'dispatch_failed' | 'operation_timeout'
}

/**
 * Posts to Promoly's Request URL the way Slack does: the exact raw body signed with the signing
 * secret (`v0=HMAC-SHA256("v0:{ts}:{body}")`), Slack's content types, a 3 s deadline.
 */
export async function deliverSigned(options: {
  url: string
  signingSecret: string
  body: string
  contentType: 'application/json' | 'application/x-www-form-urlencoded'
  timeoutMs?: number
  retryNum?: number
}): Promise<DeliveryResult> {
  const ts = Math.floor(Date.now() / 1000)
  const signature = `v0=${createHmac('sha256', options.signingSecret).update(`v0:${ts}:${options.body}`).digest('hex')}`
  const started = performance.now()
  const headers: Record<string, string> = {
    'content-type': options.contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signature,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  }
  if (options.retryNum) {
    headers['x-slack-retry-num'] = String(options.retryNum)
    headers['x-slack-retry-reason'] = 'http_timeout'
  }
  try {
    const res = await fetch(options.url, {
      method: 'POST',
      body: options.body,
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    })
    const body = await res.text()
    let json: unknown
    try {
      json = body ? JSON.parse(body) : undefined
    } catch {
      json = undefined
    }
    return { status: res.status, body, json, ms: performance.now() - started, error: res.ok ? undefined : 'dispatch_failed' }
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError'
    return { status: 0, body: '', ms: performance.now() - started, error: timedOut ? 'operation_timeout' : 'dispatch_failed' }
  }
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString()
}

export function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
}
