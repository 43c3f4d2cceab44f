// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 10, first contact in a minute: Alice joins a community relay from the relay link its
 * `sotto-relay` printed; Bob arrives with Alice's invite, reading the QR code her app shows (an
 * image of it, as a screenshot or a photo would be) on his very first screen, which then knows who
 * invited him and offers her relay; "Create" sets up his identity and adds her. They exchange a
 * message. Every click, fill, key press and upload is counted; the report prints each person's
 * count from start to first message (sent, for Bob; read, for Alice).
 */
import { Actor, reportActions } from '../fixtures/actions.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'
import type { Relay } from '../fixtures/index.ts'

/** What the app shows of the community's relay: who runs it, where, and that newcomers are welcome (asked of the relay itself). */
async function expectCommunityRelay (ui: Screens, relay: Relay): Promise<void> {
  const entry = ui.onboarding.relays.filter({ hasText: relay.address })
  await expect(entry).toContainText(relay.operator)
  await expect(entry).toContainText(`Jurisdiction ${relay.jurisdiction}`)
  await expect(entry).toContainText('Open to new users')
}

/** Waits for the app to run and be online. */
async function ready (ui: Screens): Promise<void> {
  await ui.shell.waitReady()
  await expect(ui.shell.onlineState).toHaveText('Online', { timeout: 30_000 })
}

test('a new user joins a relay by its link; another joins from her QR code, adding her, and they talk', async ({ sotto }, testInfo) => {
  const relay = await sotto.relay({ operator: 'Sotto E2E Community', jurisdiction: 'DE' })
  expect(relay.link).toMatch(/^sotto:\/\/relay\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\w+\?operator=Sotto\+E2E\+Community&contact=.+&jurisdiction=DE$/)
  const [alice, bob] = await Promise.all([sotto.app('Alice'), sotto.app('Bob')])
  const [a, b] = [new Screens(await alice.open()), new Screens(await bob.open())]
  const [ann, ben] = [new Actor('Alice'), new Actor('Bob')]

  // Alice: a name, the community's relay link, create.
  await ann.fill(a.onboarding.name, 'Alice')
  await ann.fill(a.onboarding.relayLink, relay.link)
  await expectCommunityRelay(a, relay)
  await ann.click(a.onboarding.create)
  await ready(a)

  // With no contacts, her app shows her own invite at once: the short link and its QR code.
  const short = await a.invite.readLink()
  expect(short).toMatch(/^sotto:\/\/s\/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+$/)
  expect(short.length).toBeLessThanOrEqual(200)
  const qr = await a.invite.qrCode.screenshot({ animations: 'disabled' })

  // Bob's first screen reads her QR code: it says who invited him before anything is created, and
  // chooses her relay (it welcomes newcomers) in plain sight.
  await ben.upload(b.onboarding.inviteQrImage, { name: 'alice-invite.png', mimeType: 'image/png', buffer: qr })
  await expect(b.onboarding.invitedBy('Alice')).toBeVisible()
  await expectCommunityRelay(b, relay)
  await ben.fill(b.onboarding.name, 'Bob')
  await expect(b.onboarding.create).toHaveText('Create my identity and add Alice')
  await ben.click(b.onboarding.create)
  await ready(b)
  // "Create" answered "Add Alice?": her conversation is open, with no second question.
  await b.chat.waitOpen('Alice')
  await expect(b.addContact.question('Alice')).toHaveCount(0)
  await ben.fill(b.chat.composer, 'Hello Alice, I read your code off the screen.')
  await ben.press(b.chat.composer, 'Enter')
  ben.mark()

  // Alice: Bob's request waits where she is looking, with his first message; accepting him is
  // still her own act.
  const request = a.requests.request('Bob')
  await expect(request).toContainText('Hello Alice, I read your code off the screen.', { timeout: 30_000 })
  await ann.click(request.getByRole('button', { name: /^Accept/ }))
  await a.chat.waitOpen('Bob')
  await expect(a.chat.message('Hello Alice, I read your code off the screen.')).toBeVisible()
  ann.mark()
  await ann.fill(a.chat.composer, 'Welcome, Bob!')
  await ann.press(a.chat.composer, 'Enter')
  await expect(b.chat.message('Welcome, Bob!')).toBeVisible()
  await expect(b.chat.state('Hello Alice, I read your code off the screen.')).toHaveText(/Delivered|Read/)

  // The goal of first contact, on the counts this journey made.
  expect(ann.counted, 'Alice: name, relay link, create, accept').toBeLessThanOrEqual(5)
  expect(ben.counted, 'Bob: QR image, name, create, message, Enter').toBeLessThanOrEqual(5)
  reportActions(testInfo, [ann, ben], 'from start to the first message sent or read; goal ≤ 5 each')
  process.stdout.write(`user actions to the first message: Alice ${ann.counted}, Bob ${ben.counted}; in all: Alice ${ann.count}, Bob ${ben.count}\n`)
})
