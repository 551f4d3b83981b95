import type { MetaAdAccount } from '../../integrations/meta/meta-api.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import type { DomainDeps } from '../deps.ts'

/** An ad account the token reaches, as the connect form lists it. */
export type ReachableAdAccount = MetaAdAccount

export interface ValidatedMetaToken {
  metaUserId: string
  metaUserName: string
  accounts: ReachableAdAccount[]
}

/** Checks a pasted token against Meta (who is it, which ad accounts can it reach). */
export async function validateMetaToken(deps: Pick<DomainDeps, 'meta'>, token: string): Promise<ValidatedMetaToken> {
  const trimmed = token.trim()
  if (trimmed.length < 20 || /\s/.test(trimmed)) {
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      'That does not look like a Meta access token: paste the whole system-user token (no spaces).',
    )
  }
  const me = await deps.meta.getMe(trimmed)
  const accounts = await deps.meta.listAdAccounts(trimmed)
  if (accounts.length === 0) {
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      'This token works, but it cannot see any ad account. Assign the system user to your ad accounts in Business Settings, then try again.',
    )
  }
  return { metaUserId: me.id, metaUserName: me.name ?? me.id, accounts }
}
