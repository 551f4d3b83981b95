/** The one error reply of the Slack listeners: where the answer goes, what it says, what is logged. */
import { Writable } from 'node:stream'
import type { WebClient } from '@slack/web-api'
import { describe, expect, it } from 'vitest'
import { AppError, AppErrorCode } from '../lib/errors.ts'
import { createLogger } from '../lib/logger.ts'
import { replyError } from './reply-error.ts'
import { tellUser } from './tell-user.ts'

type Call = { via: string; args: Record<string, unknown> }

function fakeClient(calls: Call[], ephemeralWorks = true): WebClient {
  return {
    chat: {
      postEphemeral: async (args: Record<string, unknown>) => {
        calls.push({ via: 'postEphemeral', args })
        if (!ephemeralWorks) throw new Error('channel_not_found')
        return { ok: true }
      },
      postMessage: async (args: Record<string, unknown>) => {
        calls.push({ via: 'postMessage', args })
        return { ok: true }
      },
    },
  } as unknown as WebClient
}

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = []
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>)
      done()
    },
  })
  return { logger: createLogger({ destination, level: 'debug' }), lines }
}

describe('tellUser', () => {
  it('answers in the ack, else the response_url, else ephemeral in the channel, else by DM', async () => {
    const calls: Call[] = []
    const client = fakeClient(calls)
    const record = (via: string) => async (args: unknown) => void calls.push({ via, args: args as Record<string, unknown> })
    await tellUser({ client, userId: 'U1', ack: record('ack'), respond: record('respond') as never, channelId: 'C1' }, { text: 'one' })
    await tellUser({ client, userId: 'U1', respond: record('respond') as never, channelId: 'C1' }, { text: 'two' })
    await tellUser({ client, userId: 'U1', channelId: 'C1' }, { text: 'three' })
    await tellUser({ client, userId: 'U1' }, { text: 'four' })
    expect(calls.map((c) => [c.via, c.args.text])).toEqual([
      ['ack', 'one'],
      ['respond', 'two'],
      ['postEphemeral', 'three'],
      ['postMessage', 'four'],
    ])
    expect(calls[0]!.args.response_type).toBe('ephemeral')
    expect(calls[1]!.args).toMatchObject({ response_type: 'ephemeral', replace_original: false })
    expect(calls[2]!.args).toMatchObject({ channel: 'C1', user: 'U1' })
    expect(calls[3]!.args.channel).toBe('U1')
  })

  it('falls back to a DM when the ephemeral message cannot be posted', async () => {
    const calls: Call[] = []
    await tellUser({ client: fakeClient(calls, false), userId: 'U1', channelId: 'CGONE' }, { text: 'hello' })
    expect(calls.map((c) => [c.via, c.args.channel])).toEqual([
      ['postEphemeral', 'CGONE'],
      ['postMessage', 'U1'],
    ])
  })
})

describe('replyError', () => {
  it("tells a refusal's own message, escaped and prefixed, and logs it as info with its code", async () => {
    const calls: Call[] = []
    const { logger, lines } = capturingLogger()
    const refusal = new AppError(AppErrorCode.FORBIDDEN, 'Only <admins> & approvers may.')
    await replyError({ client: fakeClient(calls), userId: 'U1', channelId: 'C1' }, refusal, {
      logger,
      what: 'saving settings',
      prefix: 'Not saved: ',
      log: { subcommand: 'settings' },
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]!.args.text).toBe('Not saved: Only &lt;admins&gt; &amp; approvers may.')
    expect(JSON.stringify(calls[0]!.args.blocks)).toContain(':warning: Not saved: Only &lt;admins&gt;')
    expect(lines.map((l) => [l.level, l.msg, l.code, l.subcommand])).toEqual([['info', 'saving settings refused', 'FORBIDDEN', 'settings']])
  })

  it('hides an unexpected error behind a generic line and logs it as an error with its details', async () => {
    const calls: Call[] = []
    const { logger, lines } = capturingLogger()
    await replyError({ client: fakeClient(calls), userId: 'U1' }, new Error('relation "Secret" does not exist'), {
      logger,
      what: 'change decision',
    })
    expect(calls[0]!.via).toBe('postMessage')
    expect(String(calls[0]!.args.text)).toMatch(/^Something went wrong on our side/)
    expect(JSON.stringify(calls[0]!.args)).not.toContain('Secret')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'change decision failed', err: { message: 'relation "Secret" does not exist' } })
  })

  it('never throws when the reply cannot be delivered: that is logged too', async () => {
    const { logger, lines } = capturingLogger()
    const client = { chat: { postMessage: async () => Promise.reject(new Error('account_inactive')) } } as unknown as WebClient
    await expect(
      replyError({ client, userId: 'U1' }, new AppError(AppErrorCode.NOT_FOUND, 'Gone.'), { logger, what: 'connect' }),
    ).resolves.toBeUndefined()
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'connect refused'],
      ['warn', 'could not report to the user that connect failed'],
    ])
  })
})
