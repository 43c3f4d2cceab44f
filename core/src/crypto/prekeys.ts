// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The local prekeys: what goes into a prekey bundle, and the upkeep that refills the one-time pools
 * and rotates the signed and last-resort keys.
 *
 * One-time prekeys are handed out once each (a bundle goes into one invite card), in id order: a
 * cursor per pool marks the next one to offer, so the pool's "available" size is `next - offered`.
 * Offered keys stay stored until a PreKey message uses them.
 */
import {
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  SignedPreKeyRecord
} from '@signalapp/libsignal-client'
import { z } from 'zod'
import { BugError, StorageCorruptError } from '../errors.js'
import { arrayBufferBytes, assertTime } from './bytes.js'
import {
  PREKEY_STATE_KEY,
  kyberPreKeyKey,
  kyberUsedKey,
  kyberUsedPrefix,
  lastResortKyberKey,
  preKeyKey,
  signedPreKeyKey
} from './keys.js'
import type { PreKeyBundleData } from '../protocol/types.js'
import type { StoreReader, Transaction } from '../storage/types.js'
import type { LocalIdentity } from './local-identity.js'

const DAY = 24 * 60 * 60 * 1000

/** How many prekeys are kept, and when keys rotate. */
export const PREKEY_POLICY = Object.freeze({
  /** One-time EC prekeys generated at creation and refilled to. */
  preKeyPoolSize: 100,
  /** Refill the EC pool when fewer than this many remain unoffered. */
  preKeyRefillBelow: 25,
  /** One-time Kyber prekeys generated at creation and refilled to. */
  kyberPoolSize: 20,
  /** Refill the Kyber pool when fewer than this many remain unoffered. */
  kyberRefillBelow: 5,
  /** Rotate the signed prekey and the last-resort Kyber prekey when older than this (7 days). */
  rotateAfterMs: 7 * DAY,
  /**
   * Keep a rotated-out key this long, so PreKey messages built on it (an invite card in flight, a
   * message waiting at a relay for up to 30 days) still decrypt; then delete it.
   */
  retiredGraceMs: 30 * DAY
})

// libsignal takes u32 ids; Signal keeps them to 24 bits, which Sotto will not exhaust.
const MAX_ID = 0xFFFFFF

const timedId = z.object({ id: z.number().int().min(1).max(MAX_ID), at: z.number().int().nonnegative() })

const preKeyStateRecord = z.object({
  v: z.literal(1),
  /** Next one-time EC prekey id to generate / to offer. */
  nextPreKeyId: z.number().int().min(1),
  offeredPreKeyId: z.number().int().min(1),
  /** One counter for one-time and last-resort Kyber prekeys: their ids must not collide. */
  nextKyberId: z.number().int().min(1),
  offeredKyberId: z.number().int().min(1),
  nextSignedId: z.number().int().min(1),
  /** The current signed prekey (`at`: created). */
  signed: timedId,
  /** The current last-resort Kyber prekey (`at`: created). */
  lastResort: timedId,
  /** Rotated-out keys still within grace (`at`: retired). */
  retiredSigned: z.array(timedId),
  retiredLastResort: z.array(timedId)
})

type PreKeyState = z.infer<typeof preKeyStateRecord>

/** What {@link maintainPreKeys} did. */
export interface PreKeyMaintenance {
  /** One-time EC prekeys generated. */
  preKeysAdded: number
  /** One-time Kyber prekeys generated. */
  kyberPreKeysAdded: number
  /** The signed prekey was rotated. */
  signedPreKeyRotated: boolean
  /** The last-resort Kyber prekey was rotated. */
  lastResortKyberRotated: boolean
  /** Rotated-out signed and last-resort keys deleted after their grace period. */
  retiredDeleted: number
}

/** Options for {@link currentPreKeyBundle}. */
export interface PreKeyBundleOptions {
  /**
   * Offer one-time prekeys (default true). Pass false for a bundle many people may use (a card
   * posted publicly): a one-time prekey works for the first of them only.
   */
  oneTime?: boolean
}

function nextId (id: number): number {
  if (id >= MAX_ID) {
    throw new BugError('prekey ids are exhausted')
  }
  return id + 1
}

async function readState (reader: StoreReader): Promise<PreKeyState> {
  const bytes = await reader.get(PREKEY_STATE_KEY)
  if (bytes === undefined) {
    throw new StorageCorruptError('the prekey state of the local identity is missing')
  }
  try {
    return preKeyStateRecord.parse(JSON.parse(new TextDecoder().decode(bytes)))
  } catch (err) {
    throw new StorageCorruptError('the prekey state of the local identity cannot be read', { cause: err })
  }
}

function writeState (tx: Transaction, state: PreKeyState): void {
  tx.put(PREKEY_STATE_KEY, new TextEncoder().encode(JSON.stringify(state)))
}

