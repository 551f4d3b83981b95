import { describe, expect, it } from 'vitest'
import type { AdAccount } from '../../generated/prisma/client.ts'
import { validateView } from '../../playground/block-kit-validator.ts'
import { DIGEST_FIELDS, digestSubscribeModal } from './digest-subscribe-modal.ts'

const account = (name: string, timezoneName: string) => ({ id: `acc-${name}`, name, currency: 'EUR', timezoneName }) as AdAccount

type Select = {
  type: string
  initial_option?: { value: string }
  option_groups: Array<{ label: { text: string }; options: Array<{ text: { text: string }; value: string }> }>
}

function zoneSelect(view: ReturnType<typeof digestSubscribeModal>): Select {
  const block = view.blocks.find((b) => b.block_id === DIGEST_FIELDS.timeZone.block) as { element: Select } | undefined
  if (!block) throw new Error('no time zone block')
  return block.element
}

describe('the digest form', () => {
  const view = digestSubscribeModal({
    channelId: 'C1',
    accounts: [account('Nordlicht', 'Europe/Berlin'), account('Sakura', 'Asia/Tokyo')],
    defaultTimeZone: 'America/New_York',
  })

  it('is a view Slack accepts (Block Kit limits checked), with the time zone chosen from a select', () => {
    expect(validateView(view)).toEqual([])
    const select = zoneSelect(view)
    expect(select.type).toBe('static_select')
    // The person's Slack time zone selected; the accounts' zones suggested first.
    expect(select.initial_option?.value).toBe('America/New_York')
    expect(select.option_groups[0]?.label.text).toBe('Suggested')
    expect(select.option_groups[0]?.options.map((o) => o.value)).toEqual(['America/New_York', 'Europe/Berlin', 'Asia/Tokyo'])
  })

  it('offers every zone once, in groups of at most 100 named by region', () => {
    const select = zoneSelect(view)
    const values = select.option_groups.flatMap((g) => g.options.map((o) => o.value))
    expect(new Set(values).size).toBe(values.length)
    expect(values).toEqual(expect.arrayContaining([...Intl.supportedValuesOf('timeZone'), 'UTC']))
    for (const g of select.option_groups) expect(g.options.length).toBeLessThanOrEqual(100)
    expect(select.option_groups.map((g) => g.label.text)).toEqual(expect.arrayContaining(['Europe', 'Asia', 'Africa']))
    expect(select.option_groups.filter((g) => g.label.text.startsWith('America')).length).toBe(2)
    expect(select.option_groups[0]?.options[0]?.text.text).toMatch(/^America\/New York \(UTC-0[45]:00\)$/)
  })

  it('selects a zone Intl does not list (an alias) by suggesting it', () => {
    const alias = digestSubscribeModal({ channelId: 'D1', accounts: [], defaultTimeZone: 'Asia/Kolkata' })
    expect(validateView(alias)).toEqual([])
    expect(zoneSelect(alias).initial_option?.value).toBe('Asia/Kolkata')
  })
})
