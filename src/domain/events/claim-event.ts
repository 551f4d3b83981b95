import type { PrismaClient } from '../../generated/prisma/client.ts'

export interface ClaimEventOptions {
  /**
   * A key unique to one inbound event, across workspaces (a Slack event_id, or a key that names
   * its workspace itself): the table is not per workspace.
   */
  eventId: string
}

/** Records an inbound event as handled: true the first time, false for a redelivery (answer once). */
export async function claimEvent(prisma: PrismaClient, options: ClaimEventOptions): Promise<boolean> {
  try {
    await prisma.processedEvent.create({ data: { eventId: options.eventId } })
    return true
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return false
    throw err
  }
}
