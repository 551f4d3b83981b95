/**
 * Where a campaign's budget lives. Meta puts it on the campaign (campaign budget, "Advantage+ campaign budget") or
 * on each ad set; a campaign with neither spends nothing. Amounts are in minor units of the account currency.
 */

export type BudgetLocation =
  /** A campaign budget: daily or lifetime. */
  | { on: 'campaign'; daily: number | null; lifetime: number | null }
  /** The live ad sets' own budgets (in ad set name order), daily and lifetime apart. */
  | { on: 'adsets'; daily: number[]; lifetime: number[] }
  /** Neither the campaign nor a live ad set has a budget. */
  | { on: 'none' }
  /** No campaign budget, and the account's ad sets are not synced yet: they may hold budgets. */
  | { on: 'unknown' }

/**
 * Where `campaign`'s budget lives, given its live ad sets' budgets (`adSets`; archived and deleted ones do not
 * spend) and whether the account's ad sets have been synced at all.
 */
export function budgetLocation(
  campaign: { dailyBudget: number | null; lifetimeBudget: number | null },
  adSets: ReadonlyArray<{ dailyBudget: number | null; lifetimeBudget: number | null }>,
  adSetsSynced: boolean,
): BudgetLocation {
  if (campaign.dailyBudget !== null || campaign.lifetimeBudget !== null)
    return { on: 'campaign', daily: campaign.dailyBudget, lifetime: campaign.lifetimeBudget }
  const daily = adSets.flatMap((s) => (s.dailyBudget !== null ? [s.dailyBudget] : []))
  const lifetime = adSets.flatMap((s) => (s.dailyBudget === null && s.lifetimeBudget !== null ? [s.lifetimeBudget] : []))
  if (daily.length + lifetime.length > 0) return { on: 'adsets', daily, lifetime }
  return adSetsSynced ? { on: 'none' } : { on: 'unknown' }
}
