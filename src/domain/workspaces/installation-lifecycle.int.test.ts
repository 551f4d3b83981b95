import { afterEach, describe, expect, it } from 'vitest'
import { createConnection } from '../../../test/support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts'
import { stopForeignWorkspaces } from './installation-lifecycle.ts'
import { isKnownTeam } from './workspace-team.ts'

describe('stopForeignWorkspaces (single-workspace mode)', () => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it('with an Enterprise Grid bot token, stops foreign workspaces whose organisation is not recorded (NULL), with a reason that fits', async () => {
    db = await createTestDatabase()
    const prisma = db.prisma
    const make = async (slackTeamId: string, slackEnterpriseId: string | null) => {
      const ws = await prisma.workspace.create({ data: { slackTeamId, slackEnterpriseId } })
      return { ws, connection: await createConnection(prisma, ws.id) }
    }
    const ours = await make('TOURS', 'EORG')
    const sibling = await make('TSIBLING', 'EORG')
    const foreignNoOrg = await make('TFOREIGN_NOORG', null) // made before slackEnterpriseId existed
    const foreignOtherOrg = await make('TFOREIGN_OTHERORG', 'EOTHER')

    expect(await stopForeignWorkspaces(prisma, { teamId: 'TOURS', enterpriseId: 'EORG' })).toBe(2)

    const statusOf = async (id: string) => prisma.metaConnection.findUniqueOrThrow({ where: { id } })
    for (const f of [foreignNoOrg, foreignOtherOrg]) {
      const c = await statusOf(f.connection.id)
      expect(c.status).toBe('DISABLED')
      expect(c.statusReason).toBe('This Slack team is not the one this Promoly deployment serves')
      expect(c.statusReason).not.toMatch(/removed from this Slack workspace/)
    }
    expect(await isKnownTeam(prisma, 'TFOREIGN_NOORG')).toBe(false)
    expect((await statusOf(ours.connection.id)).status).toBe('ACTIVE')
    expect((await statusOf(sibling.connection.id)).status).toBe('ACTIVE')
    expect(await isKnownTeam(prisma, 'TSIBLING')).toBe(true)
    // Idempotent.
    expect(await stopForeignWorkspaces(prisma, { teamId: 'TOURS', enterpriseId: 'EORG' })).toBe(0)

    // A workspace of our organisation stopped because its organisation was not recorded yet: once it is
    // recorded, the next run unmarks it and resumes what was stopped with it.
    await prisma.workspace.update({ where: { id: foreignNoOrg.ws.id }, data: { slackEnterpriseId: 'EORG' } })
    await stopForeignWorkspaces(prisma, { teamId: 'TOURS', enterpriseId: 'EORG' })
    expect((await statusOf(foreignNoOrg.connection.id)).status).toBe('ACTIVE')
    expect(await isKnownTeam(prisma, 'TFOREIGN_NOORG')).toBe(true)
    expect((await statusOf(foreignOtherOrg.connection.id)).status).toBe('DISABLED')
  })
})
