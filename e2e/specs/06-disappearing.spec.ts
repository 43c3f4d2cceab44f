// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 6, disappearing messages: a 10-second timer is set; the message disappears from both
 * screens and, after a restart, from both data directories.
 */
import { introduce, setUp } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import { Screens } from '../fixtures/screens.ts'
import { sottoHistory, waitForClock } from '../fixtures/sotto-cli.ts'

test('a 10-second timer deletes messages from both screens and, across a restart, both data directories', async ({ sotto }) => {
  const alice = await sotto.app('Alice')
  const bob = await sotto.app('Bob')
  await Promise.all([setUp(alice, 'Alice'), setUp(bob, 'Bob')])
  const { aKnowsB, bKnowsA } = await introduce(alice, bob)
  const a = new Screens(await alice.open())
  const b = new Screens(await bob.open())
  await a.openChat('Bob')
  await b.openChat('Alice')

  const kept = 'Written before the timer: this one stays.'
  await a.chat.send(kept)
  await expect(b.chat.message(kept)).toBeVisible()

  // Alice sets the timer; Bob's side learns it too.
  await a.chat.timer.selectOption({ label: 'Disappear after 10 seconds' })
  await expect(a.page.getByText('Messages disappear 10 seconds after they are read.')).toBeVisible()
  await expect(b.page.getByText('Messages disappear 10 seconds after they are read.')).toBeVisible()

  // A message under the timer shows on both screens, marked, then goes from both.
  const vanishing = 'This one is gone in ten seconds.'
  await a.chat.send(vanishing)
  await expect(b.chat.message(vanishing)).toBeVisible()
  await expect(a.chat.message(vanishing).locator('.disappearing')).toBeVisible()
  await expect(b.chat.message(vanishing).locator('.disappearing')).toBeVisible()
  const sent = (await alice.api.call('history', { contactId: aKnowsB.id })).find(m => m.text === vanishing)!
  const read = (await bob.api.call('history', { contactId: bKnowsA.id })).find(m => m.text === vanishing)!
  // The sender's copy counts from sending, the reader's from reading.
  expect(sent.expiresAt! - sent.sentAt).toBe(10_000)
  expect(read.expiresAt! - read.readAt!).toBe(10_000)
  await expect(a.chat.message(vanishing)).toHaveCount(0, { timeout: 30_000 })
  await expect(b.chat.message(vanishing)).toHaveCount(0, { timeout: 30_000 })
  await expect(a.chat.message(kept)).toBeVisible()
  await expect(b.chat.message(kept)).toBeVisible()
  await expect(b.shell.conversation('Alice')).not.toContainText(vanishing)

  // One more, read; then both apps stop before it is due. It must still go.
  const whileStopped = 'This one is due while both apps are stopped.'
  await a.chat.send(whileStopped)
  await expect(b.chat.message(whileStopped)).toBeVisible()
  await expect.poll(async () => (await bob.api.call('history', { contactId: bKnowsA.id })).find(m => m.text === whileStopped)?.expiresAt)
    .toBeDefined()
  const due = Math.max(...[
    ...(await alice.api.call('history', { contactId: aKnowsB.id })),
    ...(await bob.api.call('history', { contactId: bKnowsA.id }))
  ].filter(m => m.text === whileStopped).map(m => m.expiresAt!))
  expect(due, 'both apps stop before the message is due').toBeGreaterThan(Date.now())
  await Promise.all([alice.stop(), bob.stop()])
  expect(Date.now(), 'both apps stopped before the message was due').toBeLessThan(due)
  await waitForClock(due + 500)

  // After a restart neither shows it, and neither data directory holds it any more.
  await Promise.all([alice.start(), bob.start()])
  await a.openChat('Bob')
  await b.openChat('Alice')
  await expect(a.chat.message(kept)).toBeVisible()
  await expect(b.chat.message(kept)).toBeVisible()
  expect(await a.chat.renderedTexts()).toEqual([kept])
  expect(await b.chat.renderedTexts()).toEqual([kept])
  await Promise.all([alice.stop(), bob.stop()])
  const [aliceData, bobData] = await Promise.all([
    sottoHistory(alice.messengerDir, alice.passphrase, aKnowsB.id),
    sottoHistory(bob.messengerDir, bob.passphrase, bKnowsA.id)
  ])
  expect(aliceData.map(m => m.text)).toEqual([kept])
  expect(bobData.map(m => m.text)).toEqual([kept])
})
