// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Convergence of the membership log: admins change the group at the same time from stale views,
 * the changes reach members in random orders (children before parents included), and every member
 * ends in the same state.
 */
import { strict as assert } from 'node:assert'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { GroupChangeRefusedError } from '../../src/errors.js'
import { GroupLog, createGroup } from '../../src/groups/index.js'
import { people } from './fixtures.js'
import type { GroupAction, GroupState } from '../../src/groups/index.js'
import type { Someone } from './fixtures.js'

const ADMINS = 3
const POOL = 7

/** One admin's move in a round: what they try, on whom. */
const moveArb = fc.record({ kind: fc.integer({ min: 0, max: 5 }), target: fc.integer({ min: 0, max: POOL - 1 }), name: fc.constantFrom('Team', 'Équipe', 'チーム') })

/** A round: some admins move at once, then each admin syncs a random subset of what exists. */
const roundArb = fc.record({
  moves: fc.array(fc.option(moveArb, { nil: undefined }), { minLength: ADMINS, maxLength: ADMINS }),
  syncs: fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: ADMINS, maxLength: ADMINS })
})

/** A deterministic stream of numbers in [0, 1) from `seed` (mulberry32). */
function random (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffled<T> (items: readonly T[], seed: number): T[] {
  const next = random(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

function action (move: { kind: number, target: number, name: string }, pool: Someone[]): GroupAction {
  const who = pool[move.target] as Someone
  switch (move.kind) {
    case 0: case 1: return { type: 'add', member: who.entry }
    case 2: return { type: 'remove', userId: who.signer.userId }
    case 3: return { type: 'make-admin', userId: who.signer.userId }
    case 4: return { type: 'rename', name: move.name }
    default: return { type: 'leave' }
  }
}

function hex (state: GroupState): string {
  return Buffer.from(state.hash).toString('hex')
}

describe('groups membership convergence', () => {
  let pool: Someone[]

  before(async () => {
    pool = await people(POOL)
  })

  it('every member converges to the same state whatever the concurrency and delivery order', () => {
    fc.assert(fc.property(
      fc.array(roundArb, { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 3, maxLength: 3 }),
      (rounds, orders) => {
        const admins = pool.slice(0, ADMINS)
        const first = admins[0] as Someone
        const { log, create } = createGroup(first.signer, { name: 'Team', creator: first.entry, maxMembers: 5, now: 1 })
        for (const other of admins.slice(1)) {
          log.propose(first.signer, { type: 'add', member: other.entry })
          log.propose(first.signer, { type: 'make-admin', userId: other.signer.userId })
        }
        const all = log.changes().slice(1)
        const views = admins.map(() => GroupLog.open(create, all))
        for (const round of rounds) {
          round.moves.forEach((move, i) => {
            if (move === undefined) return
            try {
              all.push(views[i]?.propose((admins[i] as Someone).signer, action(move, pool)) as Uint8Array)
            } catch (err) {
              // Not valid on this admin's view (not an admin any more, a member already, …).
              if (!(err instanceof GroupChangeRefusedError)) throw err
            }
          })
          views.forEach((view, i) => {
            const next = random(round.syncs[i] as number)
            for (const bytes of shuffled(all, round.syncs[i] as number)) {
              if (next() < 0.6) view.receive(bytes)
            }
          })
        }
        const observers = orders.map(seed => {
          const observer = GroupLog.open(create)
          for (const bytes of shuffled(all, seed)) observer.receive(bytes)
          return observer
        })
        for (const view of views) {
          for (const bytes of all) view.receive(bytes)
        }
        const expected = hex(observers[0]?.state as GroupState)
        for (const member of [...observers, ...views]) {
          assert.equal(hex(member.state), expected)
          assert.equal(member.changes().length, all.length + 1, 'every change is held, none waits')
        }
        const state = observers[0]?.state as GroupState
        assert.ok(state.members.size <= state.maxMembers)
        assert.ok(state.members.size === 0 || [...state.members.values()].some(m => m.admin), 'a group with members keeps an admin')
        assert.equal(hex(GroupLog.open(create, observers[1]?.changes().slice(1)).state), expected)
      }
    ), { numRuns: 60 })
  })
})
