/** The opened database as the rest of Promoly sees it (PostgreSQL or embedded PGlite), and how one is wrapped. */
import type { PrismaClient } from '../generated/prisma/client.ts'

export type DatabaseKind = 'postgres' | 'pglite'

export interface Database {
  prisma: PrismaClient
  kind: DatabaseKind
  /** Throws when the database does not answer. */
  ping(): Promise<void>
  close(): Promise<void>
}

export function makeDatabase(prisma: PrismaClient, kind: DatabaseKind, closeDriver: () => Promise<void>): Database {
  let closing: Promise<void> | undefined
  return {
    prisma,
    kind,
    async ping() {
      await prisma.$queryRaw`SELECT 1`
    },
    close() {
      closing ??= prisma.$disconnect().finally(closeDriver)
      return closing
    },
  }
}
