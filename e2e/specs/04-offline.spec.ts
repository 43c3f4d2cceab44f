// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 4, offline: Bob's app is stopped; Alice sends three messages (state: sent to relay);
 * Bob's app is started again and shows them, once each; Alice sees them delivered.
 */
import { pairOnRelay } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'

test('messages to an offline contact wait at the relay and arrive once each when they are back', async ({ sotto }) => {
  const { bob, a, b } = await pairOnRelay(sotto, ['Leaving for the mountains tonight.', 'Have a good trip!'])

  // Bob's app stops; Alice writes three times. Each waits at the relay.
  await bob.stop()
  await expect(a.chat.presence).toContainText('Offline')
  const whileAway = ['Arrived at the hut.', 'No signal up here, mostly.', 'Back on Sunday.']
  for (const text of whileAway) await a.chat.send(text)
  for (const text of whileAway) await expect(a.chat.state(text)).toHaveText(/Sent to relay/, { timeout: 30_000 })

  // Bob's app starts again: it fetches them from the relay, in order, once each.
  await bob.start()
  await b.shell.waitReady()
  await b.openChat('Alice')
  for (const text of whileAway) await expect(b.chat.message(text)).toBeVisible({ timeout: 30_000 })
  for (const text of whileAway) await expect(a.chat.state(text)).toHaveText(/Delivered/, { timeout: 30_000 })
  const expected = ['Leaving for the mountains tonight.', 'Have a good trip!', ...whileAway]
  expect(await b.chat.renderedTexts()).toEqual(expected)
  // Reloaded, still once each.
  await b.page.reload()
  await b.openChat('Alice')
  await expect(b.chat.message(whileAway[2]!)).toBeVisible()
  expect(await b.chat.renderedTexts()).toEqual(expected)
})
