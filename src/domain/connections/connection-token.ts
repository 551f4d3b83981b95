import type { MetaConnection } from '../../generated/prisma/client.ts'
import type { DomainDeps } from '../deps.ts'

/** The clear-text token of a connection, decrypted only where a Meta call needs it. */
export function connectionToken(deps: Pick<DomainDeps, 'secrets'>, connection: Pick<MetaConnection, 'accessTokenEnc'>): string {
  return deps.secrets.decrypt(connection.accessTokenEnc)
}
