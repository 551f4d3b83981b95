import { describe, expect, it } from 'vitest'
import { approverErrors } from './client-settings-fields.ts'

describe('approverErrors', () => {
  it('refuses a bot under the field in plain words, without a raw user id', async () => {
    const standing = async (id: string) => (id === 'U0PROMOLY1' ? ('bot' as const) : ('member' as const))
    const error = await approverErrors(['U0PERSON01', 'U0PROMOLY1'], [], standing)
    expect(error).toBe('One of the people you chose is a bot (Promoly, Slackbot or another app): choose people.')
    expect(error).not.toContain('U0PROMOLY1')
    expect(await approverErrors(['U0PROMOLY1'], ['U0PROMOLY1'], standing)).toBeUndefined()
  })
})
