import type { AppError } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import { errorMessage } from './blocks/error-message.ts'
import { type ReplyTo, tellUser } from './tell-user.ts'
import { toUserError } from './user-error.ts'

export interface ReplyErrorOptions {
  logger: Logger
  /** What was being done, for the log: "`what` failed" (unexpected) or "`what` refused" (an AppError). */
  what: string
  /** Put before the user's message, e.g. 'The settings were not saved: '. */
  prefix?: string
  /** More fields for the log line. */
  log?: Record<string, unknown>
}

/**
 * Logs a listener's failure — as an error when unexpected (with the error), as info when it is a
 * refusal or a known failure (its code only) — and returns the AppError the user may read.
 */
export function logUserError(err: unknown, options: Omit<ReplyErrorOptions, 'prefix'>): AppError {
  const { error, unexpected } = toUserError(err)
  if (unexpected) options.logger.error({ err, ...options.log }, `${options.what} failed`)
  else options.logger.info({ code: error.code, ...options.log }, `${options.what} refused`)
  return error
}

/**
 * The one way a listener turns a failure into the user's reply: logged (see logUserError), then told
 * to the person alone (see ReplyTo: in the ack if not acked yet, else the response_url, else an
 * ephemeral message, else a DM). Never throws: a reply that cannot be delivered is logged.
 */
export async function replyError(to: ReplyTo, err: unknown, options: ReplyErrorOptions): Promise<void> {
  const error = logUserError(err, options)
  await tellUser(to, errorMessage(`${options.prefix ?? ''}${error.userMessage}`)).catch((e) =>
    options.logger.warn({ err: e, ...options.log }, `could not report to the user that ${options.what} failed`),
  )
}
