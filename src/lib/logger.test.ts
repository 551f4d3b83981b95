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
})
