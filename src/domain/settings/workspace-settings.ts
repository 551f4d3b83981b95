import * as z from 'zod'
import type { PrismaClient } from '../../generated/prisma/client.ts'

/** Bounds of the assistant's daily token budgets (a turn alone needs a few thousand tokens). */
export const MIN_TOKEN_BUDGET = 10_000
export const MAX_TOKEN_BUDGET = 100_000_000

/** Admin settings of a workspace, with the defaults that apply until an admin changes them. */
export const workspaceSettingsSchema = z.object({
  guardrails: z
    .object({
      /** Largest budget change one action may make, in percent of the current budget (an admin may override it). */
      maxBudgetChangePct: z.number().min(1).max(200).default(30),
      /**
       * Ceiling no override lifts: one change sets a budget to at most this multiple of the current one (a new
       * campaign: of the account's largest daily budget).
       */
      maxBudgetMultiple: z.number().min(1.1).max(20).default(10),
      /** Applied changes per ad account per (UTC) day. */
      maxChangesPerAccountPerDay: z.number().int().min(1).max(100).default(10),
      /** Hours a campaign rests after an applied change before the next one. */
      cooldownHours: z.number().min(0).max(168).default(2),
      /** A requester may not approve their own change above this budget delta (minor units); null = off. */
      fourEyesAboveMinor: z.number().int().min(0).nullable().default(null),
      /** Hours a proposal stays open before it expires. */
      proposalTtlHours: z.number().min(1).max(720).default(48),
    })
    .prefault({}),
  optimizer: z
    .object({
      targetCostPerResultMinor: z.number().int().positive().nullable().default(null),
      targetRoas: z.number().positive().nullable().default(null),
      /** Days a rejected suggestion stays quiet (unless its metric gets materially worse). */
      rejectedCooldownDays: z.number().int().min(0).max(90).default(7),
      /** Relative worsening that re-opens a rejected suggestion early. */
      materiallyWorsePct: z.number().min(1).max(500).default(25),
    })
    .prefault({}),
  /**
   * The fast loop and intraday alerts (issue 14), in each ad account's own time zone (whole hours, 0–24).
   * From `fastSyncFromHour` to `fastSyncUntilHour` the last 3 days are re-synced every hour and the fast rules and
   * intraday alerts run after each such sync (equal hours: no fast loop). From `quietFromHour` to `quietUntilHour`
   * (may wrap past midnight) no intraday alert is posted; the first check after quiet hours posts what still holds
   * (equal hours: never quiet).
   */
  monitoring: z
    .object({
      fastSyncFromHour: z.number().int().min(0).max(24).default(7),
      fastSyncUntilHour: z.number().int().min(0).max(24).default(21),
      quietFromHour: z.number().int().min(0).max(24).default(21),
      quietUntilHour: z.number().int().min(0).max(24).default(8),
      /** Intraday alerts on or off (the fast loop's rules still run). */
      alerts: z.boolean().default(true),
    })
    .prefault({}),
  digests: z
    .object({
      /** Active digest subscriptions per workspace (each posts every account's figures somewhere). */
      maxSubscriptions: z.number().int().min(1).max(500).default(50),
    })
    .prefault({}),
  /** Currency of the money settings (four-eyes threshold, target cost per result); they apply to accounts in it. */
  moneyCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable()
    .default(null),
  /** Days after an applied change before "did it work?" is evaluated. */
  outcomeDays: z.number().int().min(1).max(60).default(7),
  /** The assistant's daily token budgets (UTC days): the workspace's, and each person's within it. */
  assistant: z
    .object({
      dailyTokenBudget: z.number().int().min(MIN_TOKEN_BUDGET).max(MAX_TOKEN_BUDGET).default(200_000),
      userDailyTokenBudget: z.number().int().min(MIN_TOKEN_BUDGET).max(MAX_TOKEN_BUDGET).default(100_000),
    })
    .refine((a) => a.userDailyTokenBudget <= a.dailyTokenBudget, {
      message: "the per-person budget can't exceed the workspace's",
      path: ['userDailyTokenBudget'],
    })
    .prefault({}),
})

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>

/**
 * Stored settings with defaults filled in. A stored value that is no longer valid (a limit saved before a
 * ceiling was lowered, say) falls back to its default alone; the other settings are kept.
 */
export function parseSettings(raw: unknown): WorkspaceSettings {
  let value: unknown = structuredClone(raw ?? {})
  for (let i = 0; i < 20; i++) {
    const r = workspaceSettingsSchema.safeParse(value)
    if (r.success) return r.data
    const paths = r.error.issues.map((issue) => issue.path)
    if (paths.some((path) => path.length === 0)) break
    for (const path of paths) value = withoutPath(value, path)
  }
  return workspaceSettingsSchema.parse({})
}

function withoutPath(value: unknown, path: readonly PropertyKey[]): unknown {
  if (typeof value !== 'object' || value === null) return value
  const [head, ...rest] = path
  const copy = { ...(value as Record<PropertyKey, unknown>) }
  if (rest.length === 0) delete copy[head as PropertyKey]
  else copy[head as PropertyKey] = withoutPath(copy[head as PropertyKey], rest)
  return copy
}

export async function loadSettings(prisma: PrismaClient, workspaceId: string): Promise<WorkspaceSettings> {
  const ws = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } })
  return parseSettings(ws?.settings)
}
