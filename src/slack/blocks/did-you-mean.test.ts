import { describe, expect, it } from 'vitest'
import { validateMessage } from '../../playground/block-kit-validator.ts'
import { DID_YOU_MEAN_ACTION_PREFIX, didYouMeanMessage } from './did-you-mean.ts'

describe('did you mean', () => {
  it('is valid Block Kit: one button per option carrying the command to run, long labels cut, over-long commands left out', () => {
    const message = didYouMeanMessage('No campaign matches "Sprng". Did you mean *Spring Sale*?', [
      { label: 'Spring Sale (Acme Store)', command: 'pause 120001' },
      { label: `${'Very long name '.repeat(10)}(Acme Store)`, command: 'budget 120002 +20%' },
      { label: 'Too long', command: `pause ${'9'.repeat(2000)}` },
    ])
    expect(validateMessage(message)).toEqual([])
    const actions = message.blocks.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value: string; text: { text: string } }>
    }
    expect(actions.elements.map((e) => e.action_id)).toEqual([`${DID_YOU_MEAN_ACTION_PREFIX}0`, `${DID_YOU_MEAN_ACTION_PREFIX}1`])
    expect(actions.elements.map((e) => JSON.parse(e.value))).toEqual([{ command: 'pause 120001' }, { command: 'budget 120002 +20%' }])
    expect(actions.elements[1]!.text.text.length).toBeLessThanOrEqual(75)
  })

  it('is the plain error when no option can be offered', () => {
    expect(didYouMeanMessage('No campaign matches "x".', []).blocks.some((b) => b.type === 'actions')).toBe(false)
  })
})
