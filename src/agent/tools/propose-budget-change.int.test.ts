/** The agent's budget tool reads amounts like the command: another currency refused, "+20" asked back, "+$20" added. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentFixture, createAgentFixture } from '../../../test/support/agent-fixture.ts'
import { createTestDatabase } from '../../../test/support/test-database.ts'
import { workspaceScope } from '../../domain/clients/client-scope.ts'
import { proposeBudgetChangeTool } from './propose-budget-change.ts'

describe('propose_budget_change', () => {
  let fx: AgentFixture
  let call: (args: Record<string, unknown>) => Promise<string>
  beforeAll(async () => {
    fx = await createAgentFixture(await createTestDatabase())
    await fx.seedCampaign({ metaCampaignId: '7001', name: 'Spring Sale', dailyBudget: 8_000, day: () => null })
    const tool = proposeBudgetChangeTool({
      deps: fx.deps,
      workspaceId: fx.workspaceId,
      scope: workspaceScope(fx.workspaceId),
      slackUserId: 'UALICE',
      onProposed: async () => {},
    })
    call = async (args) => String(await tool.invoke(args as never))
  }, 60_000)
  afterAll(async () => {
    await fx?.close()
  })
  const proposals = () => fx.db.prisma.changeRequest.findMany({ where: { type: 'SET_DAILY_BUDGET' }, orderBy: { createdAt: 'asc' } })

  it('refuses another currency and asks back a bare +20, proposing nothing', async () => {
    expect(await call({ target: 'Spring Sale', amount: '€80' })).toBe(
      "Error: This campaign's budget is in USD; `€80` is in EUR. Write the amount in USD, e.g. `$50` or `50 USD`.",
    )
    expect(await call({ target: 'Spring Sale', amount: '+20' })).toContain('could mean +20 % or +$20.00: ask the person which one')
    expect(await proposals()).toEqual([])
  })

  it('proposes $20 more for "+$20" and the amount for "$60"', async () => {
    expect(await call({ target: 'Spring Sale', amount: '+$20' })).toContain('status PROPOSED')
    expect(await call({ target: 'Spring Sale', amount: '60 USD' })).toContain('status PROPOSED')
    expect((await proposals()).map((c) => c.proposedValue)).toEqual([{ dailyBudgetMinor: 10_000 }, { dailyBudgetMinor: 6_000 }])
  })
})
