import { randomBytes } from 'node:crypto'

/**
 * A new primary key in the shape of Prisma's cuid() defaults ('c' + 24 base-36 characters), for rows
 * whose id must be known before they are created (e.g. to bind an encrypted column to it).
 */
export function newRowId(): string {
  const bytes = randomBytes(24)
  let id = 'c'
  for (const b of bytes) id += (b % 36).toString(36)
  return id
}
