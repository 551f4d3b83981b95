/**
 * Intraday alerts (issue 14): from today's partial numbers, after each fast-loop sync. PLACEHOLDER SIGNATURE — the
 * alerts work fills it in (overspend projected from the hourly pattern, stopped delivering, no results since morning).
 */
import type { Suggestion as SuggestionRow } from '../../generated/prisma/client.ts'
import type { DomainDeps } from '../deps.ts'

export interface IntradayAlertsResult {
  /** Alerts raised now (to be posted to the client's alerts channel). */
  created: SuggestionRow[]
}

export async function checkIntradayAlerts(_deps: DomainDeps, _options: { adAccountId: string }): Promise<IntradayAlertsResult> {
  return { created: [] }
}
