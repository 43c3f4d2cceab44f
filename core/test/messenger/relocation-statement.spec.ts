// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createLocalIdentity, currentPreKeyBundle } from '../../src/crypto/index.js'
import { checkStatement, makeStatement } from '../../src/messenger/relocation.js'
import { signInviteCard } from '../../src/protocol/index.js'
import { openStore } from '../../src/storage/index.js'
import { tempDir } from './helpers.js'
import type { LocalIdentity } from '../../src/crypto/index.js'
import type { Store } from '../../src/storage/index.js'

describe('an installation\'s statement', () => {
  const stores: Store[] = []
  const dirs: Array<{ cleanup(): Promise<void> }> = []
  let alice: LocalIdentity
  let mallory: LocalIdentity
  let aliceCard: Uint8Array
  let malloryCard: Uint8Array

  /** A new identity, as installation `installation`, and its signed card. */
  async function identity (installation: number): Promise<{ identity: LocalIdentity, card: Uint8Array }> {
    const d = await tempDir()
    dirs.push(d)
    const store = await openStore({ dir: d.dir, keySource: { kind: 'passphrase', passphrase: 'a passphrase' }, scryptLogN: 10 })
    stores.push(store)
    const tx = store.transaction()
    const made = { ...await createLocalIdentity(tx, Date.now()), installation }
    await tx.commit()
    const bundle = await currentPreKeyBundle(store.transaction(), made, { oneTime: false })
    const card = signInviteCard({ name: 'Alice', userId: made.userId, peerId: '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN', bundle, addrs: [], relays: [], createdAt: Date.now() }, made.keyPair.privateKey)
    return { identity: made, card }
  }

  before(async () => {
    ({ identity: alice, card: aliceCard } = await identity(2))
    ;({ identity: mallory, card: malloryCard } = await identity(3))
  })
  after(async () => {
    for (const s of stores) await s.close()
    for (const d of dirs) await d.cleanup()
  })

  it('holds for its own identity key, and names its card', () => {
    const statement = makeStatement(alice, aliceCard)
    assert.equal(statement.installation, 2)
    assert.equal(checkStatement(statement, alice.identityKey, alice.userId).userId, alice.userId)
  })

  it('is refused with another number, another card, another key or another owner', () => {
    const statement = makeStatement(alice, aliceCard)
    const refused = { name: 'InvalidInputError' }
    assert.throws(() => checkStatement({ ...statement, installation: 3 }, alice.identityKey, alice.userId), refused)
    assert.throws(() => checkStatement({ ...statement, card: malloryCard }, alice.identityKey, alice.userId), refused)
    assert.throws(() => checkStatement(statement, mallory.identityKey, alice.userId), refused)
    // Signed by Mallory's key over Mallory's card: not Alice's statement, whatever it claims.
    assert.throws(() => checkStatement(makeStatement(mallory, malloryCard), mallory.identityKey, alice.userId), refused)
    const flipped = statement.signature.slice()
    flipped[0] = (flipped[0] as number) ^ 1
    assert.throws(() => checkStatement({ ...statement, signature: flipped }, alice.identityKey, alice.userId), refused)
  })
})
