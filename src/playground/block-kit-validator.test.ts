import { describe, expect, it } from 'vitest'
import { validateMessage, validateView } from './block-kit-validator.ts'

const plain = (text: string) => ({ type: 'plain_text', text })
const md = (text: string) => ({ type: 'mrkdwn', text })
const option = (text: string, value: string) => ({ text: plain(text), value })
const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: md(text), ...extra })
const button = (text: string, action_id: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  text: plain(text),
  action_id,
  ...extra,
})
const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  callback_id: 'promoly_test',
  title: plain('Test'),
  submit: plain('Save'),
  close: plain('Cancel'),
  blocks,
  ...extra,
})
const input = (block_id: string, label: string, element: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'input',
  block_id,
  label: plain(label),
  element,
  ...extra,
})
const x = (n: number) => 'x'.repeat(n)

// ---------------------------------------------------------------------------
// Realistic payloads that Slack accepts

const campaignList = {
  text: 'Active campaigns: 3',
  blocks: [
    { type: 'header', text: plain('Active campaigns (3)') },
    { type: 'context', elements: [md('Sorted by spend over the last 7 complete days (account time zones).')] },
    section(':large_green_circle: *Spring Sale — Retargeting* · sales · €50.00/day\nYesterday: *€48.12* · 31 purchases · €1.55/result', {
      block_id: 'campaign:120210000000001',
      accessory: {
        type: 'overflow',
        action_id: 'campaign_menu:120210000000001',
        options: [
          option('Pause', 'pause'),
          option('Change budget', 'budget'),
          { ...option('Open in Ads Manager', 'open'), url: 'https://adsmanager.facebook.com/adsmanager/manage/campaigns?act=1' },
        ],
      },
    }),
    section(':large_green_circle: *Brand awareness Q2* · awareness · €20.00/day\nYesterday: *€19.80* · 41,200 impr.', {
      block_id: 'campaign:120210000000002',
      accessory: button('Details', 'campaign_details:120210000000002', { value: '120210000000002' }),
    }),
    section(':double_vertical_bar: *Lead gen — webinar* · leads · ad set budgets', { block_id: 'campaign:120210000000003' }),
    { type: 'divider' },
    { type: 'context', elements: [md('…and 2 more with less spend. Filter by account or status to see them.')] },
  ],
}

const metricsCard = {
  text: 'Spring Sale — Last 7 days: spend €336.84',
  blocks: [
    { type: 'header', text: plain('Spring Sale — Last 7 days') },
    {
      type: 'context',
      elements: [
        { type: 'image', image_url: 'https://static.xx.fbcdn.net/rsrc.php/meta-logo.png', alt_text: 'Meta' },
        md('sales · active · Acme Shop EU · id 120210000000001'),
        plain('Account time zone Europe/Berlin'),
      ],
    },
    {
      type: 'section',
      block_id: 'metrics',
      fields: [
        md('*Spend*\n€336.84 (+12%)'),
        md('*Impressions*\n181,204 (+4%)'),
        md('*Reach (sum of daily)*\n96,310'),
        md('*Clicks*\n2,391'),
        md('*CTR*\n1.32%'),
        md('*CPC*\n€0.14'),
        md('*CPM*\n€1.86'),
        md('*Results (Purchases)*\n212'),
        md('*Cost per result*\n€1.59'),
        plain('ROAS 4.21×'),
      ],
    },
    {
      type: 'image',
      image_url: 'https://promoly.example.com/charts/spend-7d.png',
      alt_text: 'Daily spend over the last 7 days',
      title: plain('Spend per day'),
    },
    {
      type: 'actions',
      block_id: 'metrics_actions',
      elements: [
        button('Pause campaign', 'pause_campaign', {
          style: 'danger',
          value: '120210000000001',
          confirm: {
            title: plain('Pause Spring Sale?'),
            text: md('Ads stop delivering *immediately*.'),
            confirm: plain('Pause'),
            deny: plain('Keep running'),
            style: 'danger',
          },
        }),
        button('Raise budget 20%', 'raise_budget', {
          style: 'primary',
          value: '120210000000001',
          accessibility_label: 'Raise the daily budget by 20 percent',
        }),
        button('Open in Ads Manager', 'open_ads_manager', { url: 'https://adsmanager.facebook.com/adsmanager/manage/campaigns?act=1' }),
        {
          type: 'static_select',
          action_id: 'metrics_period',
          placeholder: plain('Period'),
          options: [option('Yesterday', 'yesterday'), option('Last 7 days', 'last_7d'), option('Last 30 days', 'last_30d')],
          initial_option: option('Last 7 days', 'last_7d'),
        },
        { type: 'datepicker', action_id: 'metrics_since', initial_date: '2025-03-01', placeholder: plain('Since') },
      ],
    },
    {
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: 'Notes from ', style: { bold: true } },
            { type: 'user', user_id: 'U012AB3CD' },
            { type: 'emoji', name: 'chart_with_upwards_trend' },
          ],
        },
        {
          type: 'rich_text_list',
          style: 'bullet',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'Creative B beats A on CTR' }] }],
        },
        { type: 'rich_text_quote', elements: [{ type: 'link', url: 'https://www.facebook.com/business/help', text: 'Meta help' }] },
        { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'cpa = spend / purchases' }] },
      ],
    },
    { type: 'markdown', text: '**Suggestion:** move €10/day from *Brand awareness Q2* to *Spring Sale*.' },
    { type: 'context', elements: [md('Data synced 5 min ago; the last 3 days may still be revised by Meta.')] },
  ],
}

