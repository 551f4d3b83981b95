import { loadSettings, type WorkspaceSettings } from '../domain/settings/workspace-settings.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import { wallClockTime, withinHours } from '../lib/dates.ts'

/** Whether the account-local time at `now` is inside the workspace's fast-loop hours. */
export function inFastLoopHours(monitoring: WorkspaceSettings['monitoring'], now: Date, timeZone: string): boolean {
  return withinHours(wallClockTime(now, timeZone).hour, monitoring.fastSyncFromHour, monitoring.fastSyncUntilHour)
}

/** The same for one stored account (its time zone, its workspace's settings); false when it is gone. */
export async function accountInFastLoopHours(prisma: PrismaClient, adAccountId: string, now: Date): Promise<boolean> {
  const account = await prisma.adAccount.findUnique({ where: { id: adAccountId }, select: { workspaceId: true, timezoneName: true } })
  if (!account) return false
  const settings = await loadSettings(prisma, account.workspaceId)
  return inFastLoopHours(settings.monitoring, now, account.timezoneName)
}
