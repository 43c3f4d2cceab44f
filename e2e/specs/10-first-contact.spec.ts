// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 10, first contact in a minute: two new users each join a community relay from the relay
 * link its `sotto-relay` printed, Bob adds Alice by reading the QR code her app shows (an image of
 * it, as a screenshot or a photo would be), and they exchange a message. Every click, fill, key
 * press and upload is counted; the report prints each person's count from start to first message.
 */
import { Actor, reportActions } from '../fixtures/actions.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'
import type { Relay } from '../fixtures/index.ts'

/** Joins Sotto as a new user: a name, the community's relay link, create. */
async function join (ui: Screens, me: Actor, relay: Relay): Promise<void> {
  await me.fill(ui.onboarding.name, me.name)
  await me.fill(ui.onboarding.relayLink, relay.link)
  // The app asked the relay itself: who runs it, where, and that newcomers are welcome.
  const entry = ui.onboarding.relays.filter({ hasText: relay.address })
  await expect(entry).toContainText(relay.operator)
  await expect(entry).toContainText(`Jurisdiction ${relay.jurisdiction}`)
  await expect(entry).toContainText('Open to new users')
  await me.click(ui.onboarding.create)
  await ui.shell.waitReady()
  await expect(ui.shell.onlineState).toHaveText('Online', { timeout: 30_000 })
}

test('two new users join a relay by its link, add each other by QR code, and talk', async ({ sotto }, testInfo) => {
  const relay = await sotto.relay({ operator: 'Sotto E2E Community', jurisdiction: 'DE' })
  expect(relay.link).toMatch(/^sotto:\/\/relay\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\w+\?operator=Sotto\+E2E\+Community&contact=.+&jurisdiction=DE$/)
  const [alice, bob] = await Promise.all([sotto.app('Alice'), sotto.app('Bob')])
  const [a, b] = [new Screens(await alice.open()), new Screens(await bob.open())]
  const [ann, ben] = [new Actor('Alice'), new Actor('Bob')]

  await Promise.all([join(a, ann, relay), join(b, ben, relay)])

  // With no contacts, each app shows its own invite at once: the short link and its QR code.
  const short = await a.invite.readLink()
  expect(short).toMatch(/^sotto:\/\/s\/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+$/)
  expect(short.length).toBeLessThanOrEqual(200)
  const qr = await a.invite.qrCode.screenshot({ animations: 'disabled' })

  // Bob reads Alice's QR code from the image; his app asks before adding her.
  await ben.upload(b.addContact.qrImage, { name: 'alice-invite.png', mimeType: 'image/png', buffer: qr })
  await expect(b.addContact.question('Alice')).toBeVisible()
  await ben.click(b.addContact.confirm('Alice'))
  await b.chat.waitOpen('Alice')
  await ben.fill(b.chat.composer, 'Hello Alice, I read your code off the screen.')
  await ben.press(b.chat.composer, 'Enter')
  ben.mark()

  // Alice: Bob's first message waits in Requests until she accepts him.
  await expect(a.shell.requestsButton.getByLabel('1 waiting')).toBeVisible({ timeout: 30_000 })
  await ann.click(a.shell.requestsButton)
  await expect(a.requests.request('Bob')).toBeVisible()
  await ann.click(a.requests.request('Bob').getByRole('button', { name: /^Accept/ }))
  await a.chat.waitOpen('Bob')
  await expect(a.chat.message('Hello Alice, I read your code off the screen.')).toBeVisible()
  ann.mark()
  await ann.fill(a.chat.composer, 'Welcome, Bob!')
  await ann.press(a.chat.composer, 'Enter')
  await expect(b.chat.message('Welcome, Bob!')).toBeVisible()
  await expect(b.chat.state('Hello Alice, I read your code off the screen.')).toHaveText(/Delivered|Read/)

  reportActions(testInfo, [ann, ben], 'from start to the first message sent or read; goal ≤ 5 each')
  process.stdout.write(`user actions to the first message: Alice ${ann.counted}, Bob ${ben.counted}; in all: Alice ${ann.count}, Bob ${ben.count}\n`)
})
