import { loadSettings, type WorkspaceSettings } from '../domain/settings/workspace-settings.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import { wallClockFormatterFor } from '../lib/dates.ts'

/** The hour (0–23) on the wall clock of `timeZone` at `at`. */
export function localHour(at: Date, timeZone: string): number {
  const hour = wallClockFormatterFor(timeZone)
    .formatToParts(at)
    .find((p) => p.type === 'hour')?.value
  return Number(hour ?? 0) % 24
}

/**
 * Whether `hour` falls in [from, until): equal bounds mean never (the setting's "off"), and a start after the end
 * wraps past midnight (from 22 until 6 covers 22:00–05:59).
 */
export function withinHours(hour: number, from: number, until: number): boolean {
  if (from === until) return false
  return from < until ? hour >= from && hour < until : hour >= from || hour < until
}

/** Whether the account-local time at `now` is inside the workspace's fast-loop hours. */
export function inFastLoopHours(monitoring: WorkspaceSettings['monitoring'], now: Date, timeZone: string): boolean {
  return withinHours(localHour(now, timeZone), monitoring.fastSyncFromHour, monitoring.fastSyncUntilHour)
}

/** The same for one stored account (its time zone, its workspace's settings); false when it is gone. */
export async function accountInFastLoopHours(prisma: PrismaClient, adAccountId: string, now: Date): Promise<boolean> {
  const account = await prisma.adAccount.findUnique({ where: { id: adAccountId }, select: { workspaceId: true, timezoneName: true } })
  if (!account) return false
  const settings = await loadSettings(prisma, account.workspaceId)
  return inFastLoopHours(settings.monitoring, now, account.timezoneName)
}
