// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 16, a guest link: a seller (`sotto run`) makes a guest link at its relay; a buyer with
 * nothing but a browser opens it, writes with the keyboard alone, closes the tab; the seller
 * replies; the buyer comes back by the resume link, in a browser with nothing stored, and reads the
 * reply. Prints the page's transfer size and its time to first message beside the relay's plain
 * page.
 */
import { createServer } from 'node:net'
import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import { setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { SottoRun } from '../fixtures/sotto-run.ts'
import type { Page } from '@playwright/test'

async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { resolve(typeof address === 'object' && address != null ? address.port : 0) })
    }).on('error', reject)
  })
}

/** Bytes the page's responses took on the wire (headers and bodies as sent, compressed or not). */
function countBytes (page: Page): () => Promise<number> {
  const sizes: Array<Promise<number>> = []
  page.on('requestfinished', req => { sizes.push(req.sizes().then(s => s.responseHeadersSize + s.responseBodySize, () => 0)) })
  return async () => (await Promise.all(sizes)).reduce((a, b) => a + b, 0)
}

test('a buyer writes from a browser by a guest link, leaves, and reads the seller\'s reply by the resume link', async ({ sotto, browser }, testInfo) => {
  const port = await freePort()
  const relay = await sotto.relay({ extraArgs: ['--web', `127.0.0.1:${port}`] })
  const seller = await SottoRun.start(join(sotto.dir, 'seller'), 'Seller', relay.address)
  await seller.next(l => l.event === 'relay' && l.reserved === true && l.mailboxReady === true, 60_000)
  const { link } = await seller.call({ cmd: 'guest-link', page: `http://127.0.0.1:${port}/g`, label: 'Bike for sale' }) as { link: string }
  expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/g#v=1&`))

  // The relay's plain page, for comparison.
  const plain = await (await browser.newContext()).newPage()
  const plainBytes = countBytes(plain)
  const plainStart = Date.now()
  await plain.goto(`http://127.0.0.1:${port}/`)
  await expect(plain.getByRole('heading', { name: 'Sotto relay' })).toBeVisible()
  const plainMs = Date.now() - plainStart

  const buyer = await browser.newContext()
  const page = await buyer.newPage()
  const errors: string[] = []
  page.on('pageerror', e => { errors.push(e.message) })
  // Nothing from elsewhere: every request goes to the relay, its page or its WebSocket listener.
  const elsewhere: string[] = []
  page.on('request', r => { if (!r.url().startsWith('http://127.0.0.1:')) elsewhere.push(r.url()) })
  page.on('websocket', ws => { if (!ws.url().startsWith('ws://127.0.0.1:')) elsewhere.push(ws.url()) })
  const pageBytes = countBytes(page)
  const started = Date.now()
  await page.goto(link)
  await expect(page.getByRole('heading', { name: 'Write to Bike for sale' })).toBeVisible()
  await expect(page.getByText(/no forward secrecy, and the relay that serves this page sees your IP address/)).toBeVisible()
  await expect(page.getByRole('status')).toHaveText(/Connected/, { timeout: 30_000 })
  const connectedMs = Date.now() - started
  // The keyboard alone: Tab to the message field, type, Tab to Send, Enter.
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Your message')).toBeFocused()
  await page.keyboard.type('Hello! Is the bike still for sale?')
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Send' })).toBeFocused()
  const sending = Date.now()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('status')).toHaveText('Delivered.')
  const deliveredMs = Date.now() - sending
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(violations.map(v => `${v.id} (${v.impact}): ${v.help}`), 'accessibility of the guest page').toEqual([])
  const arrived = await seller.next(l => l.event === 'message' && l.guest === true)
  expect(arrived.text).toBe('Hello! Is the bike still for sale?')
  const resume = await page.getByRole('link', { name: /Bookmark this link/ }).getAttribute('href')
  expect(resume).toContain('&g=')
  await page.close()

  // The buyer is gone: the reply waits in the buyer's mailbox at the relay.
  await seller.call({ cmd: 'send', to: arrived.from, text: 'Yes! Come by at six.' })

  const later = await (await browser.newContext()).newPage()
  await later.goto(resume as string)
  const log = later.getByRole('log', { name: 'Conversation' })
  await expect(log).toContainText('Yes! Come by at six.', { timeout: 30_000 })

  // And the seller blocks the buyer: the page says so.
  await seller.call({ cmd: 'guest-block', guest: arrived.from })
  await later.getByLabel('Your message').fill('Hello again?')
  await later.getByRole('button', { name: 'Send' }).click()
  await expect(later.getByRole('status')).toHaveText('The owner of this link does not accept your messages.')

  const figures = `guest page ${await pageBytes()} bytes, ready to write ${connectedMs} ms after opening, first message delivered ${deliveredMs} ms after Enter; plain page ${await plainBytes()} bytes, shown in ${plainMs} ms`
  testInfo.annotations.push({ type: 'figures', description: figures })
  console.log(figures)
  expect(errors).toEqual([])
  expect(elsewhere, 'requests to anywhere but the relay').toEqual([])
  await seller.stop()
})