const createCampaignModal = modal(
  [
    { type: 'section', text: md('Create a campaign in *Acme Shop EU*. It starts *paused*.') },
    input('account', 'Ad account', {
      type: 'static_select',
      action_id: 'account_select',
      placeholder: plain('Choose an ad account'),
      option_groups: [
        { label: plain('Acme Shop'), options: [option('Acme Shop EU (EUR)', 'act_1'), option('Acme Shop US (USD)', 'act_2')] },
        { label: plain('Agency clients'), options: [option('Bistro Nord (EUR)', 'act_3')] },
      ],
      initial_option: option('Acme Shop EU (EUR)', 'act_1'),
    }),
    input('name', 'Campaign name', {
      type: 'plain_text_input',
      action_id: 'name_input',
      min_length: 3,
      max_length: 200,
      initial_value: 'Summer Sale',
      focus_on_load: true,
    }),
    input(
      'notes',
      'Internal notes',
      { type: 'plain_text_input', action_id: 'notes_input', multiline: true, placeholder: plain('Anything the team should know') },
      { optional: true, hint: plain('Not sent to Meta.') },
    ),
    input('objective', 'Objective', {
      type: 'radio_buttons',
      action_id: 'objective_radio',
      options: [
        { text: md('*Sales* — purchases on your site'), value: 'OUTCOME_SALES', description: plain('Needs a pixel') },
        { text: plain('Leads'), value: 'OUTCOME_LEADS' },
        { text: plain('Awareness'), value: 'OUTCOME_AWARENESS' },
      ],
      initial_option: { text: md('*Sales* — purchases on your site'), value: 'OUTCOME_SALES', description: plain('Needs a pixel') },
    }),
    input(
      'budget',
      'Daily budget',
      {
        type: 'number_input',
        action_id: 'budget_input',
        is_decimal_allowed: true,
        min_value: '1',
        max_value: '10000',
        initial_value: '49.90',
      },
      { hint: plain("In the ad account's currency.") },
    ),
    input('countries', 'Countries', {
      type: 'multi_static_select',
      action_id: 'countries_select',
      max_selected_items: 25,
      options: [option('Germany', 'DE'), option('Austria', 'AT'), option('Switzerland', 'CH')],
      initial_options: [option('Germany', 'DE'), option('Austria', 'AT')],
    }),
    input(
      'categories',
      'Special ad categories',
      {
        type: 'checkboxes',
        action_id: 'categories_checkboxes',
        options: [option('Credit', 'CREDIT'), option('Employment', 'EMPLOYMENT'), option('Housing', 'HOUSING')],
        initial_options: [option('Housing', 'HOUSING')],
      },
      { optional: true },
    ),
    input('start_date', 'Start date', {
      type: 'datepicker',
      action_id: 'start_date',
      initial_date: '2025-06-01',
      placeholder: plain('Pick a day'),
    }),
    input('start_time', 'Start time', { type: 'timepicker', action_id: 'start_time', initial_time: '09:30', timezone: 'Europe/Berlin' }),
    input('end', 'Ends', { type: 'datetimepicker', action_id: 'end_at', initial_date_time: 1751320800 }, { optional: true }),
    input('owner', 'Owner', { type: 'users_select', action_id: 'owner_select', initial_user: 'U012AB3CD' }),
    input(
      'reviewers',
      'Reviewers',
      { type: 'multi_users_select', action_id: 'reviewers_select', initial_users: ['U012AB3CD', 'U045EF6GH'] },
      { optional: true },
    ),
    input('report_to', 'Post reports in', {
      type: 'conversations_select',
      action_id: 'report_conversation',
      default_to_current_conversation: true,
      response_url_enabled: true,
      filter: { include: ['public', 'private'], exclude_bot_users: true },
    }),
    input(
      'cc',
      'Also notify',
      { type: 'multi_conversations_select', action_id: 'cc_conversations', filter: { exclude_external_shared_channels: true } },
      { optional: true },
    ),
    input('digest_channel', 'Digest channel', { type: 'channels_select', action_id: 'digest_channel', initial_channel: 'C0123456789' }),
    input(
      'mirror',
      'Mirror to',
      { type: 'multi_channels_select', action_id: 'mirror_channels', initial_channels: ['C0123456789'] },
      { optional: true },
    ),
    input(
      'audience',
      'Saved audience',
      {
        type: 'external_select',
        action_id: 'audience_search',
        min_query_length: 2,
        initial_option: option('Newsletter subscribers', 'aud_1'),
      },
      { optional: true },
    ),
    input(
      'interests',
      'Interests',
      { type: 'multi_external_select', action_id: 'interests_search', min_query_length: 3 },
      { optional: true },
    ),
    input(
      'contact',
      'Contact email',
      { type: 'email_text_input', action_id: 'contact_email', initial_value: 'ads@acme.example' },
      { optional: true },
    ),
    input(
      'landing',
      'Landing page',
      { type: 'url_text_input', action_id: 'landing_url', dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] } },
      { dispatch_action: true },
    ),
    { type: 'context', elements: [md('The campaign is created *paused* on Meta: it spends nothing until it is activated.')] },
  ],
  {
    callback_id: 'promoly_create_campaign',
    private_metadata: JSON.stringify({ channelId: 'C0123456789' }),
    submit: plain('Create (paused)'),
    notify_on_close: true,
  },
)

