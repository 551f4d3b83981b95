import type { MetaConnection } from '../../generated/prisma/client.ts'
import type { DomainDeps } from '../deps.ts'
import { connectionSecretContext } from '../secrets/stored-secrets.ts'

/** The clear-text token of a connection, decrypted only where a Meta call needs it. */
export function connectionToken(deps: Pick<DomainDeps, 'secrets'>, connection: Pick<MetaConnection, 'id' | 'accessTokenEnc'>): string {
  return deps.secrets.decrypt(connection.accessTokenEnc, connectionSecretContext(connection.id))
}
