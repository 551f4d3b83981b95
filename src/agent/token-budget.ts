/**
 * The assistant's daily token budgets (UTC days): one per workspace and one per person within it, both
 * workspace settings (`assistant.dailyTokenBudget`, `assistant.userDailyTokenBudget`).
 *
 * A turn reserves its estimated tokens before each model call (prompt estimate + the answer's maxTokens):
 * the check and the hold happen under a per-workspace advisory lock in one transaction, so concurrent
 * turns cannot together overshoot a budget. When the turn ends its hold is replaced by what it used
 * (reported by the server, or estimated from the text when the server reports nothing). A hold of a turn
 * that crashed stops counting when it expires (the turn's timeout and a margin), not at midnight.
 *
 * Tables: TokenUsage (workspace, day), UserTokenUsage (workspace, person, day), TokenReservation (holds).
 */
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import { addDays, toDbDate } from '../lib/dates.ts'

export interface TokenCount {
  input: number
  output: number
}

/** Daily limits in tokens. */
export interface TokenBudgets {
  workspace: number
  user: number
}

export type BudgetKind = 'workspace' | 'user'

/** Tokens a turn holds against both budgets while it runs. */
export interface TokenReservation {
  id: string
  workspaceId: string
  slackUserId: string
  /** UTC day (YYYY-MM-DD) the turn started on: its usage counts there. */
  day: string
  /** Tokens held so far (grows before each further model call). */
  tokens: number
  budgets: TokenBudgets
  /** How long the hold counts without news from the turn (renewed when it grows). */
  holdMs: number
}

export type ReserveResult =
  | { ok: true; reservation: TokenReservation }
  | {
      ok: false
      /** The budget that has no room (the workspace's when both are full). */
      exhausted: BudgetKind
      /** Tokens used today plus those held by turns in progress. */
      used: number
      limit: number
      /** What this turn asked for. */
      needed: number
      /** Next UTC midnight, when the day's budgets start again. */
      resetsAt: Date
    }

const utcDay = (now: Date) => now.toISOString().slice(0, 10)
const nextMidnight = (day: string) => toDbDate(addDays(day, 1))

type Tx = Prisma.TransactionClient

