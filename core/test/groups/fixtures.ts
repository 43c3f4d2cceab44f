// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Would-be group members with real keys and signed cards, made without a store.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { IdentityKeyPair } from '@signalapp/libsignal-client'
import { signInviteCard } from '../../src/protocol/index.js'
import { makeCard, makeIdentity } from '../protocol/fixtures.js'
import type { GroupMemberEntry, GroupSigner } from '../../src/groups/index.js'

/** Someone who can sign group changes and be added to a group. */
export interface Someone {
  signer: GroupSigner
  entry: GroupMemberEntry
}

/** A fresh person: identity, card without a one-time prekey, and a group deposit token. */
export async function someone (name = 'Member'): Promise<Someone> {
  const who = await makeIdentity()
  delete who.bundle.preKeyId
  delete who.bundle.preKey
  const userId = randomUUID()
  const card = signInviteCard(makeCard(who, { name, userId }), who.identityKey)
  const keyPair = new IdentityKeyPair(who.identityKey.getPublicKey(), who.identityKey)
  return { signer: { userId, keyPair }, entry: { card, depositToken: randomBytes(32) } }
}

/** `count` fresh people. */
export async function people (count: number): Promise<Someone[]> {
  return await Promise.all(Array.from({ length: count }, async (_, i) => await someone(`Member ${i}`)))
}