function signedPreKey (identity: LocalIdentity, id: number, now: number): SignedPreKeyRecord {
  const key = PrivateKey.generate()
  const publicKey = key.getPublicKey()
  const signature = identity.keyPair.privateKey.sign(publicKey.serialize())
  return SignedPreKeyRecord.new(id, now, publicKey, key, signature)
}

function kyberPreKey (identity: LocalIdentity, id: number, now: number): KyberPreKeyRecord {
  const keyPair = KEMKeyPair.generate()
  const signature = identity.keyPair.privateKey.sign(keyPair.getPublicKey().serialize())
  return KyberPreKeyRecord.new(id, now, keyPair, signature)
}

function addPreKeys (tx: Transaction, state: PreKeyState, count: number): void {
  for (let i = 0; i < count; i++) {
    const key = PrivateKey.generate()
    const id = state.nextPreKeyId
    tx.put(preKeyKey(id), PreKeyRecord.new(id, key.getPublicKey(), key).serialize())
    state.nextPreKeyId = nextId(id)
  }
}

function addKyberPreKeys (tx: Transaction, identity: LocalIdentity, state: PreKeyState, count: number, now: number): void {
  for (let i = 0; i < count; i++) {
    const id = state.nextKyberId
    tx.put(kyberPreKeyKey(id), kyberPreKey(identity, id, now).serialize())
    state.nextKyberId = nextId(id)
  }
}

/**
 * Writes the first prekeys of a new identity: a signed prekey, a last-resort Kyber prekey, and full
 * one-time pools. Internal to `crypto/` (called by `createLocalIdentity`).
 */
export async function initPreKeys (tx: Transaction, identity: LocalIdentity, now: number): Promise<void> {
  const state: PreKeyState = {
    v: 1,
    nextPreKeyId: 1,
    offeredPreKeyId: 1,
    nextKyberId: 2,
    offeredKyberId: 2,
    nextSignedId: 2,
    signed: { id: 1, at: now },
    lastResort: { id: 1, at: now },
    retiredSigned: [],
    retiredLastResort: []
  }
  tx.put(signedPreKeyKey(1), signedPreKey(identity, 1, now).serialize())
  tx.put(lastResortKyberKey(1), kyberPreKey(identity, 1, now).serialize())
  addPreKeys(tx, state, PREKEY_POLICY.preKeyPoolSize)
  addKyberPreKeys(tx, identity, state, PREKEY_POLICY.kyberPoolSize, now)
  writeState(tx, state)
}

async function readRecord<T> (reader: StoreReader, key: Parameters<StoreReader['get']>[0], what: string, parse: (bytes: Uint8Array<ArrayBuffer>) => T): Promise<T | undefined> {
  const bytes = await reader.get(key)
  if (bytes === undefined) {
    return undefined
  }
  try {
    return parse(arrayBufferBytes(bytes))
  } catch (err) {
    throw new StorageCorruptError(`a stored ${what} cannot be read`, { cause: err })
  }
}

/**
 * A prekey bundle for others to start a session with this identity (it goes into an invite card).
 * It offers the next unoffered one-time EC and Kyber prekeys while any remain, and advances the
 * cursors in `tx` so no two bundles share a one-time key; without them it offers only the signed
 * prekey and the last-resort Kyber prekey. The caller commits.
 *
 * @throws {StorageCorruptError} when the current keys are missing or unreadable
 */
export async function currentPreKeyBundle (tx: Transaction, identity: LocalIdentity, options: PreKeyBundleOptions = {}): Promise<PreKeyBundleData> {
  const state = await readState(tx)
  const signed = await readRecord(tx, signedPreKeyKey(state.signed.id), 'signed prekey', SignedPreKeyRecord.deserialize)
  if (signed === undefined) {
    throw new StorageCorruptError('the current signed prekey is missing')
  }
  const bundle: PreKeyBundleData = {
    registrationId: identity.registrationId,
    deviceId: identity.deviceId,
    signedPreKeyId: signed.id(),
    signedPreKey: signed.publicKey().serialize(),
    signedPreKeySignature: signed.signature(),
    identityKey: identity.identityKey,
    kyberPreKeyId: 0,
    kyberPreKey: new Uint8Array(0),
    kyberPreKeySignature: new Uint8Array(0)
  }
  let kyber: KyberPreKeyRecord | undefined
  if (options.oneTime !== false) {
    const start = { ec: state.offeredPreKeyId, kyber: state.offeredKyberId }
    while (state.offeredPreKeyId < state.nextPreKeyId && bundle.preKey === undefined) {
      const id = state.offeredPreKeyId
      state.offeredPreKeyId = id + 1
      // A key can be gone before it was offered only if someone guessed its id; skip it.
      const preKey = await readRecord(tx, preKeyKey(id), 'prekey', PreKeyRecord.deserialize)
      if (preKey !== undefined) {
        bundle.preKeyId = id
        bundle.preKey = preKey.publicKey().serialize()
      }
    }
    while (state.offeredKyberId < state.nextKyberId && kyber === undefined) {
      const id = state.offeredKyberId
      state.offeredKyberId = id + 1
      kyber = await readRecord(tx, kyberPreKeyKey(id), 'Kyber prekey', KyberPreKeyRecord.deserialize)
    }
    if (start.ec !== state.offeredPreKeyId || start.kyber !== state.offeredKyberId) {
      writeState(tx, state)
    }
  }
  kyber ??= await readRecord(tx, lastResortKyberKey(state.lastResort.id), 'Kyber prekey', KyberPreKeyRecord.deserialize)
  if (kyber === undefined) {
    throw new StorageCorruptError('the current last-resort Kyber prekey is missing')
  }
  bundle.kyberPreKeyId = kyber.id()
  bundle.kyberPreKey = kyber.publicKey().serialize()
  bundle.kyberPreKeySignature = kyber.signature()
  return bundle
}

