import type { PrismaClient } from '../../generated/prisma/client.ts'

/** Where a change's card was posted (a Slack channel and message), so it can be kept current. */
export interface ChangeCardLocation {
  channelId: string | null
  messageTs: string | null
}

export async function recordChangeCard(prisma: PrismaClient, changeId: string, channelId: string, messageTs: string): Promise<void> {
  await prisma.changeRequest.update({ where: { id: changeId }, data: { cardChannelId: channelId, cardMessageTs: messageTs } })
}

/** Null when there is no such change. */
export async function changeCardOf(prisma: PrismaClient, changeId: string): Promise<ChangeCardLocation | null> {
  const c = await prisma.changeRequest.findUnique({ where: { id: changeId }, select: { cardChannelId: true, cardMessageTs: true } })
  return c && { channelId: c.cardChannelId, messageTs: c.cardMessageTs }
}
