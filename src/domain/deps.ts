import type { PrismaClient } from '../generated/prisma/client.ts'
import type { MetaApi } from '../integrations/meta/meta-api.ts'
import type { SecretBox } from '../lib/crypto.ts'
import type { Logger } from '../lib/logger.ts'
import type { SyncSettings } from './sync/sync-settings.ts'

/** What domain functions need, handed in by the composition root (src/main.ts). */
export interface DomainDeps {
  readonly prisma: PrismaClient
  readonly meta: MetaApi
  readonly secrets: SecretBox
  readonly logger: Logger
  readonly now: () => Date
  /** How the sync reads large accounts (async threshold, report deadline, polling); defaults when absent. */
  readonly sync?: Partial<SyncSettings>
}
