import type { PrismaClient } from '../generated/prisma/client.ts'
import type { MetaApi } from '../integrations/meta/meta-api.ts'
import type { SecretBox } from '../lib/crypto.ts'
import type { Logger } from '../lib/logger.ts'

/** What domain functions need, handed in by the composition root (src/main.ts). */
export interface DomainDeps {
  readonly prisma: PrismaClient
  readonly meta: MetaApi
  readonly secrets: SecretBox
  readonly logger: Logger
  readonly now: () => Date
}
