/**
 * `/promoly settings` (issue 14, item 4): the monitoring fields — the fast loop's hours, intraday alerts on or off,
 * quiet hours — are shown with the stored values, checked (whole hours 0–24, errors under the field, nothing saved)
 * and saved into the workspace's `monitoring` settings, through the real signed receiver of a running Promoly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeSlack, type SlackCall, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import { loadSettings } from '../domain/settings/workspace-settings.ts'
import { SETTINGS_FIELDS } from './blocks/settings-modal.ts'

const SECRET = 'monitoring-secret'
const ADMIN = 'UADMIN001'

type View = { blocks: Array<Record<string, unknown>>; private_metadata?: string; callback_id: string }
type StateValues = Record<string, Record<string, Record<string, unknown>>>

/** What Slack would send back for the form as it opened: each input block's element with its initial value. */
function stateOf(view: View): StateValues {
  const values: StateValues = {}
  for (const b of view.blocks) {
    if (b.type !== 'input') continue
    const e = b.element as Record<string, unknown>
    const v: Record<string, unknown> = { type: e.type }
    if (e.initial_value !== undefined) v.value = e.initial_value
    if (e.initial_users !== undefined) v.selected_users = e.initial_users
    if (e.type === 'checkboxes') v.selected_options = e.initial_options ?? []
    if (e.initial_conversation !== undefined) v.selected_conversation = e.initial_conversation
    values[String(b.block_id)] = { [String(e.action_id)]: v }
  }
  return values
}

describe('monitoring settings', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let view: View

  /** Sets a field of the form's state (a number's text, or the alerts checkbox). */
  function withField(values: StateValues, field: keyof typeof SETTINGS_FIELDS, value: Record<string, unknown>): StateValues {
    const { block, action } = SETTINGS_FIELDS[field]
    return { ...values, [block]: { [action]: { ...values[block]?.[action], ...value } } }
  }

  const submit = async (values: StateValues) => {
    const res = await sendInteraction(app.endpoint, SECRET, {
      type: 'view_submission',
      team: { id: 'T0001', domain: 'fake' },
      user: { id: ADMIN, username: 'admin', name: 'admin', team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'x',
      trigger_id: '1.2.3',
      view: { ...view, id: 'VSETTINGS', team_id: 'T0001', state: { values } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    })
    return res.body ? (JSON.parse(res.body) as { response_action?: string; errors?: Record<string, string> }) : {}
  }

  beforeAll(async () => {
    app = await startPromolyOnFakeSlack({ signingSecret: SECRET, slackUsers: { [ADMIN]: { is_admin: true } } })
    slack = app.slack
    await sendSlashCommand(app.endpoint, SECRET, { text: 'settings', responseUrl: slack.responseUrl('settings'), userId: ADMIN })
    const shown = await slack.waitFor<SlackCall>(
      'call',
      (c) => c.method === 'views.update' && JSON.stringify(c.args.view).includes(SETTINGS_FIELDS.fastSyncFromHour.block),
    )
    view = shown.args.view as View
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
  })

  it('shows the stored hours and the alerts switch (the defaults: 7–21, alerts on, quiet 21–8)', () => {
    const values = stateOf(view)
    const value = (f: keyof typeof SETTINGS_FIELDS) => values[SETTINGS_FIELDS[f].block]?.[SETTINGS_FIELDS[f].action]
    expect(value('fastSyncFromHour')?.value).toBe('7')
    expect(value('fastSyncUntilHour')?.value).toBe('21')
    expect(value('quietFromHour')?.value).toBe('21')
    expect(value('quietUntilHour')?.value).toBe('8')
    expect(value('alerts')?.selected_options).toEqual([expect.objectContaining({ value: 'on' })])
  })

  it('refuses hours that are not whole hours from 0 to 24, under their fields, and saves nothing', async () => {
    const workspace = await app.db.prisma.workspace.findFirstOrThrow()
    const before = await loadSettings(app.db.prisma, workspace.id)
    let values = withField(stateOf(view), 'fastSyncFromHour', { value: '25' })
    values = withField(values, 'quietUntilHour', { value: '7.5' })
    values = withField(values, 'fastSyncUntilHour', { value: '' })
    const r = await submit(values)
    expect(r.response_action).toBe('errors')
    expect(r.errors).toEqual({
      [SETTINGS_FIELDS.fastSyncFromHour.block]: 'Enter a whole number from 0 to 24: an hour of the day, 0 for midnight.',
      [SETTINGS_FIELDS.fastSyncUntilHour.block]: 'Enter a value: an hour of the day, 0 for midnight.',
      [SETTINGS_FIELDS.quietUntilHour.block]: 'Enter a whole number from 0 to 24: an hour of the day, 0 for midnight.',
    })
    expect(await loadSettings(app.db.prisma, workspace.id)).toEqual(before)
  })

  it('saves the hours and the alerts switch into monitoring, keeping the other settings', async () => {
    const workspace = await app.db.prisma.workspace.findFirstOrThrow()
    const before = await loadSettings(app.db.prisma, workspace.id)
    let values = withField(stateOf(view), 'fastSyncFromHour', { value: '6' })
    values = withField(values, 'fastSyncUntilHour', { value: '24' })
    values = withField(values, 'quietFromHour', { value: '22' })
    values = withField(values, 'quietUntilHour', { value: '6' })
    values = withField(values, 'alerts', { selected_options: [] })
    const r = await submit(values)
    expect(r.response_action).toBeUndefined()
    const saved = await slack.waitFor<SlackCall>(
      'call',
      (c) => c.method === 'chat.postEphemeral' || (c.method === 'chat.postMessage' && String(c.args.text).includes('settings saved')),
    )
    expect(JSON.stringify(saved.args)).toContain('hourly re-sync of the last 3 days from 06:00 to 00:00')
    expect(JSON.stringify(saved.args)).toContain('intraday alerts off')
    const after = await loadSettings(app.db.prisma, workspace.id)
    expect(after.monitoring).toEqual({ fastSyncFromHour: 6, fastSyncUntilHour: 24, quietFromHour: 22, quietUntilHour: 6, alerts: false })
    // Everything else as it was (a first save also fixes the currency money settings are entered in, as before).
    expect({ ...after, monitoring: before.monitoring, moneyCurrency: before.moneyCurrency }).toEqual(before)
  })
})
