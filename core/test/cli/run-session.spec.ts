// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { serveSession } from '../../src/cli/run-session.js'
import type { Messenger, MessengerEvents } from '../../src/messenger/index.js'

describe('sotto run: events', () => {
  it('prints that this installation was replaced', async () => {
    const listeners = new Map<string, (e: unknown) => void>()
    const messenger = {
      on: (event: string, listener: (e: unknown) => void) => { listeners.set(event, listener) },
      identity: () => ({ userId: 'me', peerId: 'peer-me', name: 'Me' }),
      addresses: () => [],
      markRead: async () => {}
    } as unknown as Messenger
    const input = new PassThrough()
    const out: string[] = []
    const served = serveSession(messenger, { out: t => { out.push(t) }, err: () => {}, input }, async () => ({}))
    const replaced: MessengerEvents['replaced'] = { number: 1, replacedBy: 2 }
    listeners.get('replaced')?.(replaced)
    input.end()
    await served
    assert.deepEqual(out.map(l => JSON.parse(l) as unknown).filter(l => (l as { event: string }).event === 'replaced'), [{ event: 'replaced', installation: 1, replacedBy: 2 }])
  })
})