const homeView = {
  type: 'home',
  callback_id: 'promoly_home',
  blocks: [
    { type: 'header', text: plain('Promoly') },
    section('Your ad accounts at a glance.', {
      accessory: { type: 'image', image_url: 'https://promoly.example.com/logo.png', alt_text: 'Promoly logo' },
    }),
    section('*Default account*', {
      accessory: { type: 'static_select', action_id: 'home_account', options: [option('Acme Shop EU', 'act_1')] },
    }),
    section('*Countries*', { accessory: { type: 'multi_static_select', action_id: 'home_countries', options: [option('Germany', 'DE')] } }),
    section('*Digest day*', { accessory: { type: 'datepicker', action_id: 'home_digest_day' } }),
    section('*Digest time*', { accessory: { type: 'timepicker', action_id: 'home_digest_time', initial_time: '08:00' } }),
    section('*Alerts*', {
      accessory: { type: 'checkboxes', action_id: 'home_alerts', options: [{ text: md('*Overspend*'), value: 'overspend' }] },
    }),
    section('*Digest*', {
      accessory: {
        type: 'radio_buttons',
        action_id: 'home_digest',
        options: [option('Daily', 'daily'), option('Weekly', 'weekly')],
        initial_option: option('Weekly', 'weekly'),
      },
    }),
    section('*Approver*', { accessory: { type: 'users_select', action_id: 'home_approver' } }),
    section('*Reports go to*', { accessory: { type: 'conversations_select', action_id: 'home_reports' } }),
    section('*Alerts channel*', { accessory: { type: 'channels_select', action_id: 'home_alerts_channel' } }),
    { type: 'image', slack_file: { id: 'F0123456789' }, alt_text: 'Spend chart' },
    {
      type: 'actions',
      elements: [
        button('Connect Meta', 'home_connect', { style: 'primary' }),
        { type: 'overflow', action_id: 'home_more', options: [option('Help', 'help'), option('Sync now', 'sync')] },
        { type: 'checkboxes', action_id: 'home_flags', options: [option('Mute alerts', 'mute')] },
        { type: 'radio_buttons', action_id: 'home_units', options: [option('EUR', 'EUR'), option('USD', 'USD')] },
        { type: 'timepicker', action_id: 'home_quiet_from' },
        { type: 'datetimepicker', action_id: 'home_pause_until' },
        { type: 'multi_users_select', action_id: 'home_team' },
        { type: 'multi_conversations_select', action_id: 'home_watch' },
        { type: 'multi_channels_select', action_id: 'home_watch_channels' },
        { type: 'external_select', action_id: 'home_find_campaign' },
        { type: 'multi_external_select', action_id: 'home_find_campaigns' },
      ],
    },
    input('home_note', 'Quick note', { type: 'plain_text_input', action_id: 'home_note_input' }),
  ],
}

