// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { StorageCorruptError } from '../../src/errors.js'
import { contactFromCard, encodeRecord, keys } from '../../src/messenger/records.js'
import { tempRepos } from './fakes.js'
import type { Repositories } from '../../src/messenger/state.js'

const card = { userId: 'bob', peerId: 'bob-peer', name: 'Bob', addrs: [], relays: [] }

describe('state: repositories and the one way to change them', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  async function repos (): Promise<Repositories> {
    const r = await tempRepos()
    cleanups.push(r.close)
    return r.repos
  }

  it('reads check the shape of a record: a malformed one is StorageCorruptError', async () => {
    const r = await repos()
    await r.state.store.put(keys.contact('bob'), encodeRecord({ id: 'bob', status: 'friend' }))
    await assert.rejects(r.contacts.get('bob'), StorageCorruptError)
  })

  it('update writes what fn changed, durably; false or a missing record writes nothing', async () => {
    const r = await repos()
    await r.state.change(async tx => { r.contacts.put(tx, contactFromCard(card, new Uint8Array(33), 'contact', false, 0)) })
    assert.equal((await r.contacts.update('bob', c => { c.alias = 'Robert' }))?.alias, 'Robert')
    assert.equal((await r.contacts.get('bob'))?.alias, 'Robert')
    await r.contacts.update('bob', c => {
      c.alias = 'not kept'
      return false
    })
    assert.equal((await r.contacts.get('bob'))?.alias, 'Robert')
    assert.equal(await r.contacts.update('nobody', () => {}), undefined)
  })

  it('onSettled and afterCommit run once the change committed; a discarded change commits nothing', async () => {
    const r = await repos()
    const order: string[] = []
    await r.state.change(async (tx, change) => {
      r.contacts.put(tx, contactFromCard(card, new Uint8Array(33), 'contact', false, 0))
      change.afterCommit(() => { order.push('committed') })
      change.onSettled(durable => { order.push(`settled ${durable}`) })
      order.push('fn')
    })
    assert.deepEqual(order, ['fn', 'committed', 'settled true'])
    await r.state.change(async (tx, change) => {
      r.contacts.del(tx, 'bob')
      change.discard()
    })
    assert.notEqual(await r.contacts.get('bob'), undefined)
  })
})
