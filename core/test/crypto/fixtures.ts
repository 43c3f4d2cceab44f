// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Shared set-up for the crypto tests: real encrypted stores in temp dirs, identities, and helpers
 * that run one operation per committed transaction, as the messenger does.
 */
import { strict as assert } from 'node:assert'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../src/storage/index.js'
import {
  createLocalIdentity,
  currentPreKeyBundle,
  loadLocalIdentity,
  seal,
  startSession,
  unseal
} from '../../src/crypto/index.js'
import type { CreateLocalIdentityOptions, LocalIdentity, UnsealedMessage } from '../../src/crypto/index.js'
import type { PreKeyBundleData } from '../../src/protocol/types.js'
import type { Store, Transaction } from '../../src/storage/types.js'

/** One user: a store in its own temp dir and the identity in it. */
export interface Party {
  store: Store
  identity: LocalIdentity
  dir: string
}

/** Opens (or reopens) the store in `dir`. */
export async function openTestStore (dir: string): Promise<Store> {
  return await openStore({ dir, keySource: { kind: 'passphrase', passphrase: 'x' }, scryptLogN: 10 })
}

/** A new user with a fresh store and identity, created at `now`. */
export async function newParty (now = Date.now(), options: CreateLocalIdentityOptions = {}): Promise<Party> {
  const dir = await mkdtemp(join(tmpdir(), 'sotto-crypto-'))
  const store = await openTestStore(dir)
  const identity = await inTx(store, async tx => await createLocalIdentity(tx, now, options))
  return { store, identity, dir }
}

/** Closes the party's store and opens it again, reloading the identity from disk. */
export async function reopen (party: Party): Promise<void> {
  await party.store.close()
  party.store = await openTestStore(party.dir)
  const identity = await loadLocalIdentity(party.store)
  if (identity === undefined) {
    throw new Error('the identity did not survive reopening')
  }
  party.identity = identity
}

/** Closes the stores of `parties` and removes their temp dirs. */
export async function cleanUp (...parties: Party[]): Promise<void> {
  await Promise.all(parties.map(async party => {
    await party.store.close()
    await rm(party.dir, { recursive: true, force: true })
  }))
}

/** Runs `fn` in one transaction and commits it only when `fn` succeeds. */
export async function inTx<T> (store: Store, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const tx = store.transaction()
  const result = await fn(tx)
  await tx.commit()
  return result
}

/** A prekey bundle of `party` (committing the cursor advance). */
export async function bundleOf (party: Party, options?: { oneTime?: boolean }): Promise<PreKeyBundleData> {
  return await inTx(party.store, async tx => await currentPreKeyBundle(tx, party.identity, options))
}

/** `from` starts a session with `to` from a fresh bundle of `to`. */
export async function connect (from: Party, to: Party, bundle?: PreKeyBundleData): Promise<void> {
  const data = bundle ?? await bundleOf(to)
  await inTx(from.store, async tx => { await startSession(tx, from.identity, to.identity.userId, data) })
}

/** Seals `text` from `from` to `to`, committing the session step. */
export async function send (from: Party, to: Party, text: string): Promise<Uint8Array> {
  return await inTx(from.store, async tx => await seal(tx, from.identity, to.identity.userId, new TextEncoder().encode(text)))
}

/** Unseals at `to`, committing only on success. */
export async function receive (to: Party, sealed: Uint8Array): Promise<UnsealedMessage> {
  return await inTx(to.store, async tx => await unseal(tx, to.identity, sealed))
}

/** The text of an unsealed message. */
export function text (message: UnsealedMessage): string {
  return new TextDecoder().decode(message.plaintext)
}

/** The error `promise` rejects with, checked to be a `type`; fails the test otherwise. */
export async function rejection<E> (promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const outcome = await promise.then(() => ({ resolved: true as const }), (err: unknown) => ({ resolved: false as const, err }))
  if (outcome.resolved) {
    assert.fail(`expected a rejection with ${type.name}`)
  }
  if (!(outcome.err instanceof type)) {
    assert.fail(`expected ${type.name}, got ${String(outcome.err)}`)
  }
  return outcome.err
}
