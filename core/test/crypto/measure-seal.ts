// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A small measurement, not a test: per-operation time of seal and unseal for 100 B and 4 KiB on an
 * established session, inside a transaction of the real store (commit not counted), and over a
 * plain Map standing in for the store (the libsignal cost alone).
 * Run: node core/dist/test/crypto/measure-seal.js
 */
import { performance } from 'node:perf_hooks'
import { seal, unseal } from '../../src/crypto/index.js'
import { cleanUp, connect, newParty, receive, send } from './fixtures.js'
import type { Key, Transaction } from '../../src/storage/types.js'

/** Only for timing: a Map behind the Transaction interface, writes applied at once. */
function mapTransaction (data: Map<string, Uint8Array>): Transaction {
  const id = (key: Key): string => JSON.stringify(key)
  return {
    get: async key => data.get(id(key)),
    values: () => { throw new Error('not used') },
    put: (key, value) => { data.set(id(key), value) },
    del: key => { data.delete(id(key)) },
    commit: async () => {}
  }
}

const ROUNDS = 500

const alice = await newParty()
const bob = await newParty()
await connect(alice, bob)
await receive(bob, await send(alice, bob, 'hello'))
await receive(alice, await send(bob, alice, 'hello'))

for (const size of [100, 4096]) {
  const plaintext = new Uint8Array(size).fill(7)
  let sealMs = 0
  let unsealMs = 0
  let sealedBytes = 0
  for (let i = 0; i < ROUNDS; i++) {
    const sendTx = alice.store.transaction()
    let start = performance.now()
    const sealed = await seal(sendTx, alice.identity, bob.identity.userId, plaintext)
    sealMs += performance.now() - start
    await sendTx.commit()
    sealedBytes = sealed.byteLength
    const receiveTx = bob.store.transaction()
    start = performance.now()
    await unseal(receiveTx, bob.identity, sealed)
    unsealMs += performance.now() - start
    await receiveTx.commit()
  }
  console.log(`store ${size} B: seal ${(sealMs / ROUNDS).toFixed(3)} ms/op, unseal ${(unsealMs / ROUNDS).toFixed(3)} ms/op, sealed ${sealedBytes} B`)
}

// The same session state, copied into Maps, to time libsignal without the store.
const aliceMap = new Map<string, Uint8Array>()
const bobMap = new Map<string, Uint8Array>()
for (const [party, map, other] of [[alice, aliceMap, bob], [bob, bobMap, alice]] as const) {
  for (const key of [['signal-session', other.identity.userId], ['signal-identity', other.identity.userId]] as const) {
    const value = await party.store.get(key)
    if (value !== undefined) {
      map.set(JSON.stringify(key), value)
    }
  }
}
for (const size of [100, 4096]) {
  const plaintext = new Uint8Array(size).fill(7)
  let sealMs = 0
  let unsealMs = 0
  for (let i = 0; i < ROUNDS; i++) {
    let start = performance.now()
    const sealed = await seal(mapTransaction(aliceMap), alice.identity, bob.identity.userId, plaintext)
    sealMs += performance.now() - start
    start = performance.now()
    await unseal(mapTransaction(bobMap), bob.identity, sealed)
    unsealMs += performance.now() - start
  }
  console.log(`map   ${size} B: seal ${(sealMs / ROUNDS).toFixed(3)} ms/op, unseal ${(unsealMs / ROUNDS).toFixed(3)} ms/op`)
}
await cleanUp(alice, bob)
