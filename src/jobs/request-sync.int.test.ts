/** `/promoly sync` and the connect flow: which accounts a sync request queues, and what dedupe makes of repeats. */

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as z from 'zod'
import { createAdAccount, createConnection, createWorkspace } from '../../test/support/factories.ts'
import { waitUntil } from '../../test/support/net.ts'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts'
import { silentLogger } from '../lib/logger.ts'
import type { SyncAccountPayload } from './definitions/sync-account.ts'
import { createInProcessQueue } from './in-process-queue.ts'
import type { JobDefinition, JobQueue } from './job-queue.ts'
import { requestSync } from './request-sync.ts'

describe('requestSync', () => {
  let db: TestDatabase
  let queue: JobQueue
  const running: Array<() => void> = []
  const started: SyncAccountPayload[] = []
  // Stands in for sync-account: records what it was given and holds on until released (so repeats find it running).
  const syncAccount: JobDefinition<SyncAccountPayload> = {
    name: 'sync-account',
    schema: z.object({
      adAccountId: z.string(),
      full: z.boolean().optional(),
      notify: z.object({ teamId: z.string(), channelId: z.string(), userId: z.string() }).optional(),
    }),
    attempts: 1,
    handler: async (p) => {
      started.push(p)
      await new Promise<void>((r) => running.push(r))
    },
  }
  const ids: Record<string, string> = {}
  let workspaceId: string

  beforeAll(async () => {
    db = await createTestDatabase()
    queue = createInProcessQueue({ definitions: [syncAccount], logger: silentLogger(), concurrency: 10 })
    await queue.startWorker()
    const ws = await createWorkspace(db.prisma, { slackTeamId: 'TSYNC' })
    workspaceId = ws.id
    const other = await createWorkspace(db.prisma)
    const active = await createConnection(db.prisma, ws.id)
    const paused = await createConnection(db.prisma, ws.id, { status: 'NEEDS_RECONNECT' })
    const elsewhere = await createConnection(db.prisma, other.id)
    const account = async (key: string, workspaceId: string, connectionId: string, syncEnabled = true) =>
      (ids[key] = (await createAdAccount(db.prisma, { workspaceId, connectionId, name: key, syncEnabled })).id)
    await account('one', ws.id, active.id)
    await account('two', ws.id, active.id)
    await account('disabled', ws.id, active.id, false)
    await account('paused', ws.id, paused.id)
    await account('elsewhere', other.id, elsewhere.id)
  })

  afterAll(async () => {
    for (const r of running) r()
    await queue?.close()
    await db?.drop()
  })

  it('queues the syncing accounts of the workspace whose connection is active, once each while running', async () => {
    const notify = { teamId: 'TSYNC', channelId: 'C1', userId: 'U1' }
    const first = await requestSync({ domain: db, queue, syncAccount }, { workspaceId: workspaceId, full: true, notify })
    expect(first).toEqual({ queued: 2, alreadyRunning: 0 })
    await waitUntil('both syncs run', async () => started.length === 2, 5_000)
    expect(started.map((p) => p.adAccountId).sort()).toEqual([ids.one, ids.two].sort())
    expect(started.every((p) => p.full === true && p.notify?.userId === 'U1')).toBe(true)
    // Asked again while both run: nothing new is queued.
    expect(await requestSync({ domain: db, queue, syncAccount }, { workspaceId: workspaceId })).toEqual({ queued: 0, alreadyRunning: 2 })
  })

  it('only among the given accounts, ignoring those it would not sync', async () => {
    expect(
      await requestSync(
        { domain: db, queue, syncAccount },
        { workspaceId: workspaceId, adAccountIds: [ids.disabled!, ids.paused!, ids.elsewhere!] },
      ),
    ).toEqual({ queued: 0, alreadyRunning: 0 })
    expect(
      await requestSync({ domain: db, queue, syncAccount }, { workspaceId: workspaceId, adAccountIds: [ids.one!, ids.elsewhere!] }),
    ).toEqual({ queued: 0, alreadyRunning: 1 })
  })
})
