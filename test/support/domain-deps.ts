/**
 * DomainDeps (src/domain/deps.ts) for tests and benches, built the way src/main.ts builds them: Meta through
 * the real Graph client (usually pointed at the simulator), a fixed encryption key, a silent logger, and a
 * clock the caller controls.
 */
import type { DomainDeps } from '../../src/domain/deps.ts'
import type { PrismaClient } from '../../src/generated/prisma/client.ts'
import { createGraphClient, type GraphClientOptions } from '../../src/integrations/meta/graph-client.ts'
import { createMetaApi, type MetaApi } from '../../src/integrations/meta/meta-api.ts'
import { createSecretBox } from '../../src/lib/crypto.ts'
import { silentLogger } from '../../src/lib/logger.ts'

/** The ENCRYPTION_KEY of tests (32 bytes, base64). Each test has its own database, so one key serves all. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 5).toString('base64')

/** The Graph API version tests speak (the simulator answers any; this is the config default). */
const TEST_GRAPH_VERSION = 'v26.0'

/** MetaApi over the real Graph client against a server at `server.url` (the Meta simulator). */
export function simulatorMetaApi(server: { url: string }, graph: Omit<Partial<GraphClientOptions>, 'baseUrl'> = {}): MetaApi {
  return createMetaApi(createGraphClient({ baseUrl: server.url, version: TEST_GRAPH_VERSION, ...graph }))
}

/** DomainDeps on `prisma` and `meta`; `now` defaults to the real clock. */
export function testDomainDeps(options: { prisma: PrismaClient; meta: MetaApi; now?: () => Date }): DomainDeps {
  return {
    prisma: options.prisma,
    meta: options.meta,
    secrets: createSecretBox(TEST_ENCRYPTION_KEY),
    logger: silentLogger(),
    now: options.now ?? (() => new Date()),
  }
}
