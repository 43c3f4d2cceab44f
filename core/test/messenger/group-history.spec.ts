// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's timeline from its log: renames name what they replaced, in the order the log resolves
 * them, so two members who hold the same changes show the same timeline whatever order they came in.
 */
import { strict as assert } from 'node:assert'
import { before, describe, it } from 'node:test'
import { GroupLog, createGroup } from '../../src/groups/index.js'
import { groupHistory } from '../../src/messenger/group-history.js'
import { people } from '../groups/fixtures.js'
import type { Someone } from '../groups/fixtures.js'

/** No contacts: every name comes from the members' cards. */
const repos = { contacts: { get: async () => undefined } } as unknown as Parameters<typeof groupHistory>[0]

/** The timeline's renames of `log`: who, from what, to what. */
async function renames (log: GroupLog): Promise<Array<[string, string | undefined, string | undefined]>> {
  return (await groupHistory(repos, log)).filter(c => c.type === 'renamed').map(c => [c.byName, c.previousName, c.name])
}

describe('group timeline', () => {
  let alice: Someone, bob: Someone

  before(async () => {
    [alice, bob] = await people(2) as [Someone, Someone]
  })

  it('names the name each rename replaced, the same at members who took concurrent renames in either order', async () => {
    const { log, create } = createGroup(alice.signer, { name: 'Family', creator: alice.entry, now: 1 })
    const changes = [
      log.propose(alice.signer, { type: 'add', member: bob.entry }),
      log.propose(alice.signer, { type: 'make-admin', userId: bob.signer.userId }),
      log.propose(alice.signer, { type: 'rename', name: 'Family 2' })
    ]
    assert.deepEqual(await renames(log), [['Member 0', 'Family', 'Family 2']])
    const a = GroupLog.open(create, changes)
    const b = GroupLog.open(create, changes)
    const byAlice = a.propose(alice.signer, { type: 'rename', name: 'Alice\'s' })
    const byBob = b.propose(bob.signer, { type: 'rename', name: 'Bob\'s' })
    a.receive(byBob)
    b.receive(byAlice)
    const shown = await renames(a)
    assert.deepEqual(await renames(b), shown)
    assert.equal(shown.length, 3)
    assert.deepEqual(shown.slice(1).map(([, from]) => from), ['Family 2', shown[1]?.[2]], 'each replaced the name before it')
    assert.equal(shown[2]?.[2], a.state.name, 'the last one is the group\'s name')
  })
})