/**
 * Prekey upkeep, to run at start-up and then daily: refills the one-time pools when fewer than
 * {@link PREKEY_POLICY} allows remain unoffered, rotates the signed prekey and the last-resort Kyber
 * prekey once older than 7 days (keeping the previous ones for a grace period), and deletes
 * rotated-out keys whose grace period is over. Writes to `tx`; the caller commits.
 *
 * @param now - the current time, ms since epoch
 */
export async function maintainPreKeys (tx: Transaction, identity: LocalIdentity, now: number): Promise<PreKeyMaintenance> {
  assertTime(now)
  const state = await readState(tx)
  const done: PreKeyMaintenance = {
    preKeysAdded: 0,
    kyberPreKeysAdded: 0,
    signedPreKeyRotated: false,
    lastResortKyberRotated: false,
    retiredDeleted: 0
  }

  const preKeysLeft = state.nextPreKeyId - state.offeredPreKeyId
  if (preKeysLeft < PREKEY_POLICY.preKeyRefillBelow) {
    done.preKeysAdded = PREKEY_POLICY.preKeyPoolSize - preKeysLeft
    addPreKeys(tx, state, done.preKeysAdded)
  }
  const kyberLeft = state.nextKyberId - state.offeredKyberId
  if (kyberLeft < PREKEY_POLICY.kyberRefillBelow) {
    done.kyberPreKeysAdded = PREKEY_POLICY.kyberPoolSize - kyberLeft
    addKyberPreKeys(tx, identity, state, done.kyberPreKeysAdded, now)
  }

  if (now - state.signed.at >= PREKEY_POLICY.rotateAfterMs) {
    const id = state.nextSignedId
    tx.put(signedPreKeyKey(id), signedPreKey(identity, id, now).serialize())
    state.retiredSigned.push({ id: state.signed.id, at: now })
    state.signed = { id, at: now }
    state.nextSignedId = nextId(id)
    done.signedPreKeyRotated = true
  }
  if (now - state.lastResort.at >= PREKEY_POLICY.rotateAfterMs) {
    const id = state.nextKyberId
    tx.put(lastResortKyberKey(id), kyberPreKey(identity, id, now).serialize())
    state.retiredLastResort.push({ id: state.lastResort.id, at: now })
    state.lastResort = { id, at: now }
    state.nextKyberId = nextId(id)
    // The new last-resort id came from the shared counter: keep it out of the one-time cursor's way.
    if (state.offeredKyberId === id) {
      state.offeredKyberId = state.nextKyberId
    }
    done.lastResortKyberRotated = true
  }

  const expired = (retired: { at: number }): boolean => now - retired.at >= PREKEY_POLICY.retiredGraceMs
  for (const retired of state.retiredSigned.filter(expired)) {
    tx.del(signedPreKeyKey(retired.id))
    done.retiredDeleted++
  }
  for (const retired of state.retiredLastResort.filter(expired)) {
    tx.del(lastResortKyberKey(retired.id))
    const uses: Uint8Array[] = []
    for await (const bytes of tx.values(kyberUsedPrefix(retired.id))) {
      uses.push(bytes)
    }
    for (const bytes of uses) {
      const used = kyberUsedRecord.safeParse(parseJson(bytes))
      if (used.success) {
        tx.del(kyberUsedKey(retired.id, used.data.signedPreKeyId, used.data.baseKey))
      }
    }
    done.retiredDeleted++
  }
  state.retiredSigned = state.retiredSigned.filter(retired => !expired(retired))
  state.retiredLastResort = state.retiredLastResort.filter(retired => !expired(retired))

  writeState(tx, state)
  return done
}

const kyberUsedRecord = z.object({ signedPreKeyId: z.number().int().nonnegative(), baseKey: z.string() })

function parseJson (bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return undefined
  }
}
