import type { AdAccount, PrismaClient } from '../../generated/prisma/client.ts'
import { echoInput } from '../../lib/mrkdwn.ts'
import type { ClientScope } from '../clients/client-scope.ts'
import { OBJECT_LEVELS } from '../metrics/load-level-totals.ts'
import { matchAdAccounts } from './find-ad-account.ts'
import { describeMatch, type FoundObject, matchObjects, objectOf } from './find-object.ts'
import { ambiguous, noMatch } from './name-lookup.ts'

/**
 * One campaign, ad set or ad (with its parents) or one ad account of the scope, by id or name: the exact name of any
 * of them wins; otherwise the refusal, "did you mean" or the matches listed with their level and parent.
 */
export async function findObjectOrAccount(
  prisma: PrismaClient,
  scope: ClientScope,
  target: string,
): Promise<{ object: FoundObject | undefined; account: AdAccount }> {
  let [objects, accounts] = await Promise.all([matchObjects(prisma, scope, target, OBJECT_LEVELS), matchAdAccounts(prisma, scope, target)])
  const q = target.trim().toLowerCase()
  const exactObjects = objects.filter((o) => objectOf(o).name.toLowerCase() === q)
  const exactAccounts = accounts.filter((a) => a.name.toLowerCase() === q)
  if (exactObjects.length + exactAccounts.length === 1) [objects, accounts] = [exactObjects, exactAccounts]
  if (objects.length + accounts.length === 0) {
    throw await noMatch(
      prisma,
      scope,
      target,
      ['campaign', 'adset', 'ad', 'account'],
      `No campaign, ad set, ad or ad account matches "${echoInput(target)}". See \`/promoly campaigns\` and \`/promoly accounts\`.`,
    )
  }
  if (objects.length + accounts.length > 1) {
    throw ambiguous(target, [
      ...objects.map((o) => ({ name: objectOf(o).name, ref: objectOf(o).metaId, ...describeMatch(o) })),
      ...accounts.map((a) => ({ name: a.name, label: `${a.name} — ad account`, ref: a.metaAccountId })),
    ])
  }
  const [object] = objects
  const account = object ? object.account : accounts[0]
  if (!account) throw new Error('a single match that is neither an object nor an ad account')
  return { object, account }
}
