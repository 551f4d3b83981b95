import { describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../lib/logger.ts'
import type { AfterAckQueue } from '../../after-ack.ts'
import type { SlackDeps } from '../../deps.ts'
import { promolyCommand } from './promoly.ts'

/** A queue whose turns the test hands out by hand. */
function manualQueue() {
  const turns: Array<() => void> = []
  let released = 0
  const queue: AfterAckQueue = {
    requestArrived: () => {},
    requestStarted: () => () => {},
    pause: async () => {},
    enter: () => new Promise((resolve) => turns.push(() => resolve(() => void released++))),
  }
  return { queue, turns, released: () => released }
}

function run(text: string, queue: AfterAckQueue) {
  const events: string[] = []
  const client = {
    views: { open: vi.fn(async () => void events.push('modal opened')) },
  }
  // `campaigns` reads the accounts first: none here, so it answers "connect first" on response_url. C1 belongs to no client.
  const deps = {
    logger: silentLogger(),
    domain: {
      prisma: { adAccount: { findMany: async () => [] }, clientChannel: { findUnique: async () => null } },
      now: () => new Date(),
    },
  } as unknown as SlackDeps
  const handler = promolyCommand(deps, queue)
  const done = handler({
    command: { text, user_id: 'U1', channel_id: 'C1', team_id: 'T1', trigger_id: 't' },
    ack: vi.fn(async (response?: unknown) => void events.push(response === undefined ? 'empty ack' : 'ack with answer')),
    respond: vi.fn(async () => void events.push('respond')),
    client,
    context: { workspace: { id: 'W1' } },
    logger: silentLogger(),
  } as never)
  return { events, done }
}

describe('/promoly after its ack', () => {
  it('waits for its turn before the work that follows an empty ack, and gives the turn back', async () => {
    const q = manualQueue()
    const { events, done } = run('campaigns', q.queue)
    await vi.waitFor(() => expect(q.turns).toHaveLength(1))
    await new Promise((r) => setTimeout(r, 20))
    expect(events).toEqual(['empty ack'])
    q.turns[0]!()
    await done
    expect(events).toEqual(['empty ack', 'respond'])
    expect(q.released()).toBe(1)
  })

  it('opens a modal without waiting for a turn (its trigger_id lasts 3 s)', async () => {
    const q = manualQueue()
    const { events, done } = run('digest', q.queue)
    await done
    expect(events).toEqual(['empty ack', 'modal opened'])
    expect(q.turns).toHaveLength(0)
  })

  it('does not queue a command whose ack carries the answer', async () => {
    const q = manualQueue()
    const { events, done } = run('help', q.queue)
    await done
    expect(events).toEqual(['ack with answer'])
    expect(q.turns).toHaveLength(0)
  })
})
