// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Group helpers over real identities in real stores (the crypto tests' parties): cards for the
 * membership, sender keys handed over one to one as a messenger would, and a look inside.
 */
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { groupDecrypt } from '@signalapp/libsignal-client'
import { addressOf, createSignalStores, currentPreKeyBundle, seal, unseal } from '../../src/crypto/index.js'
import {
  SottoSenderKeyStore, markSenderKeyDistributed, prepareGroupSend, processSenderKeyDistribution, recipientsOf, sealForGroup,
  startMemberSessions
} from '../../src/groups/index.js'
import { signInviteCard } from '../../src/protocol/index.js'
import { makeCard } from '../protocol/fixtures.js'
import { inTx } from '../crypto/fixtures.js'
import type { Party } from '../crypto/fixtures.js'
import type { GroupLog, GroupMemberEntry, GroupRecipient, GroupSendPlan } from '../../src/groups/index.js'

/** `party` as a recipient, under its own identity key. */
export function recipient (party: Party): GroupRecipient {
  return { userId: party.identity.userId, identityKey: party.identity.identityKey }
}

/** `party`'s group entry: a card signed by its identity, its bundle without a one-time prekey. */
export async function entryOf (party: Party): Promise<GroupMemberEntry> {
  const bundle = await inTx(party.store, async tx => await currentPreKeyBundle(tx, party.identity, { oneTime: false }))
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const card = makeCard({ identityKey: party.identity.keyPair.privateKey, bundle, peerId }, { userId: party.identity.userId })
  return { card: signInviteCard(card, party.identity.keyPair.privateKey), depositToken: randomBytes(32) }
}

/**
 * `from` readies its sender key of `groupId` for `recipients` and seals it one to one to those who
 * lack it, who take it in (each found among `parties`).
 */
export async function distribute (from: Party, parties: Party[], groupId: string, recipients = parties.map(recipient)): Promise<GroupSendPlan> {
  const plan = await inTx(from.store, async tx => await prepareGroupSend(tx, from.identity, groupId, recipients))
  for (const userId of plan.missing) {
    const to = parties.find(p => p.identity.userId === userId) as Party
    const sealed = await inTx(from.store, async tx => await seal(tx, from.identity, userId, plan.distributionMessage))
    await inTx(to.store, async tx => {
      const opened = await unseal(tx, to.identity, sealed)
      await processSenderKeyDistribution(tx, to.identity, opened.senderUserId, groupId, opened.plaintext)
    })
  }
  await inTx(from.store, async tx => { await markSenderKeyDistributed(tx, groupId, recipients) })
  return plan
}

/** Whether `at` can decrypt `inner` (a sender-key message of `from`) with the keys it holds. */
export async function canDecrypt (at: Party, from: Party, inner: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const stores = createSignalStores(at.store.transaction(), at.identity)
  try {
    await groupDecrypt(addressOf(from.identity.userId), new SottoSenderKeyStore(stores.context), inner)
    return true
  } catch {
    return false
  }
}

/**
 * `from` sends `text` to the members of `log`'s group as a messenger would: sessions from their
 * cards, its sender key to whoever lacks it, one seal for all. Returns the parts by user id.
 */
export async function sendInGroup (from: Party, parties: Party[], log: GroupLog, text: string): Promise<{ parts: Map<string, Uint8Array>, reset: boolean }> {
  const recipients = recipientsOf(log.state, from.identity.userId)
  await inTx(from.store, async tx => await startMemberSessions(tx, from.identity, log.state))
  const plan = await distribute(from, parties, log.groupId, recipients)
  const parts = await inTx(from.store, async tx =>
    await sealForGroup(tx, from.identity, log.groupId, recipients.map(r => r.userId), new TextEncoder().encode(text)))
  return { parts, reset: plan.reset }
}
