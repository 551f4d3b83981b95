import { describe, expect, it } from 'vitest'
import { escapeMrkdwn } from '../lib/mrkdwn.ts'
import { joinWords, replaceQuery, tokenize } from './command-args.ts'

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

describe('replaceQuery and joinWords', () => {
  it('puts an id in place of the words that made up the name, keeping the rest of the command', () => {
    expect(replaceQuery(['budget', 'Sprng', 'Sale', '+20%'], 'Sprng Sale', '123')).toEqual(['budget', '123', '+20%'])
    expect(replaceQuery(['metrics', 'Spring sale', 'last_7d'], 'Spring sale', 'act_9')).toEqual(['metrics', 'act_9', 'last_7d'])
    expect(replaceQuery(['pause', 'x'], 'y', '1')).toBeNull()
  })

  it('joins words so that tokenize reads them back the same', () => {
    const words = ['create', 'Spring sale', 'leads', '50', 'Acme']
    expect(tokenize(joinWords(words))).toEqual(words)
  })
})
