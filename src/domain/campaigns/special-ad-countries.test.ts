import { describe, expect, it } from 'vitest'
import { specialAdCountries } from './special-ad-countries.ts'

describe('specialAdCountries', () => {
  it('none without a category, whatever was typed', () => {
    expect(specialAdCountries({ categories: [], countries: 'US', accountCountry: 'DE' })).toEqual([])
  })
  it('checks, upper-cases and dedupes ISO codes given as text or a list', () => {
    expect(specialAdCountries({ categories: ['HOUSING'], countries: ' us, ca;US ', accountCountry: 'DE' })).toEqual(['US', 'CA'])
    expect(specialAdCountries({ categories: ['HOUSING'], countries: ['gb'], accountCountry: null })).toEqual(['GB'])
  })
  it("defaults to the ad account's country, and asks when Meta gave none", () => {
    expect(specialAdCountries({ categories: ['EMPLOYMENT'], countries: '', accountCountry: 'DE' })).toEqual(['DE'])
    expect(() => specialAdCountries({ categories: ['EMPLOYMENT'], accountCountry: null })).toThrow(/reports none: give ISO country codes/)
  })
  it('refuses codes that are no country, naming the one meant', () => {
    expect(() => specialAdCountries({ categories: ['HOUSING'], countries: 'UK', accountCountry: 'US' })).toThrow(
      '"UK" (GB is the code for that country) is not an ISO country code',
    )
    expect(() => specialAdCountries({ categories: ['HOUSING'], countries: 'USA, EU', accountCountry: 'US' })).toThrow(
      '"USA", "EU" are not ISO country codes',
    )
  })
})
