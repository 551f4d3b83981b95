import type { Context } from '@slack/bolt'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import type { Workspace } from '../../generated/prisma/client.ts'
import type { SlackDeps } from '../deps.ts'
import { workspaceContext } from './workspace-context.ts'

const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() }

describe('the workspace of each request', () => {
  let db: TestDatabase
  let lookups: number
  let created: Workspace[]
  let deps: SlackDeps

  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })
  afterEach(() => vi.restoreAllMocks())

  function freshMiddleware() {
    lookups = 0
    created = []
    // Counts the lookups that reach the database (ensureWorkspace starts each with findUnique).
    const workspace = new Proxy(db.prisma.workspace, {
      get(target, key, receiver) {
        if (key === 'findUnique') lookups++
        return Reflect.get(target, key, receiver)
      },
    })
    const prisma = new Proxy(db.prisma, {
      get: (target, key, receiver) => (key === 'workspace' ? workspace : Reflect.get(target, key, receiver)),
    })
    deps = { domain: { prisma }, onWorkspaceCreated: async (ws: Workspace) => void created.push(ws) } as unknown as SlackDeps
    const middleware = workspaceContext(deps) as unknown as (args: Record<string, unknown>) => Promise<void>
    return async (teamId: string, channelId = 'C1') => {
      const context = { teamId } as Context
      let nextCalled = false
      await middleware({
        context,
        body: { channel_id: channelId },
        logger,
        next: async () => {
          nextCalled = true
        },
      })
      expect(nextCalled).toBe(true)
      return context.workspace!
    }
  }

  it('creates the workspace of a new team once, with one lookup for requests arriving together', async () => {
    const request = freshMiddleware()
    const workspaces = await Promise.all(Array.from({ length: 10 }, () => request('T-NEW')))
    expect(new Set(workspaces.map((w) => w.id)).size).toBe(1)
    expect(workspaces[0]).toMatchObject({ slackTeamId: 'T-NEW' })
    expect(created.map((w) => w.id)).toEqual([workspaces[0]!.id])
    expect(lookups).toBe(1)
  })

  it('serves a known team from the cache: no database round-trip before the ack', async () => {
    const request = freshMiddleware()
    const first = await request('T-NEW')
    expect(lookups).toBe(1)
    for (let i = 0; i < 5; i++) expect((await request('T-NEW')).id).toBe(first.id)
    expect(lookups).toBe(1)
  })

  it('after a minute, answers from the cache at once and reads a fresh copy in the background', async () => {
    const request = freshMiddleware()
    const first = await request('T-NEW')
    await db.prisma.workspace.update({ where: { id: first.id }, data: { name: 'Renamed' } })
    const later = Date.now() + 61_000
    vi.spyOn(Date, 'now').mockReturnValue(later)
    expect((await request('T-NEW')).name).toBe(first.name) // the cached row, while the refresh runs
    await vi.waitFor(() => expect(lookups).toBe(2))
    await vi.waitFor(async () => expect((await request('T-NEW')).name).toBe('Renamed'))
    expect(lookups).toBe(2)
  })

  it('does not remember the channel a request came from: it may be shared with a client (issue 10, finding 4)', async () => {
    const request = freshMiddleware()
    const first = await request('T-CHANNEL', 'C77')
    expect(first.firstChannelId).toBeNull()
    expect(await db.prisma.workspace.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ firstChannelId: null })
  })
})
