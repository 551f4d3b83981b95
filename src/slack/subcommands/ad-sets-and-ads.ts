import { type ListLevel, listAdSetsOrAds } from '../../domain/campaigns/list-ad-sets-and-ads.ts'
import type { StatusFilter } from '../../domain/metrics/load-level-totals.ts'
import { type PeriodKey, splitTrailingPeriod } from '../../domain/metrics/periods.ts'
import { isAppError } from '../../lib/errors.ts'
import { adSetsAndAdsMessage } from '../blocks/ad-sets-and-ads-message.ts'
import { usageMessage } from '../blocks/help-message.ts'
import { ephemeral, type Subcommand, type SubcommandArgs } from './subcommand.ts'

/** The status words at the end of the command: `archived` (or `deleted`) shows those only, `all` everything. */
const STATUS_WORDS: Record<string, StatusFilter> = { archived: 'archived', deleted: 'archived', all: 'all' }

/** `<name…> [period] [archived|all]`, the status word before or after the period. */
export function parseListArgs(args: readonly string[]): { target: string; period: PeriodKey | undefined; status: StatusFilter } {
  let words = [...args]
  let status: StatusFilter | undefined
  const takeStatus = () => {
    const last = words.at(-1)?.toLowerCase()
    if (status === undefined && words.length > 1 && last !== undefined && Object.hasOwn(STATUS_WORDS, last)) {
      status = STATUS_WORDS[last]
      words = words.slice(0, -1)
    }
  }
  takeStatus()
  const split = splitTrailingPeriod(words)
  words = split.words
  takeStatus()
  return { target: words.join(' '), period: split.period, status: status ?? 'live' }
}

function listCommand(level: ListLevel): Subcommand {
  const name = level === 'adset' ? 'adsets' : 'ads'
  return async ({ args, ack, respond, deps, pause, scope }: SubcommandArgs) => {
    let parsed: ReturnType<typeof parseListArgs>
    try {
      parsed = parseListArgs(args)
    } catch (err) {
      if (!isAppError(err)) throw err
      return ack(ephemeral(usageMessage(err.userMessage, name)))
    }
    if (parsed.target.trim() === '')
      return ack(ephemeral(usageMessage(level === 'adset' ? 'Name a campaign.' : 'Name a campaign or an ad set.', name)))
    await ack()
    const list = await listAdSetsOrAds(deps.domain.prisma, {
      scope: await scope(),
      level,
      target: parsed.target,
      period: parsed.period,
      status: parsed.status,
      now: deps.domain.now(),
    })
    // Rendering and posting are steps of their own: requests that came in meanwhile are acked first.
    await pause()
    const message = ephemeral(adSetsAndAdsMessage(list))
    await pause()
    await respond(message)
  }
}

/** `/promoly adsets <campaign> [period] [archived|all]`: the campaign's ad sets by spend. */
export const adsets = listCommand('adset')

/** `/promoly ads <campaign|ad set> [period] [archived|all]`: the ads by spend. */
export const ads = listCommand('ad')
