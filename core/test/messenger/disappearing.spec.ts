// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { Events } from '../../src/messenger/context.js'
import { createDisappearing } from '../../src/messenger/disappearing.js'
import { FakeClock } from '../util/fake-clock.js'
import { loggers, tempRepos, until } from './fakes.js'
import type { MessageRecord } from '../../src/messenger/records.js'

describe('disappearing messages', () => {
  it('deletes a message when its time is up on the clock, not before, and says so', async () => {
    const { repos, close } = await tempRepos()
    const clock = new FakeClock()
    const events = new Events()
    const expired: string[][] = []
    events.on('expired', e => { expired.push(e.ids) })
    const disappearing = createDisappearing({ repos, events, log: loggers.forComponent('test'), clock })
    try {
      await disappearing.start()
      const message: MessageRecord = {
        id: 'm1', contactId: 'bob', direction: 'in', text: 'soon gone', sentAt: 1, order: 1, storedAt: 1, state: 'delivered', expiresAt: clock.now() + 60_000
      }
      await repos.state.change(async tx => {
        repos.messages.put(tx, message)
        repos.refs.put(tx, { contactId: 'bob', sentAt: 1, order: 1 }, 'm1')
        disappearing.schedule(tx, message)
      })
      disappearing.rearm()
      await clock.advance(59_000)
      assert.notEqual(await repos.message('m1'), undefined, 'not before its time')
      await clock.advance(1_000)
      await until(() => expired.length === 1, 'the expired event')
      assert.deepEqual(expired, [['m1']])
      assert.equal(await repos.message('m1'), undefined)
      assert.equal((await repos.refs.get('m1'))?.gone, true, 'a tombstone stays')
    } finally {
      disappearing.stop()
      await close()
    }
  })
})
