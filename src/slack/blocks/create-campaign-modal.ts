import { OBJECTIVES, SPECIAL_AD_CATEGORIES } from '../../domain/campaigns/campaign-options.ts'
import { CAMPAIGN_NAME_MAX } from '../../domain/changes/change-values.ts'
import type { AdAccount } from '../../generated/prisma/client.ts'
import { truncate } from '../../lib/mrkdwn.ts'
import type { ModalView } from './types.ts'

export const CREATE_CAMPAIGN_VIEW = 'promoly_create_campaign'
export const CREATE_FIELDS = {
  account: { block: 'account', action: 'account_select' },
  name: { block: 'name', action: 'name_input' },
  objective: { block: 'objective', action: 'objective_select' },
  budgetLevel: { block: 'budget_level', action: 'budget_level_select' },
  budget: { block: 'budget', action: 'budget_input' },
  categories: { block: 'special_categories', action: 'special_categories_select' },
  countries: { block: 'special_countries', action: 'special_countries_input' },
} as const

/** Where a new campaign's budget lives: the campaign (a daily amount now) or its ad sets (set when they are created). */
export const BUDGET_LEVELS = { campaign: 'campaign', adSets: 'ad_sets' } as const

const label = (s: string) =>
  s
    .replace('OUTCOME_', '')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/^\w/, (c) => c.toUpperCase())

export function createCampaignModal(accounts: AdAccount[], channelId: string, initial?: { name?: string }): ModalView {
  const budgetOptions = [
    { text: { type: 'plain_text' as const, text: 'Campaign daily budget (the amount below)' }, value: BUDGET_LEVELS.campaign },
    {
      text: { type: 'plain_text' as const, text: 'Budgets on the ad sets (set when the ad sets are created)' },
      value: BUDGET_LEVELS.adSets,
    },
  ]
  // The accounts' own country is the default (one hint for all when they share it).
  const countries = [...new Set(accounts.map((a) => a.countryCode))]
  const defaultCountry = countries.length === 1 && countries[0] ? countries[0] : null
  const countriesHint = defaultCountry
    ? `ISO codes separated by commas, e.g. US, CA. Empty: the ad account's country (${defaultCountry}).`
    : "ISO codes separated by commas, e.g. US, CA. Empty: the ad account's country, where Meta gives one."
  const accountOptions = accounts
    .slice(0, 100)
    .map((a) => ({ text: { type: 'plain_text' as const, text: truncate(`${a.name} (${a.currency})`, 75) }, value: a.id }))
  return {
    type: 'modal',
    callback_id: CREATE_CAMPAIGN_VIEW,
    private_metadata: JSON.stringify({ channelId }),
    title: { type: 'plain_text', text: 'New campaign' },
    submit: { type: 'plain_text', text: 'Create (paused)' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: CREATE_FIELDS.account.block,
        label: { type: 'plain_text', text: 'Ad account' },
        element: {
          type: 'static_select',
          action_id: CREATE_FIELDS.account.action,
          options: accountOptions,
          ...(accountOptions.length === 1 ? { initial_option: accountOptions[0] } : {}),
        },
      },
      {
        type: 'input',
        block_id: CREATE_FIELDS.name.block,
        label: { type: 'plain_text', text: 'Campaign name' },
        element: {
          type: 'plain_text_input',
          action_id: CREATE_FIELDS.name.action,
          max_length: CAMPAIGN_NAME_MAX,
          ...(initial?.name ? { initial_value: initial.name } : {}),
        },
      },
      {
        type: 'input',
        block_id: CREATE_FIELDS.objective.block,
        label: { type: 'plain_text', text: 'Objective' },
        element: {
          type: 'static_select',
          action_id: CREATE_FIELDS.objective.action,
          options: OBJECTIVES.map((o) => ({ text: { type: 'plain_text' as const, text: label(o) }, value: o })),
        },
      },
      {
        type: 'input',
        block_id: CREATE_FIELDS.budgetLevel.block,
        label: { type: 'plain_text', text: 'Budget' },
        element: {
          type: 'radio_buttons',
          action_id: CREATE_FIELDS.budgetLevel.action,
          options: budgetOptions,
          initial_option: budgetOptions[0],
        },
      },
      {
        type: 'input',
        block_id: CREATE_FIELDS.budget.block,
        optional: true,
        label: { type: 'plain_text', text: 'Campaign daily budget' },
        hint: { type: 'plain_text', text: "With a campaign budget: in the ad account's currency, e.g. 50 or 49.90." },
        element: { type: 'plain_text_input', action_id: CREATE_FIELDS.budget.action, placeholder: { type: 'plain_text', text: '50' } },
      },
      {
        type: 'input',
        block_id: CREATE_FIELDS.categories.block,
        optional: true,
        label: { type: 'plain_text', text: 'Special ad categories' },
        hint: { type: 'plain_text', text: 'Required by Meta for ads about credit, employment, housing, politics or gambling.' },
        element: {
          type: 'multi_static_select',
          action_id: CREATE_FIELDS.categories.action,
          options: SPECIAL_AD_CATEGORIES.map((c) => ({ text: { type: 'plain_text' as const, text: label(c) }, value: c })),
        },
      },
      {
        type: 'input',
        block_id: CREATE_FIELDS.countries.block,
        optional: true,
        label: { type: 'plain_text', text: 'Countries of the special ad category' },
        hint: { type: 'plain_text', text: countriesHint },
        element: {
          type: 'plain_text_input',
          action_id: CREATE_FIELDS.countries.action,
          placeholder: { type: 'plain_text', text: defaultCountry ?? 'US, CA' },
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'The campaign is created *paused* on Meta: it spends nothing until it is activated.' }],
      },
    ],
  }
}
