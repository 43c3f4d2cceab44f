// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Strangers holding Bob's invite write to him on loopback, more than he keeps requests for: the
 * newest wait, the oldest are dropped, and he is told how many were, also after a restart.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { collectEvents, nextEvent, startMessenger, tempDir } from './helpers.js'
import type { Messenger } from '../../src/messenger/index.js'

describe('messenger: contact requests beyond the cap', () => {
  const dirs: Array<{ dir: string, cleanup(): Promise<void> }> = []
  const running: Messenger[] = []
  after(async () => {
    for (const m of running) await m.stop().catch(() => {})
    for (const d of dirs) await d.cleanup()
  })

  async function start (name: string, dir?: string, maxRequests?: number): Promise<{ messenger: Messenger, dir: string }> {
    let made = dir
    if (made == null) {
      const fresh = await tempDir()
      dirs.push(fresh)
      made = fresh.dir
    }
    const messenger = await startMessenger(made, name, maxRequests != null ? { maxRequests } : {})
    running.push(messenger)
    return { messenger, dir: made }
  }

  it('keeps the newest requests, drops the oldest, and says how many were dropped', { timeout: 120_000 }, async () => {
    const { messenger: bob, dir: bobDir } = await start('Bob', undefined, 2)
    const invite = await bob.invite()
    const dropped = collectEvents(bob, 'requestsDropped', 2)
    for (const name of ['Carol', 'Dave', 'Erin', 'Frank']) {
      const { messenger: stranger } = await start(name)
      const request = nextEvent(bob, 'request', r => r.displayName === name)
      const bobThere = await stranger.addContact(invite)
      await stranger.send(bobThere.id, `hello from ${name}`)
      await request
    }
    assert.deepEqual((await dropped).map(e => e.dropped), [1, 2])
    const waiting = await bob.requests()
    assert.deepEqual(waiting.map(r => r.displayName).sort(), ['Erin', 'Frank'], 'the two newest wait')
    assert.equal(await bob.droppedRequests(), 2)
    await bob.stop()
    running.splice(running.indexOf(bob), 1)
    const again = await start('Bob', bobDir, 2)
    assert.equal(await again.messenger.droppedRequests(), 2, 'the count is kept')
  })
})
