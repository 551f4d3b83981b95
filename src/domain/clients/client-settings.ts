import * as z from 'zod'
import type { ResultKind } from '../metrics/vocabulary.ts'

const RESULT_KINDS = ['leads', 'purchases', 'link clicks'] as const satisfies readonly ResultKind[]

/**
 * A client's target for one result type, in one currency: it applies to the client's campaigns of that result
 * type in accounts of that currency (a target is never converted between currencies).
 */
export const clientTargetSchema = z.object({
  result: z.enum(RESULT_KINDS),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** Target cost per result (cost per lead, CPA, cost per link click), minor units of `currency`. */
  costPerResultMinor: z.number().int().positive().nullable().default(null),
  /** Target return on ad spend (purchases only). */
  roas: z.number().positive().nullable().default(null),
})

export type ClientTarget = z.infer<typeof clientTargetSchema>

/** Guardrails a client may tighten or loosen within the workspace's ceilings (absent: the workspace's value). */
export const guardrailOverridesSchema = z.object({
  maxBudgetChangePct: z.number().min(1).max(200).optional(),
  maxChangesPerAccountPerDay: z.number().int().min(1).max(100).optional(),
  cooldownHours: z.number().min(0).max(168).optional(),
})

export type GuardrailOverrides = z.infer<typeof guardrailOverridesSchema>

/** A client's own settings (Client.settings), beside the workspace's. */
export const clientSettingsSchema = z.object({
  /** People who may approve this client's changes, beside the workspace's admins and approvers on record. */
  approverUserIds: z
    .array(z.string().regex(/^[UW][A-Z0-9]{2,}$/))
    .max(50)
    .default([]),
  targets: z.array(clientTargetSchema).max(30).default([]),
  guardrails: guardrailOverridesSchema.prefault({}),
})

export type ClientSettings = z.infer<typeof clientSettingsSchema>

/** Stored client settings with defaults; a stored value that no longer parses falls back to the defaults. */
export function parseClientSettings(raw: unknown): ClientSettings {
  const r = clientSettingsSchema.safeParse(raw ?? {})
  return r.success ? r.data : clientSettingsSchema.parse({})
}

/** The client's target for campaigns of `result` in an account of `currency`, if one is set. */
export function targetFor(settings: ClientSettings, result: ResultKind | null, currency: string): ClientTarget | undefined {
  if (result === null) return undefined
  return settings.targets.find((t) => t.result === result && t.currency === currency)
}
