import type { Client, Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, AppErrorCode } from '../../lib/errors.ts'
import { echoInput } from '../../lib/mrkdwn.ts'

type Db = PrismaClient | Prisma.TransactionClient

/** Client management is for Promoly admins (on record); everyone else is refused with the reason. */
export async function requireClientAdmin(db: Db, workspaceId: string, slackUserId: string): Promise<void> {
  const member = await db.member.findUnique({
    where: { workspaceId_slackUserId: { workspaceId, slackUserId } },
    select: { role: true },
  })
  if (member?.role !== 'ADMIN') throw new AppError(AppErrorCode.FORBIDDEN, 'Only Promoly admins can manage clients. Nothing was changed.')
}

/** The longest client name. */
const MAX_CLIENT_NAME = 80

/** A client name as typed, trimmed and checked: one line, 1–80 characters, no Slack markup characters. */
export function validClientName(raw: string): string {
  const name = raw.replace(/\s+/g, ' ').trim()
  if (name === '') throw new AppError(AppErrorCode.BAD_INPUT, 'Give the client a name, e.g. `/promoly clients add Acme`.')
  if (name.length > MAX_CLIENT_NAME)
    throw new AppError(AppErrorCode.BAD_INPUT, `A client name has at most ${MAX_CLIENT_NAME} characters; that one has ${name.length}.`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[<>*`|\u0000-\u001f]/.test(name))
    throw new AppError(AppErrorCode.BAD_INPUT, `"${echoInput(name)}" has characters a client name cannot have (< > * \` |).`)
  return name
}

/** Refuses a name another client of the workspace already has (case-insensitively). */
export async function requireFreeName(db: Db, workspaceId: string, name: string, exceptClientId?: string): Promise<void> {
  const taken = await db.client.findFirst({
    where: { workspaceId, name: { equals: name, mode: 'insensitive' }, ...(exceptClientId ? { id: { not: exceptClientId } } : {}) },
    select: { name: true },
  })
  if (taken) throw new AppError(AppErrorCode.CONFLICT, `There is already a client called *${echoInput(taken.name)}*. Choose another name.`)
}

/**
 * The client of the workspace a person named: exact (any case) first, else the only one whose name starts
 * with it, else the only one containing it. Several or none: refused with the names to choose from.
 */
export async function findClientByName(db: Db, workspaceId: string, asked: string): Promise<Client> {
  const clients = await db.client.findMany({ where: { workspaceId }, orderBy: [{ isDefault: 'desc' }, { name: 'asc' }] })
  const q = asked.replace(/\s+/g, ' ').trim().toLowerCase()
  const exact = clients.filter((c) => c.name.toLowerCase() === q)
  if (exact.length === 1 && exact[0]) return exact[0]
  const prefix = clients.filter((c) => c.name.toLowerCase().startsWith(q))
  const within = prefix.length > 0 ? prefix : clients.filter((c) => c.name.toLowerCase().includes(q))
  if (q !== '' && within.length === 1 && within[0]) return within[0]
  const names = (within.length > 1 ? within : clients).map((c) => `*${echoInput(c.name)}*`).slice(0, 20)
  if (within.length > 1)
    throw new AppError(AppErrorCode.AMBIGUOUS, `Several clients match "${echoInput(asked)}": ${names.join(', ')}. Type more of the name.`)
  throw new AppError(
    AppErrorCode.NOT_FOUND,
    `No client is called "${echoInput(asked)}". ${names.length > 0 ? `The clients are ${names.join(', ')}.` : 'There are no clients yet.'}`,
  )
}
