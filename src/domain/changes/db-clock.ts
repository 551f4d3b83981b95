import type { Prisma } from '../../generated/prisma/client.ts'

/**
 * The database's clock (`clock_timestamp()`): apply leases, settle periods and Meta's budget blocks are stamped and
 * compared by this one clock, whatever the workers' clocks say.
 */
export async function dbNow(db: Pick<Prisma.TransactionClient, '$queryRaw'>): Promise<Date> {
  const [row] = await db.$queryRaw<Array<{ now: Date }>>`SELECT clock_timestamp() AS now`
  if (!row) throw new Error('the database did not tell the time')
  return row.now
}