describe('valid payloads', () => {
  it('accepts a campaign list message', () => {
    expect(validateMessage(campaignList)).toEqual([])
  })

  it('accepts a metrics card with fields, images, action buttons, rich text and markdown', () => {
    expect(validateMessage(metricsCard)).toEqual([])
  })

  it('accepts a text-only message and a blocks-only message', () => {
    expect(validateMessage({ text: 'Sync finished.' })).toEqual([])
    expect(validateMessage({ blocks: [{ type: 'divider' }, section('Sync finished.')] })).toEqual([])
  })

  it('accepts a create-campaign modal with every input element', () => {
    expect(validateView(createCampaignModal)).toEqual([])
  })

  it('accepts a modal without input blocks and without submit', () => {
    expect(
      validateView({ type: 'modal', title: plain('Campaign details'), close: plain('Close'), blocks: [section('Nothing to edit here.')] }),
    ).toEqual([])
  })

  it('accepts a Home tab with every accessory and actions element type, and an input block', () => {
    expect(validateView(homeView)).toEqual([])
  })

  it('accepts the maximum sizes exactly', () => {
    expect(validateMessage({ text: 'x', blocks: Array.from({ length: 50 }, () => ({ type: 'divider' })) })).toEqual([])
    expect(validateView(modal(Array.from({ length: 100 }, () => ({ type: 'divider' }))))).toEqual([])
    expect(
      validateMessage({
        text: 'x',
        blocks: [
          section(x(3000)),
          { type: 'header', text: plain(x(150)) },
          { type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button(x(75), `a${i}`)) },
        ],
      }),
    ).toEqual([])
    expect(
      validateView(
        modal([], {
          title: plain(x(24)),
          submit: plain(x(24)),
          close: plain(x(24)),
          callback_id: x(255),
          private_metadata: x(3000),
          external_id: x(255),
        }),
      ),
    ).toEqual([])
  })

  it('counts characters as code points, so emoji are one character each', () => {
    expect(validateView(modal([], { title: plain('📈'.repeat(24)) }))).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// Rejections

describe('messages and views', () => {
  it('rejects a message with more than 50 blocks', () => {
    expect(validateMessage({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toEqual([
      'message: blocks must have at most 50 items, got 51',
    ])
  })

  it('rejects a modal with more than 100 blocks', () => {
    expect(validateView(modal(Array.from({ length: 101 }, () => ({ type: 'divider' }))))).toEqual([
      'view (modal): blocks must have at most 100 items, got 101',
    ])
  })

  it('rejects a Home tab with more than 100 blocks', () => {
    expect(validateView({ type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) })).toEqual([
      'view (home): blocks must have at most 100 items, got 101',
    ])
  })

  it('rejects a message with neither text nor blocks', () => {
    expect(validateMessage({})).toEqual(['message: needs non-empty text or blocks'])
    expect(validateMessage({ text: '', blocks: [] })).toEqual(['message: needs non-empty text or blocks'])
    expect(validateMessage({ text: 42, blocks: {} })).toEqual([
      'message: text must be a string, got number',
      'message: blocks must be an array, got object',
      'message: needs non-empty text or blocks',
    ])
  })

  it('rejects blocks that are not objects or have no known type', () => {
    expect(
      validateMessage({ text: 'x', blocks: ['divider', { text: md('hi') }, { type: 'sektion' }, { type: 'table', rows: [] }] }),
    ).toEqual([
      'blocks[0]: must be a block object, got "divider"',
      'blocks[1]: type is required',
      'blocks[2]: unknown block type "sektion"',
      'blocks[3]: block type "table" exists in Slack but is not modelled by the playground validator',
    ])
  })

  it('rejects unknown fields, as Slack does', () => {
    expect(
      validateMessage({
        text: 'x',
        blocks: [
          { type: 'section', text: md('hi'), acessory: button('Go', 'go') },
          { type: 'header', text: { type: 'mrkdwn', text: 'hi', emoji: true } },
        ],
      }),
    ).toEqual([
      'blocks[0] (section): unknown field "acessory"',
      'blocks[1] (header): text must be plain_text, not mrkdwn',
      'blocks[1] (header): text has unknown field "emoji"',
    ])
  })

  it('rejects markdown blocks over 12000 characters in total', () => {
    expect(validateMessage({ text: 'x', blocks: [{ type: 'markdown', text: x(12001) }] })).toEqual([
      'blocks[0] (markdown): text must be 1–12000 characters, got 12001',
    ])
    expect(
      validateMessage({
        text: 'x',
        blocks: [
          { type: 'markdown', text: x(7000) },
          { type: 'markdown', text: x(5001) },
        ],
      }),
    ).toEqual(['message: markdown blocks may hold at most 12000 characters in total, got 12001'])
  })

  it('rejects an input block in a message', () => {
    expect(validateMessage({ text: 'x', blocks: [input('name', 'Name', { type: 'plain_text_input', action_id: 'name' })] })).toEqual([
      'blocks[0] (input): input blocks are only allowed in modals and Home tabs, not in messages',
    ])
  })

  it('rejects a view without a valid type', () => {
    expect(validateView({ title: plain('Test'), blocks: [] })).toEqual(['view: type is required ("modal" or "home")'])
    expect(validateView({ type: 'dialog', title: plain('Test'), blocks: [] })).toEqual([
      'view (dialog): type must be "modal" or "home", got "dialog"',
    ])
    expect(validateView('modal')).toEqual(['view: must be a view object, got "modal"'])
  })

  it('rejects a modal without title or blocks', () => {
    expect(validateView({ type: 'modal' })).toEqual(['view (modal): blocks is required', 'view (modal): title is required'])
  })

  it('rejects a modal title, submit or close over 24 characters', () => {
    expect(validateView(modal([], { title: plain('Create a new Meta campaign'), submit: plain(x(25)), close: plain(x(26)) }))).toEqual([
      'view (modal): title must be 1–24 characters, got 26',
      'view (modal): submit must be 1–24 characters, got 25',
      'view (modal): close must be 1–24 characters, got 26',
    ])
  })

  it('rejects a modal with input blocks but no submit', () => {
    const view = modal([input('name', 'Name', { type: 'plain_text_input', action_id: 'name' })])
    delete (view as Record<string, unknown>).submit
    expect(validateView(view)).toEqual(['view (modal): submit is required when the modal has input blocks'])
  })

  it('rejects callback_id, private_metadata and external_id over their limits', () => {
    expect(validateView(modal([], { callback_id: x(256), private_metadata: x(3001), external_id: x(256) }))).toEqual([
      'view (modal): callback_id must be at most 255 characters, got 256',
      'view (modal): private_metadata must be at most 3000 characters, got 3001',
      'view (modal): external_id must be at most 255 characters, got 256',
    ])
  })

  it('rejects two elements with focus_on_load in one view', () => {
    const view = modal([
      input('a', 'A', { type: 'plain_text_input', action_id: 'a', focus_on_load: true }),
      input('b', 'B', { type: 'static_select', action_id: 'b', focus_on_load: true, options: [option('One', '1')] }),
    ])
    expect(validateView(view)).toEqual([
      'blocks[1].element (static_select): only one element per view may set focus_on_load (already set by blocks[0].element)',
    ])
  })
})

describe('block ids and action ids', () => {
  it('rejects a duplicate action_id within a block, and allows the same action_id in different blocks (as Slack)', () => {
    const blocks = [
      { type: 'actions', elements: [button('Approve', 'approve'), button('Reject', 'reject'), button('Approve again', 'approve')] },
      section('Budget change', { accessory: button('Approve', 'approve') }),
      { type: 'actions', elements: [button('Reject', 'reject_budget'), button('Approve', 'approve')] },
    ]
    expect(validateMessage({ text: 'x', blocks })).toEqual([
      'blocks[0].elements[2] (button): duplicate action_id "approve" (also used by blocks[0].elements[0])',
    ])
  })

  it('allows the same action_id in different input blocks of a view', () => {
    const view = modal([
      input('a', 'A', { type: 'plain_text_input', action_id: 'value' }),
      input('b', 'B', { type: 'number_input', is_decimal_allowed: false, action_id: 'value' }),
    ])
    expect(validateView(view)).toEqual([])
  })

  it('rejects a duplicate block_id', () => {
    const blocks = [section('One', { block_id: 'summary' }), { type: 'divider', block_id: 'line' }, section('Two', { block_id: 'summary' })]
    expect(validateMessage({ text: 'x', blocks })).toEqual(['blocks[2] (section): duplicate block_id "summary" (also used by blocks[0])'])
  })

  it('rejects a block_id or action_id over 255 characters', () => {
    const blocks = [{ type: 'actions', block_id: x(256), elements: [button('Go', `go_${x(253)}`)] }]
    expect(validateMessage({ text: 'x', blocks })).toEqual([
      'blocks[0] (actions): block_id must be 1–255 characters, got 256',
      'blocks[0].elements[0] (button): action_id must be 1–255 characters, got 256',
    ])
  })
})

describe('blocks', () => {
  it('rejects section text over 3000 characters', () => {
    expect(
      validateMessage({ text: 'x', blocks: [{ type: 'divider' }, { type: 'divider' }, { type: 'divider' }, section(x(3120))] }),
    ).toEqual(['blocks[3] (section): text must be 1–3000 characters, got 3120'])
  })

  it('rejects empty text objects', () => {
    expect(validateMessage({ text: 'x', blocks: [section('')] })).toEqual(['blocks[0] (section): text must be 1–3000 characters, got 0'])
  })

  it('rejects more than 10 section fields, and a field over 2000 characters', () => {
    expect(
      validateMessage({ text: 'x', blocks: [{ type: 'section', fields: Array.from({ length: 11 }, (_, i) => md(`*${i}*`)) }] }),
    ).toEqual(['blocks[0] (section): fields must have 1–10 items, got 11'])
    expect(validateMessage({ text: 'x', blocks: [{ type: 'section', fields: [md('*Spend*'), md(x(2001))] }] })).toEqual([
      'blocks[0] (section): fields[1] must be 1–2000 characters, got 2001',
    ])
  })

  it('rejects a section without text or fields', () => {
    expect(validateMessage({ text: 'x', blocks: [{ type: 'section', accessory: button('Go', 'go') }] })).toEqual([
      'blocks[0] (section): text or fields is required',
    ])
  })

  it('rejects a header over 150 characters, or without text', () => {
    expect(validateMessage({ text: 'x', blocks: [{ type: 'header', text: plain(x(151)) }, { type: 'header' }] })).toEqual([
      'blocks[0] (header): text must be 1–150 characters, got 151',
      'blocks[1] (header): text is required',
    ])
  })

  it('rejects a context block with more than 10 elements, none, or interactive ones', () => {
    expect(validateMessage({ text: 'x', blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => md('·')) }] })).toEqual([
      'blocks[0] (context): elements must have 1–10 items, got 11',
    ])
    expect(validateMessage({ text: 'x', blocks: [{ type: 'context', elements: [] }, { type: 'context' }] })).toEqual([
      'blocks[0] (context): elements must have 1–10 items, got 0',
      'blocks[1] (context): elements is required',
    ])
    expect(validateMessage({ text: 'x', blocks: [{ type: 'context', elements: [button('Go', 'go')] }] })).toEqual([
      'blocks[0].elements[0] (button): button is not allowed in a context block (allowed in an actions block, as a section accessory)',
    ])
  })

  it('rejects an actions block with more than 25 elements', () => {
    expect(
      validateMessage({
        text: 'x',
        blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`B${i}`, `b${i}`)) }],
      }),
    ).toEqual(['blocks[0] (actions): elements must have 1–25 items, got 26'])
  })

  it('rejects an image block without alt_text or image source, and over its limits', () => {
    expect(validateMessage({ text: 'x', blocks: [{ type: 'image', image_url: 'https://promoly.example.com/chart.png' }] })).toEqual([
      'blocks[0] (image): alt_text is required',
    ])
    expect(validateMessage({ text: 'x', blocks: [{ type: 'image', alt_text: 'chart' }] })).toEqual([
      'blocks[0] (image): image_url (or slack_file) is required',
    ])
    expect(
      validateMessage({
        text: 'x',
        blocks: [{ type: 'image', image_url: `https://e.x/${x(2990)}`, alt_text: x(2001), title: md('Chart') }],
      }),
    ).toEqual([
      'blocks[0] (image): image_url must be at most 3000 characters, got 3002',
      'blocks[0] (image): alt_text must be at most 2000 characters, got 2001',
      'blocks[0] (image): title must be plain_text, not mrkdwn',
    ])
  })

  it('rejects an input block without label or element, and a label or hint over 2000', () => {
    expect(
      validateView(
        modal([
          { type: 'input', element: { type: 'plain_text_input' } },
          { type: 'input', label: plain('Name') },
        ]),
      ),
    ).toEqual(['blocks[0] (input): label is required', 'blocks[1] (input): element is required'])
    expect(validateView(modal([input('n', x(2001), { type: 'plain_text_input' }, { hint: plain(x(2001)) })]))).toEqual([
      'blocks[0] (input): label must be 1–2000 characters, got 2001',
      'blocks[0] (input): hint must be 1–2000 characters, got 2001',
    ])
  })

  it('rejects elements that do not belong in the block', () => {
    expect(
      validateView(
        modal([input('b', 'Go', button('Go', 'go')), section('Name', { accessory: { type: 'plain_text_input', action_id: 'name' } })]),
      ),
    ).toEqual([
      'blocks[0].element (button): button is not allowed in an input block (allowed in an actions block, as a section accessory)',
      'blocks[1].accessory (plain_text_input): plain_text_input is not allowed as a section accessory (allowed in an input block)',
    ])
    expect(
      validateMessage({
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'image', image_url: 'https://e.x/a.png', alt_text: 'a' }, { type: 'workflow_button' }, { type: 'slider' }],
          },
        ],
      }),
    ).toEqual([
      'blocks[0].elements[0] (image): image is not allowed in an actions block (allowed as a section accessory, in a context block)',
      'blocks[0].elements[1]: element type "workflow_button" exists in Slack but is not modelled by the playground validator',
      'blocks[0].elements[2]: unknown element type "slider"',
    ])
  })

  it('rejects malformed rich_text', () => {
    const blocks = [
      {
        type: 'rich_text',
        elements: [
          { type: 'rich_text_list', style: 'numbered', elements: [{ type: 'text', text: 'x' }] },
          { type: 'rich_text_section', elements: [{ type: 'link' }, { type: 'bold', text: 'x' }] },
          { type: 'paragraph', elements: [] },
        ],
      },
    ]
    expect(validateMessage({ text: 'x', blocks })).toEqual([
      'blocks[0] (rich_text): elements[0].style must be "bullet" or "ordered", got "numbered"',
      'blocks[0] (rich_text): elements[0].elements[0] must be a rich_text_section',
      'blocks[0] (rich_text): elements[1].elements[0].url is required',
      'blocks[0] (rich_text): elements[1].elements[1] must be a rich text element (text, link, emoji, user, usergroup, channel, team, broadcast, date, color), got "bold"',
      'blocks[0] (rich_text): elements[2] must be one of rich_text_section, rich_text_list, rich_text_quote, rich_text_preformatted, got "paragraph"',
    ])
  })
})

