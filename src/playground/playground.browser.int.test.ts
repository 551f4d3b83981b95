/**
 * End to end in a real browser: `promoly playground` (Slack emulator + Promoly + the simulated
 * Meta account) driven through its web page in headless Chromium, as a newcomer would use it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, requireChromium } from '../../test/support/browser.ts'
import { freePort } from '../../test/support/net.ts'
import { silentLogger } from '../lib/logger.ts'
import { YOU } from './model.ts'
import { type Playground, startPlayground } from './start-playground.ts'

const hasChromium = requireChromium()
const SCREENSHOT = process.env.PLAYGROUND_SCREENSHOT ?? join('test-results', 'playground.png')

describe.skipIf(!hasChromium)('the playground in headless Chromium', () => {
  let playground: Playground
  let browser: Browser
  let page: Page
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'promoly-e2e-'))
    playground = await startPlayground({
      env: { PORT: String(await freePort()), PLAYGROUND_PORT: String(await freePort()), PROMOLY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      logger: silentLogger(),
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(playground.url)
    await page.getByTestId('composer').waitFor()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await playground?.stop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  async function send(text: string) {
    const composer = page.getByTestId('composer')
    await composer.fill(text)
    await composer.press('Enter')
  }

  const messages = () => page.getByTestId('message')

  it('opens on the DM with Promoly, with the channels in the sidebar', async () => {
    await expect(page.title()).resolves.toBe('Promoly playground')
    const names = await page.getByTestId('channel-link').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))
    expect(names).toEqual(expect.arrayContaining(['general', 'ads-performance']))
    await expect(page.getByTestId('composer').getAttribute('placeholder')).resolves.toMatch(/Promoly/)
  })

  it("shows the first start's findings in the DM, without a sync (the optimizer ran once the backfill landed)", async () => {
    const prisma = playground.promoly.db.prisma
    await expect
      .poll(async () => (await prisma.suggestion.findMany({ where: { postedChannelId: { not: null } } })).map((x) => x.kind), {
        timeout: 60_000,
      })
      // The simulator's wearing-out creatives, judged per ad against the noise of the month the backfill brings.
      .toContain('creative_fatigue')
    await messages()
      .filter({ hasText: /Promoly has (a new suggestion|\d+ new suggestions) for your ads/ })
      .first()
      .waitFor({ timeout: 20_000 })
  })

  it('answers /promoly help with an ephemeral message', async () => {
    await send('/promoly help')
    const help = messages().filter({ hasText: 'Promoly — your Meta ads in Slack' }).last()
    await help.waitFor()
    await expect(help.getAttribute('data-ephemeral')).resolves.toBe('true')
    await expect(help.textContent()).resolves.toContain('/promoly campaigns')
  })

  it('lists the simulated campaigns at once (the account was synced at start-up)', async () => {
    await send('/promoly campaigns')
    const list = messages().filter({ hasText: 'Active campaigns' }).last()
    await list.waitFor({ timeout: 10_000 })
    const text = await list.textContent()
    expect(text).toMatch(/Active campaigns \(\d+\)/)
    expect(text).toContain('Acme Home Services (US)')
    expect(text).toMatch(/7 days: \$[\d,]+\.\d\d/)
  })

  it('proposes a campaign through the modal (validation error first), then approves it on the card', async () => {
    await send('/promoly create')
    const modal = page.getByTestId('modal')
    await modal.waitFor()
    await expect(page.getByTestId('modal-title').textContent()).resolves.toBe('New campaign')
    await modal.locator('[data-action-id="account_select"]').selectOption({ label: 'Acme Home Services (US) (USD)' })
    await modal.locator('[data-action-id="name_input"]').fill('Browser test campaign')
    await modal.locator('[data-action-id="objective_select"]').selectOption('OUTCOME_TRAFFIC')
    await modal.locator('[data-action-id="budget_input"]').fill('lots')
    await page.getByTestId('modal-submit').click()
    const error = modal.locator('[data-testid="field-error"][data-block-id="budget"]')
    await error.waitFor()
    await expect(error.textContent()).resolves.toMatch(/amount|number/i)
    // The entered values stay; fix the budget and submit again.
    await expect(modal.locator('[data-action-id="name_input"]').inputValue()).resolves.toBe('Browser test campaign')
    await modal.locator('[data-action-id="budget_input"]').fill('25')
    await page.getByTestId('modal-submit').click()
    await modal.waitFor({ state: 'detached' })
    const card = messages().filter({ hasText: 'Create campaign: Browser test campaign' }).last()
    await card.waitFor({ timeout: 10_000 })
    await expect(card.textContent()).resolves.toMatch(/\$25\.00\/day[\s\S]*paused/)
    // You are the workspace admin: Approve (with Slack's confirm dialog) and watch the same card update.
    const ts = await card.getAttribute('data-ts')
    await card.locator('[data-action-id="change_approve"]').click()
    await page.getByTestId('confirm-ok').click()
    const updated = page.locator(`[data-testid="message"][data-ts="${ts}"]`)
    await expect.poll(() => updated.textContent(), { timeout: 15_000 }).toMatch(/Applied\.[\s\S]*status paused/)
    await expect(updated.textContent()).resolves.toMatch(/Approved by @You/)
    await expect(updated.locator('[data-action-id="change_approve"]').count()).resolves.toBe(0)
  })

  it('updates a message in place when a button is clicked', async () => {
    await send('/promoly metrics Acme last_7d')
    const card = messages().filter({ hasText: 'Acme Home Services (US) (ad account) — Last 7 days' }).last()
    await card.waitFor({ timeout: 10_000 })
    // The period's daily chart arrives in the DM, as an image.
    const chart = messages()
      .filter({ hasText: 'Acme Home Services (US)' })
      .filter({ has: page.getByTestId('message-file') })
      .last()
    await chart.waitFor({ timeout: 20_000 })
    await expect
      .poll(() => chart.locator('img').evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 })
      .toBeGreaterThan(0)
    const ts = await card.getAttribute('data-ts')
    const count = await messages().count()
    await card.locator('[data-action-id="metrics_period_last_30d"]').click()
    const updated = page.locator(`[data-testid="message"][data-ts="${ts}"]`)
    await expect.poll(() => updated.textContent(), { timeout: 10_000 }).toContain('Last 30 days')
    expect(await messages().count()).toBe(count)
  })

  it('lets the admin change settings in the modal: an approver, the suggestions channel, a guardrail', async () => {
    // An install from before clients had one workspace target: the default client's form shows it, and saving moves it there.
    const db = playground.promoly.db.prisma
    await db.workspace.updateMany({ data: { settings: { moneyCurrency: 'USD', optimizer: { targetCostPerResultMinor: 2_000 } } } })
    await send('/promoly settings')
    const modal = page.getByTestId('modal')
    await modal.locator('[data-action-id="approvers_select"]').waitFor({ timeout: 10_000 })
    await expect(modal.locator('[data-action-id="target_leads_usd_input"]').inputValue()).resolves.toBe('20')
    await expect(page.getByTestId('modal-title').textContent()).resolves.toMatch(/settings/i)
    await modal.locator('[data-action-id="approvers_select"]').selectOption({ label: 'Alex Rivera' })
    await modal.locator('[data-action-id="suggestions_channel_select"]').selectOption('C0ADS00001')
    await modal.locator('[data-action-id="max_budget_change_pct_input"]').fill('5000')
    await page.getByTestId('modal-submit').click()
    // Out of range: shown under the field, the form stays open.
    await modal.locator('[data-testid="field-error"][data-block-id="max_budget_change_pct"]').waitFor()
    await modal.locator('[data-action-id="max_budget_change_pct_input"]').fill('25')
    await page.getByTestId('modal-submit').click()
    await modal.waitFor({ state: 'detached', timeout: 10_000 })
    const prisma = playground.promoly.db.prisma
    await expect
      .poll(async () => (await prisma.member.findFirst({ where: { slackUserId: 'U0ALEX0001' } }))?.role, { timeout: 10_000 })
      .toBe('APPROVER')
    await expect
      .poll(async () => (await prisma.workspace.findFirstOrThrow()).settings, { timeout: 10_000 })
      .toMatchObject({ guardrails: { maxBudgetChangePct: 25 } })
    const ws = await prisma.workspace.findFirstOrThrow()
    // The suggestions channel is the (default) client's now, and the channel belongs to that client.
    await expect
      .poll(async () => (await prisma.client.findFirstOrThrow({ where: { isDefault: true } })).suggestionsChannelId, { timeout: 10_000 })
      .toBe('C0ADS00001')
    expect(ws.settings).toMatchObject({ guardrails: { maxBudgetChangePct: 25 }, optimizer: { targetCostPerResultMinor: null } })
    const house = await prisma.client.findFirstOrThrow({ where: { isDefault: true } })
    expect(house.settings).toMatchObject({
      targets: expect.arrayContaining([{ result: 'leads', currency: 'USD', costPerResultMinor: 2_000, roas: null }]),
    })
  })

  it('switches the settings to another client with the picker, refuses a guest approver under the field, and keeps the other edits', async () => {
    await send('/promoly clients add Globex')
    await messages().filter({ hasText: 'Added the client Globex' }).last().waitFor({ timeout: 10_000 })
    await send('/promoly settings')
    const modal = page.getByTestId('modal')
    const picker = modal.locator('[data-action-id="settings_client_pick"]')
    await picker.waitFor({ timeout: 10_000 })
    // Opened in the DM: the default client, with the channel chosen above.
    await expect(modal.locator('[data-action-id="suggestions_channel_select"]').inputValue()).resolves.toBe('C0ADS00001')
    await modal.locator('[data-action-id="max_changes_per_day_input"]').fill('7')
    await picker.selectOption({ label: 'Globex' })
    await modal.getByText('Settings of Globex').waitFor({ timeout: 10_000 })
    await expect(modal.locator('[data-action-id="suggestions_channel_select"]').inputValue()).resolves.toBe('')
    // Globex has no ad accounts yet: its targets are in the workspace's currency.
    await modal.locator('[data-action-id="target_leads_usd_input"]').fill('12.50')
    await modal.locator('[data-action-id="suggestions_channel_select"]').selectOption('C0CLIENTS1')
    await modal.locator('[data-action-id="client_approvers_select"]').selectOption({ label: 'Casey Lee (guest from the client)' })
    await page.getByTestId('modal-submit').click()
    const error = modal.locator('[data-testid="field-error"][data-block-id^="client_approvers_"]')
    await error.waitFor({ timeout: 10_000 })
    await expect(error.textContent()).resolves.toContain('guest')
    // Nothing typed was lost.
    await expect(modal.locator('[data-action-id="max_changes_per_day_input"]').inputValue()).resolves.toBe('7')
    await expect(modal.locator('[data-action-id="target_leads_usd_input"]').inputValue()).resolves.toBe('12.50')
    await modal.locator('[data-action-id="client_approvers_select"]').selectOption({ label: 'Alex Rivera' })
    await page.getByTestId('modal-submit').click()
    await modal.waitFor({ state: 'detached', timeout: 10_000 })
    const prisma = playground.promoly.db.prisma
    await expect
      .poll(async () => (await prisma.client.findFirstOrThrow({ where: { name: 'Globex' } })).suggestionsChannelId, { timeout: 10_000 })
      .toBe('C0CLIENTS1')
    const globex = await prisma.client.findFirstOrThrow({ where: { name: 'Globex' }, include: { channels: true } })
    expect(globex.settings).toMatchObject({
      approverUserIds: ['U0ALEX0001'],
      targets: [{ result: 'leads', currency: 'USD', costPerResultMinor: 1_250, roas: null }],
    })
    expect(globex.channels.map((c) => c.channelId)).toEqual(['C0CLIENTS1'])
    await expect
      .poll(async () => (await prisma.workspace.findFirstOrThrow()).settings, { timeout: 10_000 })
      .toMatchObject({ guardrails: { maxChangesPerAccountPerDay: 7 } })
    // The default client kept its own settings.
    expect((await prisma.client.findFirstOrThrow({ where: { isDefault: true } })).suggestionsChannelId).toBe('C0ADS00001')
  })

  it('subscribes to a digest through its form, and posts one now with a chart per account, shown in its thread', async () => {
    await send('/promoly digest')
    const modal = page.getByTestId('modal')
    await modal.locator('[data-action-id="channel_select"]').waitFor({ timeout: 10_000 })
    await modal.locator('[data-action-id="channel_select"]').selectOption('C0GENERAL1')
    // The time zone is chosen from a list, the person's own Slack time zone (users.info tz) selected at first.
    const zone = modal.locator('[data-action-id="time_zone_select"]')
    expect(await zone.inputValue()).toBe('Europe/Berlin')
    expect(await zone.locator('optgroup[label="Suggested"] option').first().getAttribute('value')).toBe('Europe/Berlin')
    await zone.selectOption('Asia/Tokyo')
    await page.getByTestId('modal-submit').click()
    await modal.waitFor({ state: 'detached', timeout: 10_000 })
    await messages().filter({ hasText: 'Subscribed' }).last().waitFor({ timeout: 10_000 })
    const sub = await playground.promoly.db.prisma.digestSubscription.findFirstOrThrow()
    expect(sub).toMatchObject({ channelId: 'C0GENERAL1', localTime: '09:00', timeZone: 'Asia/Tokyo' })

    // `digest now` posts in a channel, never in the DM: run it in the subscribed channel, then back to the DM.
    // (#general, bound to no client: #client-acme now belongs to Globex, which has no accounts, so its digest is empty.)
    await page.locator('[data-testid="channel-link"][data-channel="C0GENERAL1"]').click()
    await send('/promoly digest now')
    const digest = messages().filter({ hasText: 'Acme Home Services (US)' }).filter({ hasText: 'pacing' }).last()
    await digest.waitFor({ timeout: 20_000 })
    expect(await digest.getAttribute('data-channel')).toBe('C0GENERAL1')
    const ts = await digest.getAttribute('data-ts')
    const charts = () =>
      playground.emulator.state.messages.filter((m) => m.threadTs === ts && m.files?.some((f) => f.mimetype === 'image/png'))
    await expect.poll(() => charts().length, { timeout: 20_000 }).toBe(1)
    // One chart per account, all in one reply: the thread shows the images, and the count is that one reply.
    const accounts = await playground.promoly.db.prisma.adAccount.count({ where: { syncEnabled: true } })
    expect(charts()[0]!.files).toHaveLength(accounts)
    const bar = digest.getByTestId('replies')
    await expect.poll(() => bar.textContent(), { timeout: 10_000 }).toContain('1 reply')
    await bar.click()
    const thread = page.getByTestId('thread-pane')
    await thread.waitFor({ state: 'visible' })
    expect(await thread.getAttribute('data-thread-ts')).toBe(ts)
    await expect.poll(() => thread.locator('.thread-divider').textContent(), { timeout: 10_000 }).toBe('1 reply')
    const images = thread.locator('[data-testid="message-file"] img')
    await expect.poll(() => images.count(), { timeout: 10_000 }).toBe(accounts)
    await expect
      .poll(() => images.evaluateAll((els) => els.filter((e) => (e as unknown as { naturalWidth: number }).naturalWidth > 0).length), {
        timeout: 10_000,
      })
      .toBe(accounts)
    const titles = await thread.locator('[data-testid="message-file"] figcaption').allTextContents()
    expect(titles.some((t) => /\(USD\)/.test(t))).toBe(true)
    expect(titles.some((t) => /\(JPY\)/.test(t))).toBe(true)
    await page.getByTestId('thread-close').click()
    await page.locator('[data-testid="channel-link"][data-kind="im"]').first().click()
  })

  it('answers a direct message', async () => {
    await send('hello there')
    const asked = messages().filter({ hasText: 'hello there' }).last()
    await asked.waitFor()
    const reply = messages().filter({ hasText: "I can't chat yet" }).last()
    await reply.waitFor({ timeout: 10_000 })
    // Your message in the DM with Promoly, then Promoly's answer in the same DM, for everyone (not ephemeral).
    const dm = await asked.getAttribute('data-channel')
    await expect(asked.getAttribute('data-user')).resolves.toBe(YOU)
    await expect(page.locator(`[data-testid="channel-link"][data-channel="${dm}"]`).getAttribute('data-kind')).resolves.toBe('im')
    await expect(reply.getAttribute('data-channel')).resolves.toBe(dm)
    await expect(reply.getAttribute('data-bot')).resolves.toBe('true')
    await expect(reply.getAttribute('data-ephemeral')).resolves.toBeNull()
    expect(Number(await reply.getAttribute('data-ts'))).toBeGreaterThan(Number(await asked.getAttribute('data-ts')))
    // No model is configured: it says so, and points to the slash commands.
    const text = await reply.textContent()
    expect(text).toContain('no language model is configured for Promoly')
    expect(text).toContain('/promoly campaigns')
    await reply.scrollIntoViewIfNeeded()
    await page.waitForTimeout(300) // let the list settle at the bottom before the README screenshot
    await page.screenshot({ path: SCREENSHOT })
  })
})
