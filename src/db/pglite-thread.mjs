// The embedded database's thread: PGlite (PostgreSQL compiled to Wasm) and its Prisma driver adapter run
// here, so that executing SQL never holds up Promoly's event loop. Started by pglite-worker.ts, which
// forwards the adapter's calls; this file is plain JavaScript so that Node loads it as it is (under tsx,
// vitest and from dist/ alike).
//
// Requests: { id, op, txId?, arg }. Answers: { id, ok: true, value } or { id, ok: false, error }.
// Requests are served concurrently: PGlite queues queries itself, and a transaction holds its lock until
// its commit or rollback arrives.
import { parentPort, workerData } from 'node:worker_threads'
import { messages, PGlite } from '@electric-sql/pglite'
import { PrismaPGlite } from 'pglite-prisma-adapter'

/** A failure as plain data: a driver adapter error keeps its cause, a PostgreSQL error its fields. */
function serializeError(error) {
  const e = error instanceof Error ? error : new Error(String(error))
  const out = { name: e.name, message: e.message, stack: e.stack }
  if (e.name === 'DriverAdapterError' && typeof e.cause === 'object') out.driverAdapterCause = e.cause
  if (error instanceof messages.DatabaseError) {
    const { code, severity, message, detail, column, hint } = error
    out.databaseError = { code, severity, message, detail, column, hint }
  }
  return out
}

let pglite
try {
  pglite = await PGlite.create({ dataDir: workerData.dataDir })
} catch (error) {
  // The opening failed: say why, then let the thread end (nothing else keeps it alive).
  parentPort.postMessage({ id: 0, ok: false, error: serializeError(error) })
  parentPort.close()
}
if (pglite) await serve(pglite)

async function serve(pglite) {
  const factory = new PrismaPGlite(pglite)
  const adapter = await factory.connect()
  const transactions = new Map()
  let lastTxId = 0

  const ops = {
    queryRaw: (arg, txId) => (txId ? transactions.get(txId) : adapter).queryRaw(arg),
    executeRaw: (arg, txId) => (txId ? transactions.get(txId) : adapter).executeRaw(arg),
    // Awaited (pglite-prisma-adapter 0.7.2 does not await `exec`); its PostgreSQL error goes back as fields.
    executeScript: async (script) => {
      await pglite.exec(script)
    },
    startTransaction: async (isolationLevel) => {
      const tx = await adapter.startTransaction(isolationLevel)
      const txId = ++lastTxId
      transactions.set(txId, tx)
      return { txId, options: tx.options }
    },
    commit: async (_, txId) => {
      const tx = transactions.get(txId)
      transactions.delete(txId)
      await tx.commit()
    },
    rollback: async (_, txId) => {
      const tx = transactions.get(txId)
      transactions.delete(txId)
      await tx.rollback()
    },
    close: async () => {
      if (!pglite.closed) await pglite.close()
    },
  }

  parentPort.on('message', async ({ id, op, txId, arg }) => {
    try {
      const run = ops[op]
      if (!run) throw new Error(`unknown operation ${op}`)
      if (txId && !transactions.has(txId) && op !== 'close') throw new Error(`transaction ${txId} is not open`)
      parentPort.postMessage({ id, ok: true, value: await run(arg, txId) })
    } catch (error) {
      parentPort.postMessage({ id, ok: false, error: serializeError(error) })
    }
    if (op === 'close') parentPort.close()
  })

  parentPort.postMessage({ id: 0, ok: true, value: { adapterName: factory.adapterName, connectionInfo: adapter.getConnectionInfo() } })
}