describe('text objects', () => {
  it.each([
    ['header text', { blocks: [{ type: 'header', text: md('*Campaigns*') }] }, 'blocks[0] (header): text must be plain_text, not mrkdwn'],
    [
      'button text',
      { blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'go', text: md('*Go*') }] }] },
      'blocks[0].elements[0] (button): text must be plain_text, not mrkdwn',
    ],
    [
      'select option text',
      { blocks: [section('Pick', { accessory: { type: 'static_select', action_id: 's', options: [{ text: md('*One*'), value: '1' }] } })] },
      'blocks[0].accessory (static_select): options[0].text must be plain_text, not mrkdwn',
    ],
    [
      'overflow option text',
      { blocks: [section('More', { accessory: { type: 'overflow', options: [{ text: md('_Help_'), value: 'help' }] } })] },
      'blocks[0].accessory (overflow): options[0].text must be plain_text, not mrkdwn',
    ],
    [
      'placeholder',
      { blocks: [{ type: 'actions', elements: [{ type: 'users_select', placeholder: md('Pick _someone_') }] }] },
      'blocks[0].elements[0] (users_select): placeholder must be plain_text, not mrkdwn',
    ],
    [
      'confirm title',
      {
        blocks: [
          { type: 'actions', elements: [button('Pause', 'pause', { confirm: { title: md('*Sure?*'), text: plain('Ads stop.') } })] },
        ],
      },
      'blocks[0].elements[0] (button): confirm.title must be plain_text, not mrkdwn',
    ],
  ])('rejects mrkdwn as %s in a message', (_name, message, problem) => {
    expect(validateMessage({ text: 'x', ...message })).toEqual([problem])
  })

  it.each([
    [
      'input label',
      modal([{ type: 'input', label: md('*Name*'), element: { type: 'plain_text_input' } }]),
      'blocks[0] (input): label must be plain_text, not mrkdwn',
    ],
    [
      'input hint',
      modal([input('n', 'Name', { type: 'plain_text_input' }, { hint: md('_short_') })]),
      'blocks[0] (input): hint must be plain_text, not mrkdwn',
    ],
    ['modal title', modal([], { title: md('*New*') }), 'view (modal): title must be plain_text, not mrkdwn'],
    ['modal submit', modal([], { submit: md('*Save*') }), 'view (modal): submit must be plain_text, not mrkdwn'],
    ['modal close', modal([], { close: md('_Cancel_') }), 'view (modal): close must be plain_text, not mrkdwn'],
    [
      'input placeholder',
      modal([input('n', 'Name', { type: 'plain_text_input', placeholder: md('*50*') })]),
      'blocks[0].element (plain_text_input): placeholder must be plain_text, not mrkdwn',
    ],
  ])('rejects mrkdwn as %s in a view', (_name, view, problem) => {
    expect(validateView(view)).toEqual([problem])
  })

  it('rejects text objects without a valid type or text', () => {
    expect(
      validateMessage({
        text: 'x',
        blocks: [
          { type: 'section', text: 'hello' },
          { type: 'section', text: { type: 'markdown', text: 'hi' } },
          { type: 'section', text: { type: 'mrkdwn' } },
        ],
      }),
    ).toEqual([
      'blocks[0] (section): text must be a text object { type, text }, got "hello"',
      'blocks[1] (section): text.type must be "plain_text" or "mrkdwn", got "markdown"',
      'blocks[2] (section): text.text is required',
    ])
  })
})

