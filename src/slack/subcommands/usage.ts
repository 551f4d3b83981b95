import { tokenUsageSummary } from '../../agent/token-budget.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/** `/promoly usage`: the agent's tokens today against the workspace's daily budget, and the last 30 days. */
export const usage: Subcommand = async ({ ack, respond, workspace, deps }) => {
  await ack()
  const u = await tokenUsageSummary(deps.domain.prisma, {
    workspaceId: workspace.id,
    now: deps.domain.now(),
    dailyBudget: deps.agent.dailyTokenBudget,
  })
  const n = (x: number) => x.toLocaleString('en-US')
  await respond(
    ephemeral(
      infoMessage(
        `Assistant tokens today: ${n(u.today.total)} of ${n(u.today.limit)} (${n(u.today.input)} prompt, ${n(u.today.output)} answer). Last ${u.recent.days} days: ${n(u.recent.total)}.${deps.agent.model ? '' : ' No language model is configured, so the assistant is off.'}`,
      ),
    ),
  )
}
