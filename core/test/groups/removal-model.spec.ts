// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A model of random sends, removals and re-additions with real identities in real stores: every
 * member at the time of a send reads it, and nobody else can decrypt it, not even with every
 * sender key they held while they were a member.
 */
import { strict as assert } from 'node:assert'
import { after, before, describe, it } from 'node:test'
import { sealedSenderDecryptToUsmc } from '@signalapp/libsignal-client'
import fc from 'fast-check'
import { createSignalStores } from '../../src/crypto/index.js'
import { checkGroupSender, createGroup, openGroupMessage } from '../../src/groups/index.js'
import { cleanUp, inTx, newParty } from '../crypto/fixtures.js'
import { canDecrypt, entryOf, sendInGroup } from './parties.js'
import type { Party } from '../crypto/fixtures.js'
import type { GroupMemberEntry } from '../../src/groups/index.js'

const PARTIES = 4

type Step = { kind: 'send', who: number } | { kind: 'remove' | 'add', who: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), who: fc.integer({ min: 0, max: PARTIES - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('remove' as const, 'add' as const), who: fc.integer({ min: 1, max: PARTIES - 1 }) }) }
)

/** The model starts with everyone in, so that removals have someone to remove from the first step. */
const everyoneIn: Step[] = Array.from({ length: PARTIES - 1 }, (_, i) => ({ kind: 'add', who: i + 1 }))

describe('groups removal model', () => {
  let parties: Party[]
  let entries: GroupMemberEntry[]

  before(async () => {
    parties = await Promise.all(Array.from({ length: PARTIES }, async () => await newParty()))
    entries = await Promise.all(parties.map(entryOf))
  })

  after(async () => {
    await cleanUp(...parties)
  })

  it('members at the time of a send read it; nobody else can decrypt it', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 16 }), async steps => {
      const admin = parties[0] as Party
      const { log } = createGroup(admin.identity, { name: 'Model', creator: entries[0] as GroupMemberEntry })
      for (const [n, step] of [...everyoneIn, ...steps].entries()) {
        const party = parties[step.who] as Party
        const member = log.state.members.has(party.identity.userId)
        if (step.kind === 'add' && !member) log.propose(admin.identity, { type: 'add', member: entries[step.who] as GroupMemberEntry })
        if (step.kind === 'remove' && member) log.propose(admin.identity, { type: 'remove', userId: party.identity.userId })
        if (step.kind !== 'send' || !member || log.state.members.size < 2) continue
        const text = `message ${n}`
        const { parts } = await sendInGroup(party, parties, log, text)
        const anyPart = [...parts.entries()][0] as [string, Uint8Array]
        const holder = parties.find(p => p.identity.userId === anyPart[0]) as Party
        const inner = (await sealedSenderDecryptToUsmc(new Uint8Array(anyPart[1]), createSignalStores(holder.store.transaction(), holder.identity).identity)).contents()
        for (const other of parties.filter(p => p !== party)) {
          const part = parts.get(other.identity.userId)
          if (log.state.members.has(other.identity.userId)) {
            const message = await inTx(other.store, async tx => await openGroupMessage(tx, other.identity, part as Uint8Array))
            checkGroupSender(log.state, message)
            assert.equal(new TextDecoder().decode(message.plaintext), text)
          } else {
            assert.equal(part, undefined)
            assert.equal(await canDecrypt(other, party, inner), false, 'a non-member decrypts with a key they kept')
          }
        }
      }
    }), { numRuns: 40 })
  })
})
