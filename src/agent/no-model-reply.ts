import { escapeMrkdwn } from '../lib/mrkdwn.ts'

/**
 * What Promoly answers in a DM when no language model is configured (no OPENAI_API_KEY): everything
 * else works through the slash commands, so say which.
 */
const AGENT_COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['/promoly campaigns [account] [active|paused|archived|all]', 'campaigns by spend, yesterday and the last 7 days'],
  ['/promoly adsets <campaign> [period] [archived|all]', "a campaign's ad sets by spend, with their budgets"],
  ['/promoly ads <campaign|ad set> [period] [archived|all]', 'ads by spend, with their creatives'],
  [
    '/promoly metrics <campaign|ad set|ad|account> [yesterday|last 7 days|last week|this month|last month|2026-11-01..2026-11-15]',
    'metrics against the same number of days before',
  ],
  ['/promoly suggestions', 'what the optimizer found, with its proposals'],
  ['/promoly pause <campaign|ad set|ad>', 'propose pausing a campaign, an ad set or an ad'],
  ['/promoly resume <campaign|ad set|ad>', 'propose resuming a campaign, an ad set or an ad'],
  [
    '/promoly budget <campaign|ad set> <amount|+20%|-10%>',
    'propose a new budget where it lives (a campaign with ad set budgets: one change per active ad set)',
  ],
  ['/promoly create', 'propose a new campaign'],
  ['/promoly history [campaign|ad set|ad|account]', 'who changed what, and whether it worked'],
  ['/promoly accounts', 'connected ad accounts'],
  ['/promoly help', 'every command'],
]

/** Slack mrkdwn, already escaped. */
export function noModelReply(): string {
  const lines = AGENT_COMMANDS.map(([cmd, what]) => `• \`${escapeMrkdwn(cmd)}\` — ${what}`)
  return [
    "Hi! I can't chat yet: no language model is configured for Promoly (an admin can set `OPENAI_API_KEY`, and optionally `OPENAI_BASE_URL` and `OPENAI_MODEL`).",
    'Everything works through the slash commands meanwhile:',
    ...lines,
  ].join('\n')
}
