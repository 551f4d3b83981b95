/**
 * Per-workspace daily token budget for the agent, on prisma.tokenUsage (one row per workspace and UTC
 * day). Checked before a turn, recorded after it (a turn that starts under the budget may end a little
 * over it: the check is before, so a turn is never cut in the middle).
 */
import type { PrismaClient } from '../generated/prisma/client.ts'
import { addDays, toDbDate } from '../lib/dates.ts'

const DEFAULT_DAILY_TOKEN_BUDGET = 200_000

export interface TokenCount {
  input: number
  output: number
}

export interface BudgetStatus {
  ok: boolean
  used: number
  limit: number
  /** Next UTC midnight, when the day's budget starts again. */
  resetsAt: Date
}

const utcDay = (now: Date) => now.toISOString().slice(0, 10)

export async function checkBudget(
  prisma: PrismaClient,
  options: { workspaceId: string; now: Date; dailyBudget?: number },
): Promise<BudgetStatus> {
  const limit = options.dailyBudget ?? DEFAULT_DAILY_TOKEN_BUDGET
  const day = utcDay(options.now)
  const row = await prisma.tokenUsage.findUnique({ where: { workspaceId_date: { workspaceId: options.workspaceId, date: toDbDate(day) } } })
  const used = (row?.promptTokens ?? 0) + (row?.completionTokens ?? 0)
  return { ok: used < limit, used, limit, resetsAt: toDbDate(addDays(day, 1)) }
}

/** Adds a turn's tokens to today's row (created on first use; concurrent turns add up, none is lost). */
export async function recordUsage(prisma: PrismaClient, options: { workspaceId: string; now: Date; usage: TokenCount }): Promise<void> {
  const { input, output } = options.usage
  if (input <= 0 && output <= 0) return
  const key = { workspaceId: options.workspaceId, date: toDbDate(utcDay(options.now)) }
  const write = () =>
    prisma.tokenUsage.upsert({
      where: { workspaceId_date: key },
      create: { ...key, promptTokens: input, completionTokens: output },
      update: { promptTokens: { increment: input }, completionTokens: { increment: output } },
    })
  try {
    await write()
  } catch (error) {
    // Two processes creating the day's row at once: one insert loses the race; the row exists now.
    if ((error as { code?: string }).code !== 'P2002') throw error
    await write()
  }
}

export interface UsageSummary {
  today: TokenCount & { total: number; limit: number }
  /** The last `days` UTC days including today. */
  recent: TokenCount & { total: number; days: number }
}

/** For `/promoly usage` or the settings view: today's tokens against the budget, and the recent total. */
export async function tokenUsageSummary(
  prisma: PrismaClient,
  options: { workspaceId: string; now: Date; dailyBudget?: number; days?: number },
): Promise<UsageSummary> {
  const days = options.days ?? 30
  const today = utcDay(options.now)
  const rows = await prisma.tokenUsage.findMany({
    where: { workspaceId: options.workspaceId, date: { gte: toDbDate(addDays(today, -(days - 1))), lte: toDbDate(today) } },
  })
  const t = rows.find((r) => r.date.toISOString().slice(0, 10) === today)
  const input = rows.reduce((n, r) => n + r.promptTokens, 0)
  const output = rows.reduce((n, r) => n + r.completionTokens, 0)
  return {
    today: {
      input: t?.promptTokens ?? 0,
      output: t?.completionTokens ?? 0,
      total: (t?.promptTokens ?? 0) + (t?.completionTokens ?? 0),
      limit: options.dailyBudget ?? DEFAULT_DAILY_TOKEN_BUDGET,
    },
    recent: { input, output, total: input + output, days },
  }
}
