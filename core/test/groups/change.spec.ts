// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { GroupLog, createGroup, decodeGroupChange } from '../../src/groups/index.js'
import { returnsOrThrowsNamed } from '../protocol/fixtures.js'
import { people } from './fixtures.js'
import type { Someone } from './fixtures.js'

describe('groups change codec', () => {
  let create: Uint8Array
  let changes: Uint8Array[]

  before(async () => {
    const [alice, bob] = await people(2) as [Someone, Someone]
    const group = createGroup(alice.signer, { name: 'Codec', creator: alice.entry, now: 5 })
    create = group.create
    changes = [
      group.log.propose(alice.signer, { type: 'add', member: bob.entry }),
      group.log.propose(alice.signer, { type: 'rename', name: 'Codec 2' }),
      group.log.propose(alice.signer, { type: 'make-admin', userId: bob.signer.userId })
    ]
  })

  it('decodes what it signs, field for field', () => {
    const decoded = decodeGroupChange(changes[1] as Uint8Array)
    assert.equal(decoded.version, 3)
    assert.deepEqual(decoded.action, { type: 'rename', name: 'Codec 2' })
    assert.equal(decoded.parents.length, 1)
    assert.equal(decoded.parents[0], decodeGroupChange(changes[0] as Uint8Array).id)
    assert.equal(decodeGroupChange(create).previousHash.every(b => b === 0), true)
  })

  it('returns or throws a named error on any mutation of a change, decoded or received', () => {
    const all = [create, ...changes]
    fc.assert(fc.property(
      fc.integer({ min: 0, max: all.length - 1 }),
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
      fc.option(fc.nat(), { nil: undefined }),
      (which, edits, cut) => {
        const bytes = new Uint8Array(all[which] as Uint8Array)
        for (const { at, value } of edits) bytes[at % bytes.length] = value
        const mutated = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length)
        returnsOrThrowsNamed(() => decodeGroupChange(mutated))
        const log = GroupLog.open(create)
        returnsOrThrowsNamed(() => log.receive(mutated))
      }
    ), { numRuns: 200 })
  })

  it('returns or throws a named error on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), bytes => {
      returnsOrThrowsNamed(() => decodeGroupChange(bytes))
    }), { numRuns: 300 })
  })
})
