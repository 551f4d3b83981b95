/**
 * One error type for the whole domain. Domain code throws codes; each surface maps them:
 * Slack → a readable ephemeral message, jobs → retry or give up, agent tools → a short string.
 * `userMessage` is safe to show to a person (no secrets, no stack traces).
 */
export const AppErrorCode = {
  BAD_INPUT: 'BAD_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  AMBIGUOUS: 'AMBIGUOUS',
  FORBIDDEN: 'FORBIDDEN',
  NOT_CONNECTED: 'NOT_CONNECTED',
  META_AUTH: 'META_AUTH',
  META_THROTTLED: 'META_THROTTLED',
  META_VALIDATION: 'META_VALIDATION',
  META_UNAVAILABLE: 'META_UNAVAILABLE',
  CONFLICT: 'CONFLICT',
  INTERNAL: 'INTERNAL',
} as const
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode]

export class AppError extends Error {
  readonly code: AppErrorCode
  readonly userMessage: string
  readonly details?: Record<string, unknown>

  constructor(code: AppErrorCode, userMessage: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(userMessage, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.userMessage = userMessage
    this.details = options?.details
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

/** The text a person may see for any error: AppError's message, or a generic line (details go to the log). */
export function userMessageOf(e: unknown): string {
  if (isAppError(e)) return e.userMessage
  return 'Something went wrong on our side. It has been logged; please try again in a moment.'
}
