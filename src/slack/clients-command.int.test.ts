/**
 * `/promoly clients` end to end over signed HTTP (issue 11 §1): an admin adds, renames, binds, moves and removes
 * (after a confirm button, with the digest creators told by DM); readable usage errors; members are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockActionsPayload, type FakeSlack, sendInteraction, sendSlashCommand } from '../../test/support/fake-slack.ts'
import { type PromolyOnFakeSlack, startPromolyOnFakeSlack } from '../../test/support/start-promoly.ts'
import type { TestDatabase } from '../../test/support/test-database.ts'

const SECRET = 'test-signing-secret'
const ADMIN = 'UADMIN01'
const MEMBER = 'UMEMBER1'

describe('/promoly clients over signed HTTP', () => {
  let app: PromolyOnFakeSlack
  let slack: FakeSlack
  let db: TestDatabase
  let endpoint: string
  let n = 0

  beforeAll(async () => {
    app = await startPromolyOnFakeSlack({ signingSecret: SECRET, slackUsers: { [ADMIN]: { is_admin: true } } })
    ;({ slack, db, endpoint } = app)
  }, 120_000)

  afterAll(async () => {
    await app?.stop()
  })

  async function command(text: string, userId = ADMIN, channelId = 'C0001') {
    const id = `c${++n}`
    const res = await sendSlashCommand(endpoint, SECRET, { text, responseUrl: slack.responseUrl(id), userId, channelId })
    const reply = async () =>
      JSON.stringify(
        (await slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) => r.path === `/response/${id}`)).body,
      )
    return { ack: res.body, reply }
  }

  it('answers usage errors in the ack, and refuses a member', async () => {
    expect((await command('clients add')).ack).toContain('Name the new client')
    expect((await command('clients rename Acme')).ack).toContain('rename Acme to Acme Corp')
    expect((await command('clients frobnicate')).ack).toContain("I don't know `clients frobnicate`")
    expect(await (await command('clients add Acme', MEMBER)).reply()).toContain('Only Promoly admins can manage clients')
  })

  it('adds, renames, binds the channel, moves an account, lists, and removes after the confirm button', async () => {
    expect(await (await command('clients add Acme')).reply()).toContain('Added the client *Acme*')
    expect(await (await command('clients add acme')).reply()).toContain('already a client called *Acme*')
    expect(await (await command('clients rename Acme to Acme Corp')).reply()).toContain('*Acme* is now called *Acme Corp*')
    expect(await (await command('clients bind acme', ADMIN, 'C0ACME001')).reply()).toContain('now belongs to *Acme Corp*')
    // Another client can't take the channel: the refusal names it as a channel mention (not `&lt;#C…&gt;`).
    expect(await (await command('clients add Globex')).reply()).toContain('Added the client *Globex*')
    expect(await (await command('clients bind globex', ADMIN, 'C0ACME001')).reply()).toContain(
      '<#C0ACME001> already belongs to the client *Acme Corp*',
    )
    const account = await db.prisma.adAccount.findFirstOrThrow({ where: { currency: 'EUR' } })
    expect(await (await command(`clients move ${account.metaAccountId} to Acme Corp`)).reply()).toContain(
      'to *Acme Corp*, with its history',
    )
    const list = await (await command('clients')).reply()
    expect(list).toContain('Acme Corp')
    expect(list).toContain('<#C0ACME001>')
    const acme = await db.prisma.client.findFirstOrThrow({ where: { name: 'Acme Corp' } })
    await db.prisma.digestSubscription.create({
      data: {
        workspaceId: acme.workspaceId,
        channelId: 'C0ACME001',
        localTime: '09:00',
        timeZone: 'UTC',
        createdBySlackUserId: 'UCREATOR1',
      },
    })

    const question = await (await command('clients remove Acme Corp')).reply()
    expect(question).toContain('Remove the client Acme Corp?')
    expect(question).toContain('Its daily digest will be paused, and whoever set it up told.')
    expect(await db.prisma.client.count({ where: { id: acme.id } })).toBe(1)
    const id = `c${++n}`
    await sendInteraction(
      endpoint,
      SECRET,
      blockActionsPayload({
        userId: ADMIN,
        action: { action_id: 'client_remove_confirm', value: acme.id },
        responseUrl: slack.responseUrl(id),
      }),
    )
    const done = await slack.waitFor<{ path: string; body: Record<string, unknown> }>('response', (r) => r.path === `/response/${id}`)
    expect(JSON.stringify(done.body)).toContain('The client *Acme Corp* was removed')
    const dm = await slack.waitFor<{ method: string; args: { channel?: string; text?: string } }>(
      'call',
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'UCREATOR1',
    )
    expect(dm.args.text).toContain('daily digest you set up in <#C0ACME001> is paused')
    expect(await db.prisma.client.count({ where: { id: acme.id } })).toBe(0)
    expect((await db.prisma.adAccount.findUniqueOrThrow({ where: { id: account.id }, include: { client: true } })).client.isDefault).toBe(
      true,
    )
  })
})
