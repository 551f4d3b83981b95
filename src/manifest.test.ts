import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { BOT_SCOPES } from './slack/app.ts'

const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8'))
const SRC = fileURLToPath(new URL('.', import.meta.url))

/**
 * The bot scopes each Slack Web API method Promoly calls needs (Slack's method pages). A method missing here fails
 * the test below: add it with its scopes (an empty list when it needs none).
 */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  // Cards, digests and suggestions go to public channels Promoly was never invited to: chat:write.public.
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  // Asked of public and private channels only (a DM is answered without Slack).
  'conversations.members': ['channels:read', 'groups:read'],
  // Opens the asker's DM to share a metrics chart in it.
  'conversations.open': ['im:write'],
  'users.info': ['users:read'],
  'users.list': ['users:read'],
  'views.open': [],
  'views.update': [],
  'assistant.threads.setStatus': ['assistant:write'],
  'assistant.threads.setSuggestedPrompts': ['assistant:write'],
  // files.uploadV2: files.getUploadURLExternal + files.completeUploadExternal.
  filesUploadV2: ['files:write'],
}

/** The scope each subscribed bot event needs (none for app_home_opened, app_uninstalled, tokens_revoked). */
const EVENT_SCOPES: Record<string, string[]> = {
  app_home_opened: [],
  app_mention: ['app_mentions:read'],
  app_uninstalled: [],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
  tokens_revoked: [],
}

/** Slack's Web API method families (a domain `client`, Promoly's client of ad accounts, is no Slack client). */
const SLACK_FAMILIES = new Set(
  'admin apps assistant auth bookmarks bots calls canvases chat conversations dialog dnd emoji files functions im mpim oauth openid pins reactions reminders search stars team usergroups users views workflows'.split(
    ' ',
  ),
)

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'generated' || name === 'playground' ? [] : sourceFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : []
  })
}

/** Web API methods called on a `…client` anywhere in src (chains split over lines joined first), tests and the playground aside. */
function webApiMethodsCalled(): Set<string> {
  const found = new Set<string>()
  for (const file of sourceFiles(SRC)) {
    const code = readFileSync(file, 'utf8').replace(/\s*\n\s*\./g, '.')
    for (const m of code.matchAll(/\bclient\.((?:[a-z]+)(?:\.[a-zA-Z]+)+)\(/gi)) {
      const method = m[1] as string
      if (SLACK_FAMILIES.has(method.split('.')[0] as string)) found.add(method)
    }
    for (const m of code.matchAll(/\bclient\.(filesUploadV2)\(/g)) found.add(m[1] as string)
  }
  return found
}

describe('manifest.json', () => {
  it('declares the slash command, events and interactivity on the one Bolt endpoint', () => {
    const [cmd] = manifest.features.slash_commands
    expect(cmd.command).toBe('/promoly')
    expect(cmd.command.length).toBeLessThanOrEqual(32)
    expect(cmd.url).toMatch(/^https?:\/\/.+\/slack\/events$/)
    expect(cmd.description.length).toBeGreaterThan(0)
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true, request_url: expect.stringMatching(/\/slack\/events$/) })
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/)
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_home_opened',
      'app_mention',
      'app_uninstalled',
      'message.channels',
      'message.groups',
      'message.im',
      'tokens_revoked',
    ])
    expect(manifest.features.agent_view.agent_description.length).toBeLessThanOrEqual(300)
    expect(manifest.features.agent_view.suggested_prompts.length).toBeLessThanOrEqual(4)
    expect(manifest.oauth_config.redirect_urls[0]).toMatch(/\/slack\/oauth_redirect$/)
  })

  it('asks for exactly the scopes the code uses: each Web API method called, each event subscribed, the slash command', () => {
    const called = webApiMethodsCalled()
    // The scan sees the calls it must (a broken scan would pass with an empty set).
    expect(called).toContain('chat.postMessage')
    expect(called).toContain('users.info')
    expect(called).toContain('assistant.threads.setSuggestedPrompts')
    const unknown = [...called].filter((m) => !Object.hasOwn(METHOD_SCOPES, m))
    expect(unknown, 'Web API methods called without their scopes in METHOD_SCOPES').toEqual([])
    const events: string[] = manifest.settings.event_subscriptions.bot_events
    const needed = new Set([
      ...[...called].flatMap((m) => METHOD_SCOPES[m] ?? []),
      ...events.flatMap((e) => EVENT_SCOPES[e] ?? [`(no scope known for event ${e})`]),
      ...(manifest.features.slash_commands.length > 0 ? ['commands'] : []),
    ])
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort())
    expect([...BOT_SCOPES].sort()).toEqual([...needed].sort())
  })

  it('keeps the schema limits', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35)
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140)
    const long = manifest.display_information.long_description.length
    expect(long).toBeGreaterThanOrEqual(175)
    expect(long).toBeLessThanOrEqual(4000)
    expect(manifest.features.slash_commands[0].usage_hint.length).toBeLessThanOrEqual(1000)
  })
})
