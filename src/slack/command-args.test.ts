import { describe, expect, it } from 'vitest'
import { escapeMrkdwn } from '../lib/mrkdwn.ts'
import { tokenize } from './command-args.ts'

describe('tokenize', () => {
  it('keeps quoted words together, with straight or curly quotes', () => {
    expect(tokenize('create "Spring sale" leads 50')).toEqual(['create', 'Spring sale', 'leads', '50'])
    expect(tokenize('create “Black Friday” sales 1,000 Acme EU')).toEqual(['create', 'Black Friday', 'sales', '1,000', 'Acme', 'EU'])
    expect(tokenize("metrics 'My camp' last_7d")).toEqual(['metrics', 'My camp', 'last_7d'])
    expect(tokenize('   ')).toEqual([])
  })
})

describe('escapeMrkdwn', () => {
  it('turns mentions and links in untrusted text into literal text', () => {
    expect(escapeMrkdwn('<!channel> Sale & <https://evil|click>')).toBe('&lt;!channel&gt; Sale &amp; &lt;https://evil|click&gt;')
  })
})
