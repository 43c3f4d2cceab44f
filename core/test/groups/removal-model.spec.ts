// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A model of random sends, removals and re-additions with real identities in real stores: every
 * member at the time of a send reads it, and nobody else can decrypt it, not even with every
 * sender key they held while they were a member.
 */
import { strict as assert } from 'node:assert'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { groupDecrypt, sealedSenderDecryptToUsmc } from '@signalapp/libsignal-client'
import fc from 'fast-check'
import { addressOf, createSignalStores, currentPreKeyBundle, seal, unseal } from '../../src/crypto/index.js'
import {
  SottoSenderKeyStore, checkGroupSender, createGroup, markSenderKeyDistributed, openGroupMessage, prepareGroupSend,
  processSenderKeyDistribution, recipientsOf, sealForGroup, startMemberSessions
} from '../../src/groups/index.js'
import { signInviteCard } from '../../src/protocol/index.js'
import { makeCard } from '../protocol/fixtures.js'
import { cleanUp, inTx, newParty } from '../crypto/fixtures.js'
import type { Party } from '../crypto/fixtures.js'
import type { GroupLog, GroupMemberEntry } from '../../src/groups/index.js'

const PARTIES = 4

type Step = { kind: 'send', who: number } | { kind: 'remove' | 'add', who: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), who: fc.integer({ min: 0, max: PARTIES - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('remove' as const, 'add' as const), who: fc.integer({ min: 1, max: PARTIES - 1 }) }) }
)

async function entryOf (party: Party): Promise<GroupMemberEntry> {
  const bundle = await inTx(party.store, async tx => await currentPreKeyBundle(tx, party.identity, { oneTime: false }))
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const card = makeCard({ identityKey: party.identity.keyPair.privateKey, bundle, peerId }, { userId: party.identity.userId })
  return { card: signInviteCard(card, party.identity.keyPair.privateKey), depositToken: randomBytes(16) }
}

/** Whether `at` can decrypt `inner` (a sender-key message of `from`) with the keys it holds. */
async function canDecrypt (at: Party, from: Party, inner: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const stores = createSignalStores(at.store.transaction(), at.identity)
  try {
    await groupDecrypt(addressOf(from.identity.userId), new SottoSenderKeyStore(stores.context), inner)
    return true
  } catch {
    return false
  }
}

/** `from` sends `text` in `log`'s group, as a messenger would; returns the parts by user id. */
async function send (parties: Party[], from: Party, log: GroupLog, text: string): Promise<Map<string, Uint8Array>> {
  const recipients = recipientsOf(log.state, from.identity.userId)
  await inTx(from.store, async tx => await startMemberSessions(tx, from.identity, log.state))
  const plan = await inTx(from.store, async tx => await prepareGroupSend(tx, from.identity, log.groupId, recipients))
  for (const userId of plan.missing) {
    const to = parties.find(p => p.identity.userId === userId) as Party
    const sealed = await inTx(from.store, async tx => await seal(tx, from.identity, userId, plan.distributionMessage))
    await inTx(to.store, async tx => {
      const opened = await unseal(tx, to.identity, sealed)
      await processSenderKeyDistribution(tx, to.identity, opened.senderUserId, log.groupId, opened.plaintext)
    })
  }
  await inTx(from.store, async tx => { await markSenderKeyDistributed(tx, log.groupId, recipients) })
  return await inTx(from.store, async tx =>
    await sealForGroup(tx, from.identity, log.groupId, recipients.map(r => r.userId), new TextEncoder().encode(text)))
}

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
      for (const [n, step] of [{ kind: 'add', who: 1 } as Step, ...steps].entries()) {
        const party = parties[step.who] as Party
        const member = log.state.members.has(party.identity.userId)
        if (step.kind === 'add' && !member) log.propose(admin.identity, { type: 'add', member: entries[step.who] as GroupMemberEntry })
        if (step.kind === 'remove' && member) log.propose(admin.identity, { type: 'remove', userId: party.identity.userId })
        if (step.kind !== 'send' || !member || log.state.members.size < 2) continue
        const text = `message ${n}`
        const parts = await send(parties, party, log, text)
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
