// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { GroupLog, createGroup, loadGroupLog, loadGroupLogs, recordGroupChange } from '../../src/groups/index.js'
import { openTestStore } from '../crypto/fixtures.js'
import { people } from './fixtures.js'
import type { Store } from '../../src/storage/index.js'
import type { Someone } from './fixtures.js'

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

describe('groups store', () => {
  let dir: string
  let store: Store
  let p: Someone[]

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sotto-groups-'))
    store = await openTestStore(dir)
    p = await people(4)
  })

  after(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps logs across a restart, a change waiting for its parent included', async () => {
    const [alice, bob, carol, dave] = p as [Someone, Someone, Someone, Someone]
    const family = createGroup(alice.signer, { name: 'Family', creator: alice.entry })
    const team = createGroup(bob.signer, { name: 'Team', creator: bob.entry })
    const adds = [bob, carol].map(m => family.log.propose(alice.signer, { type: 'add', member: m.entry }))
    const late = family.log.propose(alice.signer, { type: 'add', member: dave.entry })
    const replica = GroupLog.open(family.create, [adds[0] as Uint8Array])
    assert.equal(replica.receive(late), 'pending')

    const tx = store.transaction()
    recordGroupChange(tx, replica, family.create)
    recordGroupChange(tx, replica, adds[0] as Uint8Array)
    recordGroupChange(tx, replica, late)
    recordGroupChange(tx, team.log, team.create)
    await tx.commit()
    await store.close()
    store = await openTestStore(dir)

    const loaded = await loadGroupLog(store, family.log.groupId) as GroupLog
    assert.equal(loaded.state.members.has(dave.signer.userId), false, 'still waiting for its parent')
    assert.equal(loaded.receive(adds[1] as Uint8Array), 'applied')
    assert.equal(hex(loaded.state.hash), hex(family.log.state.hash))
    const all = await loadGroupLogs(store)
    assert.deepEqual(all.map(l => l.state.name).sort(), ['Family', 'Team'])
    assert.equal(await loadGroupLog(store, 'ee'.repeat(16)), undefined)
  })
})