test('the seller makes a guest link in the app, answers the guest there, invites them to Sotto, and blocks them', async ({ sotto, browser }) => {
  const port = await freePort()
  const relay = await sotto.relay({ extraArgs: ['--web', `127.0.0.1:${port}`] })
  const seller = await sotto.app('Seller')
  await setUp(seller, 'Seller', [relay.address])
  // The app's relay view (e2e's copy of the contract names fewer fields): reserved, mailbox made.
  const ready = async (): Promise<boolean> => ((await seller.api.call('relays')) as Array<{ reserved?: boolean, mailboxReady?: boolean }>).some(r => r.reserved === true && r.mailboxReady === true)
  await expect.poll(ready, { timeout: 30_000 }).toBe(true)
  const app = await seller.open()
  await app.getByRole('navigation', { name: 'Sotto' }).getByRole('button', { name: 'Guests' }).click()
  await app.getByLabel('Label guests will see').fill('Lamp')
  // The page is left empty: the app takes the one the relay publishes in relay-info.
  await app.getByRole('button', { name: 'Make a guest link' }).click()
  const link = await app.getByLabel('Guest link', { exact: true }).inputValue()
  expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/g#v=1&`))

  const buyer = await browser.newContext()
  const page = await buyer.newPage()
  await page.goto(link)
  await expect(page.getByRole('status')).toHaveText(/Connected/, { timeout: 30_000 })
  await page.getByLabel('Your message').fill('Does the lamp work?')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('status')).toHaveText('Delivered.')

  await app.getByRole('button', { name: /Guest by “Lamp”/ }).click()
  await expect(app.getByRole('list', { name: 'Messages' })).toContainText('Does the lamp work?')
  await expect(app.getByText('guest: encrypted, no forward secrecy, the relay sees the guest\'s IP')).toBeVisible()
  const grave = (await new AxeBuilder({ page: app }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => `${v.id}: ${v.help}`)
  expect(grave, 'serious or critical accessibility violations on Guests').toEqual([])
  await app.getByLabel('Reply to the guest').fill('It does, with a new bulb.')
  await app.getByRole('button', { name: 'Send reply' }).click()
  await expect(page.getByRole('log', { name: 'Conversation' })).toContainText('It does, with a new bulb.', { timeout: 30_000 })

  // Invite to Sotto: the page offers the seller's one-time invite as a link to the app.
  await app.getByRole('button', { name: 'Invite to Sotto' }).click()
  await expect(app.getByText(/Invited: when they install Sotto/)).toBeVisible()
  const invitation = page.getByRole('link', { name: 'Install Sotto and add Lamp' })
  await expect(invitation).toBeVisible({ timeout: 30_000 })
  expect(await invitation.getAttribute('href')).toMatch(/^sotto:\/\//)

  // The guest closes the tab and comes back in the same browser: the conversation is still there.
  const resume = await page.getByRole('link', { name: /Bookmark this link/ }).getAttribute('href')
  await page.close()
  const back = await buyer.newPage()
  await back.goto(resume as string)
  await expect(back.getByRole('log', { name: 'Conversation' })).toContainText('It does, with a new bulb.')
  await expect(back.getByRole('status')).toHaveText(/Connected/, { timeout: 30_000 })

  await app.getByRole('button', { name: 'Block this guest' }).click()
  await expect(app.getByText('You blocked this guest')).toBeVisible()
  await back.getByLabel('Your message').fill('Hello?')
  await back.getByRole('button', { name: 'Send' }).click()
  await expect(back.getByRole('status')).toHaveText('The owner of this link does not accept your messages.')

  // Revoked: the link's guests are refused, blocked or not.
  await app.getByRole('button', { name: 'Revoke “Lamp”' }).click()
  await expect(app.getByText('“Lamp” (revoked)')).toBeVisible()
  await back.getByLabel('Your message').fill('Anyone there?')
  await back.getByRole('button', { name: 'Send' }).click()
  await expect(back.getByRole('status')).toHaveText('This link no longer works: its owner revoked it.')
})
