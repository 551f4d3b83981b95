/**
 * The embedded database (PGlite) in a worker thread. PGlite runs PostgreSQL compiled to Wasm: in the main
 * thread, every query would execute on Promoly's event loop, and Slack's acks would wait behind other
 * requests' queries. Here PGlite and its Prisma driver adapter (pglite-prisma-adapter) live in
 * `pglite-thread.mjs`; this side is a driver adapter factory that forwards each call to that thread, for the
 * Prisma client and for migrations alike.
 */
import { Worker } from 'node:worker_threads'
import {
  type ConnectionInfo,
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils'

interface SerializedError {
  name: string
  message: string
  stack?: string
  driverAdapterCause?: ConstructorParameters<typeof DriverAdapterError>[0]
  databaseError?: { code?: string; severity?: string; message: string; detail?: string; column?: string; hint?: string }
}

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError }

type Op = 'queryRaw' | 'executeRaw' | 'executeScript' | 'startTransaction' | 'commit' | 'rollback' | 'close'

export interface PGliteWorker {
  /** Connects the Prisma client or the schema engine to the thread's PGlite. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory
  /** Closes PGlite (its files are complete on disk afterwards) and ends the thread. */
  close(): Promise<void>
}

function toError(e: SerializedError, op: Op): Error {
  if (e.driverAdapterCause) return new DriverAdapterError(e.driverAdapterCause)
  if (e.databaseError && op === 'executeScript') {
    // As pgliteMigrationAdapter does in-process: the schema engine then records the failed migration.
    const { code = 'XX000', severity = 'ERROR', message, detail, column, hint } = e.databaseError
    return new DriverAdapterError({ kind: 'postgres', code, severity, message, detail, column, hint })
  }
  const error = new Error(e.message)
  error.name = e.name
  if (e.stack) error.stack = e.stack
  return error
}

/** Opens PGlite on `dataDir` (a folder, or `memory://`) in a new worker thread. */
export async function startPGliteWorker(dataDir: string): Promise<PGliteWorker> {
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), { workerData: { dataDir } })
  const pending = new Map<number, { op: Op; resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  let lastId = 0
  let ended: Error | undefined

  const fail = (error: Error) => {
    ended ??= error
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }
  worker.on('error', (error) => fail(error))
  worker.on('exit', (code) => fail(new Error(`the embedded database's thread ended (exit code ${code})`)))

  const ready = new Promise<{ adapterName: string; connectionInfo: ConnectionInfo }>((resolve, reject) => {
    pending.set(0, { op: 'close', resolve: resolve as (v: unknown) => void, reject })
  })
  worker.on('message', (answer: Answer) => {
    const p = pending.get(answer.id)
    if (!p) return
    pending.delete(answer.id)
    // The thread keeps the process alive only while a call is waiting for it (as an idle pg pool would not).
    if (pending.size === 0) worker.unref()
    if (answer.ok) p.resolve(answer.value)
    else p.reject(toError(answer.error, p.op))
  })

  const call = <T>(op: Op, arg?: unknown, txId?: number): Promise<T> => {
    if (ended) return Promise.reject(ended)
    const id = ++lastId
    if (pending.size === 0) worker.ref()
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { op, resolve: resolve as (v: unknown) => void, reject })
      worker.postMessage({ id, op, txId, arg })
    })
  }

  const { adapterName, connectionInfo } = await ready
  const queryable = (txId?: number) => ({
    provider: 'postgres' as const,
    adapterName,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>('queryRaw', query, txId),
    executeRaw: (query: SqlQuery) => call<number>('executeRaw', query, txId),
  })
  const adapter: SqlDriverAdapter = {
    ...queryable(),
    executeScript: (script: string) => call<void>('executeScript', script),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const { txId, options } = await call<{ txId: number; options: TransactionOptions }>('startTransaction', isolationLevel)
      return {
        ...queryable(txId),
        options,
        commit: () => call<void>('commit', undefined, txId),
        rollback: () => call<void>('rollback', undefined, txId),
      }
    },
    getConnectionInfo: () => connectionInfo,
    // One PGlite serves every connection: it closes with the worker, not with a connection.
    dispose: async () => {},
  }

  let closing: Promise<void> | undefined
  return {
    adapterFactory: {
      provider: 'postgres',
      adapterName,
      connect: async () => adapter,
      connectToShadowDb: () => Promise.reject(new Error('Promoly migrations never use a shadow database')),
    },
    close() {
      closing ??= (async () => {
        if (ended) return
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
        await call('close')
        worker.ref() // until the thread has ended
        await exited
      })()
      return closing
    },
  }
}
