import { asAppError } from '../domain/meta-errors.ts'
import { AppError, AppErrorCode } from '../lib/errors.ts'

/**
 * Any failure as an AppError a person may read: ours as they are, Meta's translated (Meta's own
 * user message where it gives one), anything else a generic line — its details stay in the log.
 */
export function toUserError(err: unknown): { error: AppError; unexpected: boolean } {
  const known = asAppError(err)
  if (known) return { error: known, unexpected: false }
  return {
    error: new AppError(AppErrorCode.INTERNAL, 'Something went wrong on our side. It has been logged; please try again in a moment.', {
      cause: err,
    }),
    unexpected: true,
  }
}
