/** `/promoly clients` messages: within Block Kit's rules (as the playground enforces them), untrusted names escaped. */
import { describe, expect, it } from 'vitest'
import { validateMessage } from '../../playground/block-kit-validator.ts'
import { CLIENT_ACTIONS, clientRemovalQuestion, clientRemovedMessage, clientsListMessage, digestsPausedNotice } from './clients-message.ts'

const acme = {
  id: 'cl_acme',
  name: 'Acme',
  isDefault: false,
  suggestionsChannelId: 'C0ACME001',
  alertsChannelId: null,
  accounts: [{ id: 'a1', name: 'Acme <!channel> EU', metaAccountId: 'act_1', currency: 'EUR', syncEnabled: true }],
  channelIds: ['C0ACME001'],
  activeDigests: 1,
  openSuggestions: 2,
}

describe('clients messages', () => {
  it('lists each client with its accounts, channels and counts, escaping account names', () => {
    const house = {
      ...acme,
      id: 'cl_house',
      name: 'Our accounts',
      isDefault: true,
      accounts: [],
      channelIds: [],
      suggestionsChannelId: null,
    }
    const message = clientsListMessage([house, acme])
    expect(validateMessage(message)).toEqual([])
    const text = JSON.stringify(message.blocks)
    expect(text).toContain('*Our accounts* _(default: new ad accounts join it)_')
    expect(text).toContain('Acme &lt;!channel&gt; EU (EUR)')
    expect(text).not.toContain('<!channel>')
    expect(text).toContain('<#C0ACME001>')
    expect(text).toContain('1 daily digest · 2 open suggestions')
    const many = clientsListMessage(Array.from({ length: 60 }, (_, i) => ({ ...acme, id: `c${i}`, name: `Client ${i}` })))
    expect(validateMessage(many)).toEqual([])
    expect(JSON.stringify(many.blocks)).toContain('and 20 more clients')
  })

  it('asks before a removal with what it affects, and reports it after', () => {
    const removal = {
      client: { id: 'cl_acme', name: 'Acme' },
      defaultClient: { id: 'cl_house', name: 'Our accounts' },
      accounts: [{ id: 'a1', name: 'Acme EU' }],
      channelIds: ['C0ACME001'],
      subscriptions: [{ id: 's1', channelId: 'C0ACME001', createdBySlackUserId: 'U0CREATOR' }],
    }
    const question = clientRemovalQuestion(removal)
    expect(validateMessage(question)).toEqual([])
    const text = JSON.stringify(question.blocks)
    expect(text).toContain('Its ad account (Acme EU) moves to *Our accounts*, with its history')
    expect(text).toContain('Its daily digest will be paused, and whoever set it up told.')
    expect(text).toContain("<#C0ACME001> will no longer belong to a client: *anyone there will see every client's data*")
    expect(text).toContain(CLIENT_ACTIONS.removeConfirm)
    const done = clientRemovedMessage({ ...removal, creatorsToTell: [{ slackUserId: 'U0CREATOR', channelIds: ['C0ACME001'] }] })
    expect(validateMessage(done)).toEqual([])
    expect(JSON.stringify(done.blocks)).toContain('1 daily digest paused; the person who set it up was told.')
    expect(JSON.stringify(done.blocks)).toContain(
      "1 ad account now belongs to *Our accounts*. <#C0ACME001> no longer belongs to a client and shows every client's data",
    )
    const two = clientRemovalQuestion({
      ...removal,
      accounts: [...removal.accounts, { id: 'a2', name: 'Acme US' }],
      subscriptions: [...removal.subscriptions, ...removal.subscriptions],
    })
    expect(JSON.stringify(two.blocks)).toContain('Its 2 ad accounts (Acme EU, Acme US) move to *Our accounts*, with their history')
    expect(JSON.stringify(two.blocks)).toContain('Its 2 daily digests will be paused, and whoever set them up told.')
    expect(digestsPausedNotice('Acme', ['C0ACME001'], 'U0ADMIN01').text).toContain('<@U0ADMIN01> removed the client *Acme*')
  })
})
