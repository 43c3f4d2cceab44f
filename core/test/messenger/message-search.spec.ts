// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Unit tests of message search over a real store: the index built at start from stored messages,
 * and events that arrive while it is built are not undone by the stored copies.
 */
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { Events, toMessage } from '../../src/messenger/context.js'
import { MessageSearch } from '../../src/messenger/message-search.js'
import { messageOrder } from '../../src/messenger/records.js'
import { loggers, tempRepos } from './fakes.js'
import type { MessageRecord } from '../../src/messenger/records.js'

const COUNT = 2000

describe('message search', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  it('indexes the stored history at start; what changes during the build wins over the stored copy', async () => {
    const { repos, close } = await tempRepos()
    cleanups.push(close)
    const stored: MessageRecord[] = Array.from({ length: COUNT }, (_, i) => ({
      id: i.toString(16).padStart(32, '0'),
      contactId: i % 2 === 0 ? 'bob' : 'carol',
      direction: 'in',
      text: `common word${i}`,
      sentAt: 1000 + i,
      order: messageOrder(i, 'in'),
      storedAt: 1000 + i,
      state: 'delivered'
    }))
    await repos.state.change(async tx => {
      for (const m of stored) {
        repos.messages.put(tx, m)
        repos.refs.put(tx, { contactId: m.contactId, sentAt: m.sentAt, order: m.order }, m.id)
      }
    })
    const events = new Events()
    const search = new MessageSearch({ repos, events, log: loggers.forComponent('test') })
    search.start()
    // While the build reads the store: the last stored message is edited, the one before deleted.
    const last = stored[COUNT - 1] as MessageRecord
    const deleted = stored[COUNT - 2] as MessageRecord
    await repos.state.change(async tx => { repos.messages.put(tx, { ...last, text: 'changed', editedAt: 1 }) })
    events.emit('edit', toMessage({ ...last, text: 'changed', editedAt: 1 }))
    events.emit('delete', { contactId: deleted.contactId, id: deleted.id, everyone: false })

    assert.deepEqual((await search.search('changed')).map(m => m.id), [last.id])
    assert.deepEqual(await search.search(`word${COUNT - 1}`), [], 'the stored copy did not come back')
    assert.deepEqual(await search.search(`word${COUNT - 2}`), [])
    assert.equal(search.size, COUNT - 1)
    assert.equal((await search.search('common', { conversationId: 'bob', limit: COUNT })).length, COUNT / 2 - 1)
    await search.stop()
  })
})
