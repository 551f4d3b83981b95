/**
 * PGlite opened in this thread (tests, restores) and the PGlite driver adapter for the schema engine. Kept out of
 * database.ts so that a process on PostgreSQL never loads PGlite (database.ts imports this module on demand).
 */
import type { PGlite } from '@electric-sql/pglite'
import { messages } from '@electric-sql/pglite'
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from '../generated/prisma/client.ts'
import type { Logger } from '../lib/logger.ts'
import { type Database, makeDatabase } from './database-handle.ts'
import { applyMigrations } from './migrate.ts'

/**
 * A PrismaPGlite factory for the schema engine. pglite-prisma-adapter 0.7.2 does not await `exec` in
 * `executeScript`, so a failing migration would look applied (and reject unhandled); this one awaits it.
 */
export function pgliteMigrationAdapter(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPGlite(pglite)
  const fixScripts = async (connecting: Promise<SqlDriverAdapter>, db: PGlite): Promise<SqlDriverAdapter> => {
    const adapter = await connecting
    adapter.executeScript = async (script: string) => {
      try {
        await db.exec(script)
      } catch (error) {
        if (!(error instanceof messages.DatabaseError)) throw error
        const { code = 'XX000', severity = 'ERROR', message, detail, column, hint } = error
        throw new DriverAdapterError({ kind: 'postgres', code, severity, message, detail, column, hint })
      }
    }
    return adapter
  }
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => fixScripts(factory.connect(), pglite),
    connectToShadowDb: () => Promise.reject(new Error('Promoly migrations never use a shadow database')),
  }
}

/** Wraps an open PGlite instance (the caller's, e.g. restored from a dump); `close()` closes it too. */
export async function openPGliteDatabase(
  pglite: PGlite,
  opts: { migrate?: boolean; logger?: Logger; migrationsDir?: string } = {},
): Promise<Database> {
  try {
    if (opts.migrate ?? true) {
      await applyMigrations({ adapterFactory: pgliteMigrationAdapter(pglite), migrationsDir: opts.migrationsDir, logger: opts.logger })
    }
  } catch (error) {
    await pglite.close()
    throw error
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) })
  return makeDatabase(prisma, 'pglite', async () => {
    if (!pglite.closed) await pglite.close()
  })
}