/** Serialises budget checks and writes of one workspace (both budgets live inside a workspace). */
async function lockWorkspaceBudget(tx: Tx, workspaceId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`promoly.token-budget:${workspaceId}`}, 0))`
}

interface Spent {
  workspace: number
  user: number
}

/** Tokens used today plus tokens held by unexpired reservations, for the workspace and for the person. */
async function spentToday(tx: Tx, o: { workspaceId: string; slackUserId: string; day: string; now: Date }): Promise<Spent> {
  const date = toDbDate(o.day)
  const active = { workspaceId: o.workspaceId, date, expiresAt: { gt: o.now } }
  const [ws, user, wsHeld, userHeld] = await Promise.all([
    tx.tokenUsage.findUnique({ where: { workspaceId_date: { workspaceId: o.workspaceId, date } } }),
    tx.userTokenUsage.findUnique({
      where: { workspaceId_slackUserId_date: { workspaceId: o.workspaceId, slackUserId: o.slackUserId, date } },
    }),
    tx.tokenReservation.aggregate({ where: active, _sum: { tokens: true } }),
    tx.tokenReservation.aggregate({ where: { ...active, slackUserId: o.slackUserId }, _sum: { tokens: true } }),
  ])
  return {
    workspace: (ws?.promptTokens ?? 0) + (ws?.completionTokens ?? 0) + (wsHeld._sum.tokens ?? 0),
    user: (user?.promptTokens ?? 0) + (user?.completionTokens ?? 0) + (userHeld._sum.tokens ?? 0),
  }
}

function refusal(spent: Spent, budgets: TokenBudgets, needed: number, day: string): ReserveResult | undefined {
  const kind: BudgetKind | undefined =
    spent.workspace + needed > budgets.workspace ? 'workspace' : spent.user + needed > budgets.user ? 'user' : undefined
  if (!kind) return undefined
  return { ok: false, exhausted: kind, used: spent[kind], limit: budgets[kind], needed, resetsAt: nextMidnight(day) }
}

/**
 * Holds `tokens` against today's workspace and personal budgets, or says which budget has no room.
 * `holdMs`: how long the hold counts if the turn never settles it (crash).
 */
export async function reserveTokens(
  prisma: PrismaClient,
  o: { workspaceId: string; slackUserId: string; now: Date; tokens: number; budgets: TokenBudgets; holdMs: number },
): Promise<ReserveResult> {
  const day = utcDay(o.now)
  const tokens = Math.max(1, Math.ceil(o.tokens))
  return prisma.$transaction(async (tx) => {
    await lockWorkspaceBudget(tx, o.workspaceId)
    // Expired holds (crashed turns) go; they no longer count anyway.
    await tx.tokenReservation.deleteMany({ where: { workspaceId: o.workspaceId, expiresAt: { lte: o.now } } })
    const refused = refusal(await spentToday(tx, { ...o, day }), o.budgets, tokens, day)
    if (refused) return refused
    const expiresAt = new Date(o.now.getTime() + o.holdMs)
    const row = await tx.tokenReservation.create({
      data: { workspaceId: o.workspaceId, slackUserId: o.slackUserId, date: toDbDate(day), tokens, expiresAt },
    })
    return {
      ok: true as const,
      reservation: {
        id: row.id,
        workspaceId: o.workspaceId,
        slackUserId: o.slackUserId,
        day,
        tokens,
        budgets: o.budgets,
        holdMs: o.holdMs,
      },
    }
  })
}

/**
 * Raises a turn's hold to `total` tokens (before a further model call) and renews its expiry; says which
 * budget has no room for the difference otherwise. The reservation object is updated on success.
 */
export async function growReservation(
  prisma: PrismaClient,
  reservation: TokenReservation,
  o: { total: number; now: Date },
): Promise<{ ok: true } | { ok: false; exhausted: BudgetKind }> {
  const extra = Math.ceil(o.total) - reservation.tokens
  if (extra <= 0) return { ok: true }
  return prisma.$transaction(async (tx) => {
    await lockWorkspaceBudget(tx, reservation.workspaceId)
    const spent = await spentToday(tx, { ...reservation, now: o.now })
    // A hold that expired meanwhile no longer counts in `spent`: count it here, as the turn still runs.
    const row = await tx.tokenReservation.findUnique({ where: { id: reservation.id }, select: { expiresAt: true } })
    const ownHold = row && row.expiresAt > o.now ? 0 : reservation.tokens
    const refused = refusal(
      { workspace: spent.workspace + ownHold, user: spent.user + ownHold },
      reservation.budgets,
      extra,
      reservation.day,
    )
    if (refused && !refused.ok) return { ok: false as const, exhausted: refused.exhausted }
    const tokens = reservation.tokens + extra
    const expiresAt = new Date(o.now.getTime() + reservation.holdMs)
    await tx.tokenReservation.upsert({
      where: { id: reservation.id },
      create: {
        id: reservation.id,
        workspaceId: reservation.workspaceId,
        slackUserId: reservation.slackUserId,
        date: toDbDate(reservation.day),
        tokens,
        expiresAt,
      },
      update: { tokens, expiresAt },
    })
    reservation.tokens = tokens
    return { ok: true as const }
  })
}

/** Ends a turn's hold and adds what it used to the workspace's and the person's day, in one transaction. */
export async function settleReservation(prisma: PrismaClient, reservation: TokenReservation, usage: TokenCount): Promise<void> {
  const input = Math.max(0, Math.round(usage.input))
  const output = Math.max(0, Math.round(usage.output))
  const date = toDbDate(reservation.day)
  const { workspaceId, slackUserId } = reservation
  await prisma.$transaction(async (tx) => {
    await lockWorkspaceBudget(tx, workspaceId)
    await tx.tokenReservation.deleteMany({ where: { id: reservation.id } })
    if (input === 0 && output === 0) return
    const add = { promptTokens: { increment: input }, completionTokens: { increment: output } }
    await tx.tokenUsage.upsert({
      where: { workspaceId_date: { workspaceId, date } },
      create: { workspaceId, date, promptTokens: input, completionTokens: output },
      update: add,
    })
    await tx.userTokenUsage.upsert({
      where: { workspaceId_slackUserId_date: { workspaceId, slackUserId, date } },
      create: { workspaceId, slackUserId, date, promptTokens: input, completionTokens: output },
      update: add,
    })
  })
}

export interface DayUsage extends TokenCount {
  total: number
  /** Held by turns in progress. */
  inFlight: number
  limit: number
}

export interface UsageSummary {
  workspace: DayUsage
  /** The caller's own figures today. */
  user: DayUsage
  /** The workspace's last `days` UTC days including today. */
  recent: TokenCount & { total: number; days: number }
  /** Next UTC midnight. */
  resetsAt: Date
}

/** For `/promoly usage`: today's tokens of the workspace and of the caller against their budgets, and the recent total. */
export async function tokenUsageSummary(
  prisma: PrismaClient,
  o: { workspaceId: string; slackUserId: string; now: Date; budgets: TokenBudgets; days?: number },
): Promise<UsageSummary> {
  const days = o.days ?? 30
  const today = utcDay(o.now)
  const date = toDbDate(today)
  const active = { workspaceId: o.workspaceId, date, expiresAt: { gt: o.now } }
  const [rows, user, wsHeld, userHeld] = await Promise.all([
    prisma.tokenUsage.findMany({ where: { workspaceId: o.workspaceId, date: { gte: toDbDate(addDays(today, -(days - 1))), lte: date } } }),
    prisma.userTokenUsage.findUnique({
      where: { workspaceId_slackUserId_date: { workspaceId: o.workspaceId, slackUserId: o.slackUserId, date } },
    }),
    prisma.tokenReservation.aggregate({ where: active, _sum: { tokens: true } }),
    prisma.tokenReservation.aggregate({ where: { ...active, slackUserId: o.slackUserId }, _sum: { tokens: true } }),
  ])
  const t = rows.find((r) => r.date.toISOString().slice(0, 10) === today)
  const day = (
    row: { promptTokens: number; completionTokens: number } | null | undefined,
    held: number | null,
    limit: number,
  ): DayUsage => ({
    input: row?.promptTokens ?? 0,
    output: row?.completionTokens ?? 0,
    total: (row?.promptTokens ?? 0) + (row?.completionTokens ?? 0),
    inFlight: held ?? 0,
    limit,
  })
  const input = rows.reduce((n, r) => n + r.promptTokens, 0)
  const output = rows.reduce((n, r) => n + r.completionTokens, 0)
  return {
    workspace: day(t, wsHeld._sum.tokens, o.budgets.workspace),
    user: day(user, userHeld._sum.tokens, o.budgets.user),
    recent: { input, output, total: input + output, days },
    resetsAt: nextMidnight(today),
  }
}
