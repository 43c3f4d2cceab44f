// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Mailbox keys, ids, tokens and owner signatures.
 */

import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import {
  decodeOwnerOp, generateDepositToken, generateMailboxKey, hashDepositToken, mailboxIdOf, ownerOpSigningBytes,
  signOwnerOp, verifyOwnerOp
} from '../../src/mailbox/index.js'

describe('mailbox keys and owner ops', () => {
  it('derives the mailbox id as SHA-256 of the raw public key', async () => {
    const key = await generateMailboxKey()
    assert.equal(Buffer.from(mailboxIdOf(key)).toString('hex'), createHash('sha256').update(key.publicKey.raw).digest('hex'))
    assert.notDeepEqual(mailboxIdOf(key), mailboxIdOf(await generateMailboxKey()))
    await assert.rejects(async () => mailboxIdOf(await generateKeyPair('secp256k1')), { name: 'InvalidInputError' })
  })

  it('makes random 32-byte tokens and hashes them', () => {
    const t = generateDepositToken()
    assert.equal(t.byteLength, 32)
    assert.notDeepEqual(t, generateDepositToken())
    assert.equal(Buffer.from(hashDepositToken(t)).toString('hex'), createHash('sha256').update(t).digest('hex'))
    assert.throws(() => hashDepositToken(new Uint8Array(31)), { name: 'InvalidInputError' })
  })

  it('signs an op that verifies, and fails for any change or another key', async () => {
    const key = await generateMailboxKey()
    const signed = await signOwnerOp(key, { kind: 'ack', ids: [1, 2, 3], relay: new Uint8Array([1, 2]), mailboxId: mailboxIdOf(key), freshness: { timestamp: 1_700_000_000_000 } })
    assert.equal(await verifyOwnerOp(signed.publicKey, signed.op, signed.signature), true)
    const op = decodeOwnerOp(signed.op)
    assert.equal(op.kind, 'ack')
    for (let i = 0; i < signed.op.byteLength; i++) {
      const changed = new Uint8Array(signed.op)
      changed[i]! ^= 1
      assert.equal(await verifyOwnerOp(signed.publicKey, changed, signed.signature), false, `byte ${i} changed`)
    }
    const other = await generateMailboxKey()
    assert.equal(await verifyOwnerOp(other.publicKey.raw, signed.op, signed.signature), false)
    assert.equal(await verifyOwnerOp(new Uint8Array(5), signed.op, signed.signature), false, 'a malformed key is a failed check, not a throw')
    assert.equal(Buffer.from(ownerOpSigningBytes(new Uint8Array([9]))).toString(), 'sotto-mailbox-op/1\u0000\u0009')
  })
})
