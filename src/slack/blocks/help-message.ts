import { escapeMrkdwn } from '../../lib/mrkdwn.ts'
import type { MessageContent } from './types.ts'

export const COMMAND_USAGE: Record<string, string> = {
  help: '`/promoly help` — this list',
  connect: '`/promoly connect` — connect Meta ad accounts with a system-user token',
  accounts: '`/promoly accounts` — connected ad accounts and their last sync',
  campaigns: '`/promoly campaigns [account] [active|paused|archived|all]` — campaigns by spend, yesterday and last 7 days',
  adsets: '`/promoly adsets &lt;campaign&gt; [period] [archived|all]` — its ad sets by spend: budget, bidding, learning',
  ads: '`/promoly ads &lt;campaign|ad set&gt; [period] [archived|all]` — its ads by spend, with their creatives',
  metrics:
    '`/promoly metrics &lt;campaign|ad set|ad|account&gt; [yesterday|last 7 days|last 14 days|last 30 days|last week|this month|last month|2026-11-01..2026-11-15]` — metrics against the same number of days before',
  create:
    '`/promoly create` — propose a new campaign (a form, also for special ad categories), or inline: `/promoly create "Spring sale" leads 50 [account]` (`adsets` instead of an amount: budgets on the ad sets)',
  pause: '`/promoly pause &lt;campaign|ad set|ad&gt;` — propose pausing it',
  resume: '`/promoly resume &lt;campaign|ad set|ad&gt;` — propose resuming it',
  budget:
    '`/promoly budget &lt;campaign|ad set&gt; &lt;60|+20%|-10%|+$20&gt;` — propose a new budget where it lives (a campaign with ad set budgets: one change per active ad set, on one card; `+20` alone asks: percent or money?)',
  suggestions: '`/promoly suggestions [account|campaign]` — what the optimizer found, with its proposals',
  digest:
    '`/promoly digest subscribe [#channel] [HH:MM] [time zone] [account name, another…]` · `unsubscribe` · `list` · `now` · `preview` — daily digests',
  history:
    '`/promoly history [campaign|ad set|ad|account]` — who changed what, before and after, and whether it worked (a campaign’s includes its ad sets’ and ads’)',
  settings: '`/promoly settings` — admins, guardrails, and per client: channels, approvers, targets and guardrails (admins)',
  clients:
    '`/promoly clients` · `add &lt;name&gt;` · `rename &lt;old&gt; to &lt;new&gt;` · `remove &lt;name&gt;` · `move &lt;account&gt; to &lt;client&gt;` · `bind &lt;client&gt;` / `unbind` (in the channel) — clients and their channels (admins)',
  usage: "`/promoly usage` — the assistant's token use today against the workspace's and your own daily budget",
  sync: '`/promoly sync` — fetch the latest numbers from Meta now',
}

export function helpMessage(intro?: string): MessageContent {
  const lines = Object.values(COMMAND_USAGE).map((l) => `• ${l}`)
  return {
    text: 'Promoly commands',
    blocks: [
      ...(intro ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: intro } }] : []),
      { type: 'header', text: { type: 'plain_text', text: 'Promoly — your Meta ads in Slack' } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Campaigns, ad sets and ads are found by id or by any part of their name (a misspelt one offers the closest); archived and deleted ones by id or full name. Nothing that spends money happens without an approval.',
          },
        ],
      },
    ],
  }
}

export function usageMessage(problem: string, command: keyof typeof COMMAND_USAGE): MessageContent {
  return {
    text: `${escapeMrkdwn(problem)} Usage: ${COMMAND_USAGE[command]}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(problem)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Usage: ${COMMAND_USAGE[command]}` }] },
    ],
  }
}