describe('elements', () => {
  it('rejects button text over 75 characters and a button without text', () => {
    expect(
      validateMessage({
        text: 'x',
        blocks: [{ type: 'actions', elements: [button(x(76), 'long'), { type: 'button', action_id: 'empty' }] }],
      }),
    ).toEqual(['blocks[0].elements[0] (button): text must be 1–75 characters, got 76', 'blocks[0].elements[1] (button): text is required'])
  })

  it('rejects button value, url, style, accessibility_label and confirm dialog over their limits', () => {
    const b = button('Pause', 'pause', {
      value: x(2001),
      url: x(3001),
      style: 'secondary',
      accessibility_label: x(76),
      confirm: { title: plain(x(101)), text: md(x(301)), confirm: plain(x(31)), deny: plain(x(31)), style: 'warning' },
    })
    expect(validateMessage({ text: 'x', blocks: [{ type: 'actions', elements: [b] }] })).toEqual([
      'blocks[0].elements[0] (button): confirm.title must be 1–100 characters, got 101',
      'blocks[0].elements[0] (button): confirm.text must be 1–300 characters, got 301',
      'blocks[0].elements[0] (button): confirm.confirm must be 1–30 characters, got 31',
      'blocks[0].elements[0] (button): confirm.deny must be 1–30 characters, got 31',
      'blocks[0].elements[0] (button): confirm.style must be "primary" or "danger", got "warning"',
      'blocks[0].elements[0] (button): value must be at most 2000 characters, got 2001',
      'blocks[0].elements[0] (button): url must be at most 3000 characters, got 3001',
      'blocks[0].elements[0] (button): style must be "primary" or "danger", got "secondary"',
      'blocks[0].elements[0] (button): accessibility_label must be at most 75 characters, got 76',
    ])
    expect(
      validateMessage({
        text: 'x',
        blocks: [{ type: 'actions', elements: [button('Pause', 'pause', { confirm: { title: plain('Sure?') } })] }],
      }),
    ).toEqual(['blocks[0].elements[0] (button): confirm.text is required'])
  })

  it('rejects an initial_option that is not among the options', () => {
    const select = {
      type: 'static_select',
      action_id: 'period',
      options: [option('Yesterday', 'yesterday'), option('Last 7 days', 'last_7d')],
      initial_option: option('Last 30 days', 'last_30d'),
    }
    expect(validateMessage({ text: 'x', blocks: [section('Period', { accessory: select })] })).toEqual([
      'blocks[0].accessory (static_select): initial_option (value "last_30d") is not one of the options',
    ])
  })

  it('rejects initial options not among the options of multi selects, option groups, checkboxes and radio buttons', () => {
    const view = modal([
      input('a', 'A', {
        type: 'multi_static_select',
        options: [option('DE', 'DE')],
        initial_options: [option('DE', 'DE'), option('FR', 'FR')],
      }),
      input('b', 'B', {
        type: 'static_select',
        option_groups: [{ label: plain('EU'), options: [option('DE', 'DE')] }],
        initial_option: option('US', 'US'),
      }),
      input('c', 'C', { type: 'checkboxes', options: [option('Credit', 'CREDIT')], initial_options: [option('Housing', 'HOUSING')] }),
      input('d', 'D', { type: 'radio_buttons', options: [option('Daily', 'daily')], initial_option: option('Weekly', 'weekly') }),
    ])
    expect(validateView(view)).toEqual([
      'blocks[0].element (multi_static_select): initial_options[1] (value "FR") is not one of the options',
      'blocks[1].element (static_select): initial_option (value "US") is not one of the options',
      'blocks[2].element (checkboxes): initial_options[0] (value "HOUSING") is not one of the options',
      'blocks[3].element (radio_buttons): initial_option (value "weekly") is not one of the options',
    ])
  })

  it('rejects select menus without options, with both options and groups, or with oversized options', () => {
    const view = modal([
      input('a', 'A', { type: 'static_select' }),
      input('b', 'B', {
        type: 'static_select',
        options: [option('DE', 'DE')],
        option_groups: [{ label: plain('EU'), options: [option('FR', 'FR')] }],
      }),
      input('c', 'C', { type: 'multi_static_select', options: Array.from({ length: 101 }, (_, i) => option(`O${i}`, `o${i}`)) }),
      input('d', 'D', {
        type: 'static_select',
        options: [{ text: plain(x(76)), value: x(151), description: plain(x(76)) }, { text: plain('No value') }],
      }),
      input('e', 'E', { type: 'static_select', placeholder: plain(x(151)), option_groups: [{ options: [] }] }),
    ])
    expect(validateView(view)).toEqual([
      'blocks[0].element (static_select): options (or option_groups) is required',
      'blocks[1].element (static_select): set either options or option_groups, not both',
      'blocks[2].element (multi_static_select): options must have 1–100 items, got 101',
      'blocks[3].element (static_select): options[0].text must be 1–75 characters, got 76',
      'blocks[3].element (static_select): options[0].value must be 1–150 characters, got 151',
      'blocks[3].element (static_select): options[0].description must be 1–75 characters, got 76',
      'blocks[3].element (static_select): options[1].value is required',
      'blocks[4].element (static_select): placeholder must be 1–150 characters, got 151',
      'blocks[4].element (static_select): option_groups[0].label is required',
      'blocks[4].element (static_select): option_groups[0].options must have 1–100 items, got 0',
    ])
  })

  it('rejects an overflow menu with 6 options', () => {
    const overflow = { type: 'overflow', action_id: 'more', options: Array.from({ length: 6 }, (_, i) => option(`Option ${i}`, `o${i}`)) }
    expect(validateMessage({ text: 'x', blocks: [section('Campaign', { accessory: overflow })] })).toEqual([
      'blocks[0].accessory (overflow): options must have 1–5 items, got 6',
    ])
  })

  it('rejects checkboxes and radio buttons with more than 10 options, and url on non-overflow options', () => {
    const many = Array.from({ length: 11 }, (_, i) => option(`Option ${i}`, `o${i}`))
    expect(
      validateMessage({
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'checkboxes', options: many },
              { type: 'radio_buttons', options: [{ ...option('Help', 'help'), url: 'https://e.x' }] },
            ],
          },
        ],
      }),
    ).toEqual([
      'blocks[0].elements[0] (checkboxes): options must have 1–10 items, got 11',
      'blocks[0].elements[1] (radio_buttons): options[0] has unknown field "url"',
    ])
  })

  it('rejects plain_text_input lengths that contradict each other', () => {
    const view = modal([
      input('a', 'A', { type: 'plain_text_input', min_length: 50, max_length: 10 }),
      input('b', 'B', { type: 'plain_text_input', max_length: 5, initial_value: 'Summer Sale' }),
      input('c', 'C', { type: 'plain_text_input', max_length: 3001, min_length: -1 }),
    ])
    expect(validateView(view)).toEqual([
      'blocks[0].element (plain_text_input): min_length (50) must not exceed max_length (10)',
      'blocks[1].element (plain_text_input): initial_value must be at most 5 characters (max_length), got 11',
      'blocks[2].element (plain_text_input): min_length must be between 0 and 3000, got -1',
      'blocks[2].element (plain_text_input): max_length must be between 1 and 3000, got 3001',
    ])
  })

  it('rejects number_input without is_decimal_allowed and with inconsistent values', () => {
    const view = modal([
      input('a', 'A', { type: 'number_input' }),
      input('b', 'B', { type: 'number_input', is_decimal_allowed: false, initial_value: '49.90', min_value: '100', max_value: '10' }),
      input('c', 'C', { type: 'number_input', is_decimal_allowed: true, initial_value: 'fifty', min_value: '1', max_value: '10' }),
      input('d', 'D', { type: 'number_input', is_decimal_allowed: true, initial_value: '11', max_value: '10' }),
    ])
    expect(validateView(view)).toEqual([
      'blocks[0].element (number_input): is_decimal_allowed is required',
      'blocks[1].element (number_input): initial_value must be a whole number when is_decimal_allowed is false, got "49.90"',
      'blocks[1].element (number_input): min_value (100) must not exceed max_value (10)',
      'blocks[2].element (number_input): initial_value must be a number written as a string, got "fifty"',
      'blocks[3].element (number_input): initial_value (11) must be between min_value and max_value',
    ])
  })

  it('rejects malformed dates and times', () => {
    const view = modal([
      input('a', 'A', { type: 'datepicker', initial_date: '2025-02-30' }),
      input('b', 'B', { type: 'datepicker', initial_date: '01/06/2025' }),
      input('c', 'C', { type: 'timepicker', initial_time: '9:30' }),
      input('d', 'D', { type: 'timepicker', initial_time: '24:00' }),
      input('e', 'E', { type: 'datetimepicker', initial_date_time: '2025-06-01T09:30' }),
    ])
    expect(validateView(view)).toEqual([
      'blocks[0].element (datepicker): initial_date must be a date in YYYY-MM-DD format, got "2025-02-30"',
      'blocks[1].element (datepicker): initial_date must be a date in YYYY-MM-DD format, got "01/06/2025"',
      'blocks[2].element (timepicker): initial_time must be a time in HH:mm format (00:00–23:59), got "9:30"',
      'blocks[3].element (timepicker): initial_time must be a time in HH:mm format (00:00–23:59), got "24:00"',
      'blocks[4].element (datetimepicker): initial_date_time must be an integer, got "2025-06-01T09:30"',
    ])
  })

  it('rejects an image element without alt_text or image source', () => {
    expect(
      validateMessage({
        text: 'x',
        blocks: [
          {
            type: 'context',
            elements: [
              { type: 'image', image_url: 'https://e.x/a.png' },
              { type: 'image', alt_text: 'logo' },
            ],
          },
        ],
      }),
    ).toEqual([
      'blocks[0].elements[0] (image): alt_text is required',
      'blocks[0].elements[1] (image): image_url (or slack_file) is required',
    ])
  })

  it('rejects bad conversation filters, dispatch configs and user lists', () => {
    const view = modal([
      input('a', 'A', { type: 'conversations_select', filter: {} }),
      input('b', 'B', { type: 'multi_conversations_select', filter: { include: ['dm'] } }),
      input('c', 'C', { type: 'plain_text_input', dispatch_action_config: { trigger_actions_on: ['on_blur'] } }),
      input('d', 'D', { type: 'multi_users_select', initial_users: 'U012AB3CD', max_selected_items: 0 }),
    ])
    expect(validateView(view)).toEqual([
      'blocks[0].element (conversations_select): filter must set include, exclude_external_shared_channels or exclude_bot_users',
      'blocks[1].element (multi_conversations_select): filter.include[0] must be one of "im", "mpim", "private", "public", got "dm"',
      'blocks[2].element (plain_text_input): dispatch_action_config.trigger_actions_on[0] must be "on_enter_pressed" or "on_character_entered", got "on_blur"',
      'blocks[3].element (multi_users_select): max_selected_items must be at least 1, got 0',
      'blocks[3].element (multi_users_select): initial_users must be an array, got "U012AB3CD"',
    ])
  })
})
