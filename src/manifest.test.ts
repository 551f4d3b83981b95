import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BOT_SCOPES } from './slack/app.ts'

const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8'))

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

  it('asks for the scopes the code uses, and keeps the schema limits', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort())
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35)
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140)
    const long = manifest.display_information.long_description.length
    expect(long).toBeGreaterThanOrEqual(175)
    expect(long).toBeLessThanOrEqual(4000)
    expect(manifest.features.slash_commands[0].usage_hint.length).toBeLessThanOrEqual(1000)
  })
})
