import { tokenUsageSummary } from '../../agent/token-budget.ts'
import { loadSettings } from '../../domain/settings/workspace-settings.ts'
import { infoMessage } from '../blocks/error-message.ts'
import { ephemeral, type Subcommand } from './subcommand.ts'

/**
 * `/promoly usage`: the assistant's tokens today against the workspace's daily budget and against the
 * caller's own, tokens held by answers in progress, when the budgets reset, and the last 30 days.
 */
export const usage: Subcommand = async ({ ack, respond, workspace, command, deps }) => {
  await ack()
  const now = deps.domain.now()
  const { assistant } = await loadSettings(deps.domain.prisma, workspace.id)
  const u = await tokenUsageSummary(deps.domain.prisma, {
    workspaceId: workspace.id,
    slackUserId: command.user_id,
    now,
    budgets: { workspace: assistant.dailyTokenBudget, user: assistant.userDailyTokenBudget },
  })
  const n = (x: number) => x.toLocaleString('en-US')
  const held = u.workspace.inFlight > 0 ? `; ${n(u.workspace.inFlight)} held by answers in progress` : ''
  const minutes = Math.max(1, Math.ceil((u.resetsAt.getTime() - now.getTime()) / 60_000))
  const wait = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`
  const lines = [
    `Assistant tokens today: ${n(u.workspace.total)} of ${n(u.workspace.limit)} for this workspace (${n(u.workspace.input)} prompt, ${n(u.workspace.output)} answer${held}).`,
    `Yours today: ${n(u.user.total)} of ${n(u.user.limit)}.`,
    `Both budgets reset at 00:00 UTC (in ${wait}). Last ${u.recent.days} days: ${n(u.recent.total)}.`,
  ]
  if (!deps.agent.model) lines.push('No language model is configured, so the assistant is off.')
  await respond(ephemeral(infoMessage(lines.join('\n'))))
}
