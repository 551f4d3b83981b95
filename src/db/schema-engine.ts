/**
 * Prisma's own schema engine, compiled to Wasm (@prisma/schema-engine-wasm). The Prisma 7 CLI cannot download
 * its native engine offline, so migrations are diffed and applied through this module instead.
 *
 * Traps handled here (see stack-notes §2.3):
 * - The Wasm module may be instantiated only once per process (a second instance panics), so the instance is
 *   cached on globalThis (module re-evaluation, e.g. by a test runner, reuses it).
 * - It arms ~10 s timers that would keep a finished process alive: every timer it creates is unref'd.
 * - Its package.json is not exported, so the files are located with import.meta.resolve on the subpath.
 */
import { readFile } from 'node:fs/promises'
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils'
import type * as EngineBindings from '@prisma/schema-engine-wasm/schema_engine_bg'
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg'

export type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
export type { DiagnoseMigrationHistoryOutput, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg'

type Bindings = typeof EngineBindings
type PanicRegistry = { set_message(message: string): void }
/** The slice of the WebAssembly global used here (this project's lib settings do not declare it). */
type WasmApi = {
  instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: unknown } }>
}

const BINDINGS_SPECIFIER = '@prisma/schema-engine-wasm/schema_engine_bg'
const CACHE_KEY = Symbol.for('promoly.schemaEngineWasm')
const globals = globalThis as typeof globalThis & {
  [CACHE_KEY]?: Promise<Bindings>
  PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry
}

async function instantiate(): Promise<Bindings> {
  if (!globals.PRISMA_WASM_PANIC_REGISTRY) {
    globals.PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message: string) {
        throw new Error(`Prisma schema engine panicked: ${message}`)
      },
    }
  }
  const bindingsUrl = import.meta.resolve(BINDINGS_SPECIFIER)
  const bindings = (await import(bindingsUrl)) as Bindings
  const wasmBytes = await readFile(new URL('./schema_engine_bg.wasm', bindingsUrl))

  const imports: Record<string, unknown> = { ...bindings }
  for (const [name, fn] of Object.entries(bindings)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof fn === 'function') {
      imports[name] = (...args: unknown[]) => {
        const timer = (fn as (...a: unknown[]) => unknown)(...args)
        if (timer && typeof (timer as NodeJS.Timeout).unref === 'function') (timer as NodeJS.Timeout).unref()
        return timer
      }
    }
  }
  const { instance } = await (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly.instantiate(wasmBytes, {
    './schema_engine_bg.js': imports,
  })
  const exports = instance.exports as unknown as { __wbindgen_start(): void }
  bindings.__wbg_set_wasm(exports)
  exports.__wbindgen_start()
  return bindings
}

/** The engine bindings, instantiated once per process. */
function loadSchemaEngineBindings(): Promise<Bindings> {
  globals[CACHE_KEY] ??= instantiate().catch((error: unknown) => {
    delete globals[CACHE_KEY]
    throw error
  })
  return globals[CACHE_KEY]
}

/**
 * Stands in for a database when an engine call (a diff between two schema texts) must not touch one. The engine
 * still probes its connection on start-up; that single query is answered, anything else is refused.
 */
function offlineAdapter(): SqlDriverAdapter {
  const refuse = (what: string) => Promise.reject(new Error(`The offline schema engine cannot ${what}`))
  return {
    provider: 'postgres',
    adapterName: 'promoly-offline',
    async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      if (!query.sql.includes('FROM pg_namespace')) return refuse(`run: ${query.sql}`)
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, 'PostgreSQL 15.0 (offline)', 150000]],
      }
    },
    executeRaw: (query) => refuse(`run: ${query.sql}`),
    executeScript: () => refuse('run scripts'),
    startTransaction: () => refuse('start transactions'),
    dispose: async () => {},
  }
}

const offlineFactory: SqlMigrationAwareDriverAdapterFactory = {
  provider: 'postgres',
  adapterName: 'promoly-offline',
  connect: async () => offlineAdapter(),
  connectToShadowDb: async () => offlineAdapter(),
}

export type EngineLog = (line: string) => void

/** Wraps a factory so that every connection the engine opens can be disposed afterwards (it never does so). */
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = []
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting
    opened.push(adapter)
    return adapter
  }
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  }
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((adapter) => adapter.dispose()))
  }
  return { tracked, disposeAll }
}

/**
 * Runs `fn` with a schema engine connected through `adapterFactory` (a Prisma driver adapter factory such as
 * PrismaPg or PrismaPGlite), then frees the engine and disposes the connections it opened (a PrismaPg pool
 * left open would keep the process alive for its idle timeout).
 */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
  log: EngineLog = () => {},
): Promise<T> {
  const { SchemaEngine: Engine } = await loadSchemaEngineBindings()
  const { tracked, disposeAll } = trackConnections(adapterFactory)
  try {
    const engine = await Engine.new({ datamodels: undefined }, log, bindMigrationAwareSqlAdapterFactory(tracked))
    try {
      return await fn(engine)
    } finally {
      engine.free()
    }
  } finally {
    await disposeAll()
  }
}

/** No externally managed tables or enums: the engine owns the whole schema. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] }

/** True when a migration script holds nothing but comments and whitespace. */
function isEmptyMigrationScript(sql: string): boolean {
  return sql.replace(/--.*$/gm, '').trim() === ''
}

/**
 * The SQL script that turns a database shaped like `fromSchema` (null = an empty database) into one shaped like
 * `toSchema` (both are Prisma schema texts). Returns '' when there is no difference (the engine would otherwise
 * say "-- This is an empty migration."). Needs no database.
 */
export async function diffSchemas(fromSchema: string | null, toSchema: string): Promise<string> {
  const target = (content: string) => ({ tag: 'schemaDatamodel' as const, files: [{ path: 'schema.prisma', content }] })
  const result = await withSchemaEngine(offlineFactory, (engine) =>
    engine.diff({
      from: fromSchema === null ? { tag: 'empty' } : target(fromSchema),
      to: target(toSchema),
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    }),
  )
  const script = result.stdout ?? ''
  return isEmptyMigrationScript(script) ? '' : script
}
