import { createHash } from 'node:crypto'

/** Identifies a token without storing it in clear: first 16 hex chars of its sha256. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16)
}
