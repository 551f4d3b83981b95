import { isCountryCode, meantCountryCode } from '../../lib/countries.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'

export interface SpecialAdCountriesOptions {
  /** The special ad categories chosen (none: no countries are sent). */
  categories: readonly string[]
  /** The countries given: ISO codes as typed ("us, ca") or a list; empty or absent: the ad account's country. */
  countries?: string | readonly string[] | undefined
  /** The ad account's country (Meta's business_country_code), or null when Meta gives none. */
  accountCountry: string | null
}

/**
 * The countries a new campaign's special ad categories apply in (Meta's `special_ad_category_country`, required with
 * a category): the ISO 3166 alpha-2 codes given, checked and upper-cased, or the ad account's country. None without
 * a category. A code that is no country, or no code and no account country, is refused in words.
 */
export function specialAdCountries(options: SpecialAdCountriesOptions): string[] {
  if (options.categories.length === 0) return []
  const given = typeof options.countries === 'string' ? options.countries.split(/[\s,;]+/) : [...(options.countries ?? [])]
  const codes = [...new Set(given.map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))]
  if (codes.length === 0) {
    if (options.accountCountry) return [options.accountCountry]
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      'Meta needs the countries a special ad category applies in, and this ad account reports none: give ISO country codes such as US or DE.',
    )
  }
  const wrong = codes.filter((c) => !isCountryCode(c))
  if (wrong.length > 0) {
    const hints = wrong.map((c) => {
      const meant = meantCountryCode(c)
      return meant ? `"${c}" (${meant} is the code for that country)` : `"${c}"`
    })
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `${hints.join(', ')} ${wrong.length === 1 ? 'is not an ISO country code' : 'are not ISO country codes'}: use two letters such as US, GB or DE.`,
    )
  }
  return codes
}
