// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Journey 5, reach through the relay: Alice and Bob can only reach each other through the relay
 * (neither app listens on any direct address), and chat works live.
 */
import { chatPair } from '../fixtures/flows.ts'
import { expect, test } from '../fixtures/index.ts'
import type { Screens } from '../fixtures/screens.ts'

test('two apps that only the relay can connect chat live through it', async ({ sotto }) => {
  const relay = await sotto.relay()
  // No direct listener at all: each is reachable only by its circuit address at the relay.
  const alice = await sotto.app('Alice', { listen: ['/p2p-circuit'] })
  const bob = await sotto.app('Bob', { listen: ['/p2p-circuit'] })
  const { a, b } = await chatPair(alice, bob, [relay.address])

  const lines: Array<[Screens, Screens, string]> = [
    [a, b, 'Can you hear me? I am behind two routers.'],
    [b, a, 'Loud and clear, through the relay.'],
    [a, b, 'Then the relay passes the bytes, sealed, and learns nothing.'],
    [b, a, 'Exactly.']
  ]
  for (const [from, to, text] of lines) {
    await from.chat.send(text)
    await expect(to.chat.message(text)).toBeVisible()
    await expect(from.chat.state(text)).toHaveText(/Delivered/)
  }
  // Live, through the relay: a relayed connection, not a mailbox.
  await expect(a.chat.presence).toContainText('Via relay')
  await expect(b.chat.presence).toContainText('Via relay')
  expect(await a.chat.renderedTexts()).toEqual(lines.map(l => l[2]))
  expect(await b.chat.renderedTexts()).toEqual(lines.map(l => l[2]))

  // And only through it: with the relay gone, they lose each other.
  await relay.stop()
  await expect(a.chat.presence).toContainText('Offline', { timeout: 30_000 })
  await expect(b.chat.presence).toContainText('Offline', { timeout: 30_000 })
})
