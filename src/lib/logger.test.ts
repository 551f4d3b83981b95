import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger, redactText } from './logger.ts'

describe('logger redaction', () => {
  it('removes tokens and secrets from free text', () => {
    expect(redactText('call with xoxb-123-abc failed')).toBe('call with [REDACTED] failed')
    expect(redactText('GET /me?access_token=EAAabc&appsecret_proof=ff00')).toBe(
      'GET /me?access_token=[REDACTED]&appsecret_proof=[REDACTED]',
    )
    expect(redactText('token EAAB1234567890abcdefghijkl')).toBe('token [REDACTED]')
    expect(redactText('sent Authorization: Bearer abc.DEF-123_456')).toBe('sent Authorization: Bearer [REDACTED]')
    expect(redactText('Invalid OAuth access token data. Bearer token missing.')).toBe(
      'Invalid OAuth access token data. Bearer token missing.',
    )
  })

  it('never writes secret fields or secrets inside messages', () => {
    const lines: string[] = []
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        lines.push(String(chunk))
        cb()
      },
    })
    const real = createLogger({ level: 'info', destination: sink })
    real.info({ accessToken: 'EAAsecret', nested: { botToken: 'xoxb-1' }, safe: 'ok' }, 'connecting with xoxb-999-zzz')
    real.error({ err: new Error('failed for access_token=EAAzzz') }, 'boom')
    const out = lines.join('')
    expect(out).toContain('"safe":"ok"')
    expect(out).not.toContain('EAAsecret')
    expect(out).not.toContain('xoxb-1')
    expect(out).not.toContain('xoxb-999-zzz')
    expect(out).not.toContain('EAAzzz')
  })

  it('redacts secret keys and header values at any depth: nested objects, arrays, headers, errors and their causes, child bindings', () => {
    const lines: string[] = []
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        lines.push(String(chunk))
        cb()
      },
    })
    const log = createLogger({ level: 'info', destination: sink })
    const slackError = Object.assign(new Error('An API error occurred: invalid_auth'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'invalid_auth', response_metadata: { headers: { 'x-oauth-token': 'OPAQUE-1' } } },
      config: { headers: { Authorization: 'Bearer OPAQUE-2', Cookie: 'd=OPAQUE-3' }, url: 'https://x.example/api?client_secret=OPAQUE-4' },
      cause: Object.assign(new Error('inner'), { request: { headers: { authorization: 'OPAQUE-5' } } }),
    })
    log.child({ install: { bot: { botToken: 'OPAQUE-6' } } }).warn(
      {
        a: { b: { c: { d: { token: 'OPAQUE-7', access_token: 'OPAQUE-8', keep: 'visible-1' } } } },
        list: [{ deep: [{ refresh_token: 'OPAQUE-9' }] }, 'visible-2'],
        req: {
          headers: {
            authorization: 'Bearer OPAQUE-10',
            cookie: 'session=OPAQUE-11',
            'x-slack-signature': 'v0=OPAQUE-12',
            'Set-Cookie': ['s=OPAQUE-13'],
            'content-type': 'visible-3',
          },
          rawHeaders: ['Authorization', 'Bearer OPAQUE-14', 'Host', 'visible-4'],
        },
        url: new URL('https://graph.example/v26.0/me?access_token=OPAQUE-15&fields=id'),
        error: slackError,
        metaAccessToken: 'OPAQUE-16',
        config: { encryptionKey: 'OPAQUE-17', oldEncryptionKeys: ['OPAQUE-18'] },
        promptTokens: 1234,
      },
      'slack call failed',
    )
    log.error({ err: slackError }, 'top-level err')
    const out = lines.join('')
    expect(out.match(/OPAQUE-\d+/g) ?? []).toEqual([])
    for (const visible of ['visible-1', 'visible-2', 'visible-3', 'visible-4', 'invalid_auth', 'inner', '"promptTokens":1234'])
      expect(out).toContain(visible)
    expect(out).toContain('[REDACTED]')
    // Errors keep pino's shape: type, message (with the causes'), stack, own properties.
    const parsed = JSON.parse(lines[1] ?? '{}') as { err?: { type?: string; message?: string; stack?: string; code?: string } }
    expect(parsed.err).toMatchObject({
      type: 'Error',
      message: 'An API error occurred: invalid_auth: inner',
      code: 'slack_webapi_platform_error',
    })
    expect(parsed.err?.stack).toContain('logger.test.ts')
  })

  it('survives cycles and very deep objects without leaking what lies beyond', () => {
    const lines: string[] = []
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        lines.push(String(chunk))
        cb()
      },
    })
    const log = createLogger({ level: 'info', destination: sink })
    const cyclic: Record<string, unknown> = { name: 'loop', apiKey: 'OPAQUE-A' }
    cyclic.self = cyclic
    let deep: Record<string, unknown> = { password: 'OPAQUE-B' }
    for (let i = 0; i < 200; i++) deep = { next: deep }
    log.info({ cyclic, deep }, 'odd shapes')
    const out = lines.join('')
    expect(out).toContain('"name":"loop"')
    expect(out).not.toContain('OPAQUE')
  })
})
