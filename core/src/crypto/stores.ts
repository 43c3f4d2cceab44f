// SPDX-License-Identifier: AGPL-3.0-only
/**
 * libsignal's store interfaces over one storage {@link Transaction} (Signal-Desktop's adapter
 * shape). Every adapter reads its own writes through the transaction and never commits: the caller
 * commits session state together with its own writes.
 */
import {
  Direction,
  IdentityChange,
  IdentityKeyStore,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyRecord,
  PreKeyStore,
  PublicKey,
  SessionRecord,
  SessionStore,
  SignedPreKeyRecord,
  SignedPreKeyStore
} from '@signalapp/libsignal-client'
import {
  BugError,
  DecryptionError,
  DuplicateEnvelopeError,
  IdentityKeyChangedError,
  StorageCorruptError
} from '../errors.js'
import { arrayBufferBytes, equalBytes, toHex } from './bytes.js'
import {
  identityRecordKey,
  kyberPreKeyKey,
  kyberUsedKey,
  lastResortKyberKey,
  preKeyKey,
  sessionKey,
  signedPreKeyKey
} from './keys.js'
import { DEVICE_ID } from './local-identity.js'
import type { LocalIdentity } from './local-identity.js'
import type { PrivateKey, IdentityKeyPair, ProtocolAddress } from '@signalapp/libsignal-client'
import type { Key, RangeOptions, StoreReader, Transaction } from '../storage/types.js'

/**
 * A transaction seen through one operation: reads of a key are fetched once (libsignal reads the
 * same session and identity records several times per message), writes go through and update the
 * cache. Never commits: the caller does.
 */
class OperationTransaction implements Transaction {
  readonly #tx: Transaction
  readonly #cache = new Map<string, Uint8Array | undefined>()

  constructor (tx: Transaction) {
    this.#tx = tx
  }

  async get (key: Key): Promise<Uint8Array | undefined> {
    const id = JSON.stringify(key)
    if (this.#cache.has(id)) {
      return this.#cache.get(id)
    }
    const value = await this.#tx.get(key)
    this.#cache.set(id, value)
    return value
  }

  values (prefix: Key, options?: RangeOptions): AsyncIterable<Uint8Array> {
    return this.#tx.values(prefix, options)
  }

  put (key: Key, value: Uint8Array): void {
    this.#tx.put(key, value)
    this.#cache.set(JSON.stringify(key), value)
  }

  del (key: Key): void {
    this.#tx.del(key)
    this.#cache.set(JSON.stringify(key), undefined)
  }

  async commit (): Promise<void> {
    throw new BugError('crypto operations never commit: the caller does')
  }
}

/**
 * What the adapters of one operation share: the transaction, the local identity, and what went
 * wrong inside a callback (libsignal turns a callback's exception into a generic error and loses
 * it, so the adapters keep it here for the operation to rethrow).
 */
export interface StoreContext {
  /** The transaction every read and write goes through (the caller's, behind a read cache). */
  readonly tx: Transaction
  /** The local identity. */
  readonly identity: LocalIdentity
  /** The first exception a callback threw, if any. */
  failure?: unknown
  /** The last identity libsignal found untrusted: what an UntrustedIdentity error is about. */
  untrusted?: { userId: string, identityKey: Uint8Array }
}

async function guard<T> (ctx: StoreContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    ctx.failure ??= err
    throw err
  }
}

/** The user id of an address; Sotto has one device per user, so any other device id is a bug. */
function userIdOf (address: ProtocolAddress): string {
  if (address.deviceId() !== DEVICE_ID) {
    throw new BugError('Sotto addresses always use device 1')
  }
  return address.name()
}

function corrupt (what: string, err: unknown): StorageCorruptError {
  return new StorageCorruptError(`a stored ${what} cannot be read`, { cause: err })
}

/** Reads the session record with a user, or null. */
export async function readSession (reader: StoreReader, userId: string): Promise<SessionRecord | null> {
  const bytes = await reader.get(sessionKey(userId))
  if (bytes === undefined) {
    return null
  }
  try {
    return SessionRecord.deserialize(arrayBufferBytes(bytes))
  } catch (err) {
    throw corrupt('session', err)
  }
}

/** Reads the identity key recorded for a user (serialized), or undefined. */
export async function readIdentity (reader: StoreReader, userId: string): Promise<Uint8Array | undefined> {
  return await reader.get(identityRecordKey(userId))
}

/** libsignal sessions, one record per user id (`['signal-session', userId]`). */
export class SottoSessionStore extends SessionStore {
  readonly #ctx: StoreContext

  constructor (ctx: StoreContext) {
    super()
    this.#ctx = ctx
  }

  override async saveSession (address: ProtocolAddress, record: SessionRecord): Promise<void> {
    await guard(this.#ctx, async () => {
      this.#ctx.tx.put(sessionKey(userIdOf(address)), record.serialize())
    })
  }

  override async getSession (address: ProtocolAddress): Promise<SessionRecord | null> {
    return await guard(this.#ctx, async () => await readSession(this.#ctx.tx, userIdOf(address)))
  }

  override async getExistingSessions (addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    return await guard(this.#ctx, async () => {
      const records: SessionRecord[] = []
      for (const address of addresses) {
        const record = await readSession(this.#ctx.tx, userIdOf(address))
        if (record !== null) {
          records.push(record)
        }
      }
      return records
    })
  }
}

/**
 * The local identity and the identity keys of others (`['signal-identity', userId]`), trusted on
 * first use: a different key for a known user id is untrusted until accepted with `acceptIdentity`.
 */
export class SottoIdentityKeyStore extends IdentityKeyStore {
  readonly #ctx: StoreContext

  constructor (ctx: StoreContext) {
    super()
    this.#ctx = ctx
  }

  override async getIdentityKey (): Promise<PrivateKey> {
    return this.#ctx.identity.keyPair.privateKey
  }

  override async getIdentityKeyPair (): Promise<IdentityKeyPair> {
    return this.#ctx.identity.keyPair
  }

  override async getLocalRegistrationId (): Promise<number> {
    return this.#ctx.identity.registrationId
  }

  override async saveIdentity (address: ProtocolAddress, key: PublicKey): Promise<IdentityChange> {
    return await guard(this.#ctx, async () => {
      const userId = userIdOf(address)
      const serialized = key.serialize()
      const recorded = await readIdentity(this.#ctx.tx, userId)
      if (recorded === undefined) {
        this.#ctx.tx.put(identityRecordKey(userId), serialized)
        return IdentityChange.NewOrUnchanged
      }
      if (equalBytes(recorded, serialized)) {
        return IdentityChange.NewOrUnchanged
      }
      // libsignal checks trust before saving, so this is reached only if that ever changes; a
      // changed key must never replace the recorded one without the user's acceptance.
      throw new IdentityKeyChangedError('the identity key of this user changed', userId, serialized)
    })
  }

  override async isTrustedIdentity (address: ProtocolAddress, key: PublicKey, _direction: Direction): Promise<boolean> {
    return await guard(this.#ctx, async () => {
      const userId = userIdOf(address)
      const serialized = key.serialize()
      const recorded = await readIdentity(this.#ctx.tx, userId)
      if (recorded === undefined || equalBytes(recorded, serialized)) {
        return true
      }
      this.#ctx.untrusted = { userId, identityKey: serialized }
      return false
    })
  }

  override async getIdentity (address: ProtocolAddress): Promise<PublicKey | null> {
    return await guard(this.#ctx, async () => {
      const recorded = await readIdentity(this.#ctx.tx, userIdOf(address))
      if (recorded === undefined) {
        return null
      }
      try {
        return PublicKey.deserialize(arrayBufferBytes(recorded))
      } catch (err) {
        throw corrupt('identity key', err)
      }
    })
  }
}

/** One-time EC prekeys (`['signal-prekey', id]`); removed once used. */
export class SottoPreKeyStore extends PreKeyStore {
  readonly #ctx: StoreContext

  constructor (ctx: StoreContext) {
    super()
    this.#ctx = ctx
  }

  override async savePreKey (id: number, record: PreKeyRecord): Promise<void> {
    await guard(this.#ctx, async () => {
      this.#ctx.tx.put(preKeyKey(id), record.serialize())
    })
  }

  /** @throws {DecryptionError} when there is no such prekey (used already, or never issued) */
  override async getPreKey (id: number): Promise<PreKeyRecord> {
    return await guard(this.#ctx, async () => {
      const bytes = await this.#ctx.tx.get(preKeyKey(id))
      if (bytes === undefined) {
        throw new DecryptionError('the message names a one-time prekey this identity does not have')
      }
      try {
        return PreKeyRecord.deserialize(arrayBufferBytes(bytes))
      } catch (err) {
        throw corrupt('prekey', err)
      }
    })
  }

  override async removePreKey (id: number): Promise<void> {
    await guard(this.#ctx, async () => {
      this.#ctx.tx.del(preKeyKey(id))
    })
  }
}

/** Signed prekeys (`['signal-signed-prekey', id]`), the current one and those retired but within grace. */
export class SottoSignedPreKeyStore extends SignedPreKeyStore {
  readonly #ctx: StoreContext

  constructor (ctx: StoreContext) {
    super()
    this.#ctx = ctx
  }

  override async saveSignedPreKey (id: number, record: SignedPreKeyRecord): Promise<void> {
    await guard(this.#ctx, async () => {
      this.#ctx.tx.put(signedPreKeyKey(id), record.serialize())
    })
  }

  /** @throws {DecryptionError} when there is no such signed prekey (never issued, or deleted after its grace period) */
  override async getSignedPreKey (id: number): Promise<SignedPreKeyRecord> {
    return await guard(this.#ctx, async () => {
      const bytes = await this.#ctx.tx.get(signedPreKeyKey(id))
      if (bytes === undefined) {
        throw new DecryptionError('the message names a signed prekey this identity does not have')
      }
      try {
        return SignedPreKeyRecord.deserialize(arrayBufferBytes(bytes))
      } catch (err) {
        throw corrupt('signed prekey', err)
      }
    })
  }
}

/**
 * Kyber prekeys: one-time ones (`['signal-kyber-prekey', id]`, removed once used) and last-resort
 * ones (`['signal-kyber-last-resort', id]`, kept; each (signed prekey, base key) pair they were used
 * with is recorded so a replayed PreKey message cannot start a second session).
 */
export class SottoKyberPreKeyStore extends KyberPreKeyStore {
  readonly #ctx: StoreContext

  constructor (ctx: StoreContext) {
    super()
    this.#ctx = ctx
  }

  /** Saves a one-time Kyber prekey; last-resort ones are written by the prekey maintenance. */
  override async saveKyberPreKey (id: number, record: KyberPreKeyRecord): Promise<void> {
    await guard(this.#ctx, async () => {
      this.#ctx.tx.put(kyberPreKeyKey(id), record.serialize())
    })
  }

  /** @throws {DecryptionError} when there is no such Kyber prekey */
  override async getKyberPreKey (id: number): Promise<KyberPreKeyRecord> {
    return await guard(this.#ctx, async () => {
      const bytes = await this.#ctx.tx.get(kyberPreKeyKey(id)) ?? await this.#ctx.tx.get(lastResortKyberKey(id))
      if (bytes === undefined) {
        throw new DecryptionError('the message names a Kyber prekey this identity does not have')
      }
      try {
        return KyberPreKeyRecord.deserialize(arrayBufferBytes(bytes))
      } catch (err) {
        throw corrupt('Kyber prekey', err)
      }
    })
  }

  /** @throws {DuplicateEnvelopeError} when a last-resort key was already used with this base key */
  override async markKyberPreKeyUsed (id: number, signedPreKeyId: number, baseKey: PublicKey): Promise<void> {
    await guard(this.#ctx, async () => {
      const tx = this.#ctx.tx
      if (await tx.get(kyberPreKeyKey(id)) !== undefined) {
        tx.del(kyberPreKeyKey(id))
        return
      }
      const baseKeyHex = toHex(baseKey.serialize())
      const used = kyberUsedKey(id, signedPreKeyId, baseKeyHex)
      if (await tx.get(used) !== undefined) {
        throw new DuplicateEnvelopeError('this PreKey message was already received')
      }
      tx.put(used, new TextEncoder().encode(JSON.stringify({ signedPreKeyId, baseKey: baseKeyHex })))
    })
  }
}

/** The five libsignal stores of one operation, sharing one transaction. */
export interface SignalStores {
  /** What the adapters share, including a callback's exception. */
  readonly context: StoreContext
  readonly session: SottoSessionStore
  readonly identity: SottoIdentityKeyStore
  readonly preKey: SottoPreKeyStore
  readonly signedPreKey: SottoSignedPreKeyStore
  readonly kyberPreKey: SottoKyberPreKeyStore
}

/**
 * The libsignal stores for one operation over `tx`, for the local `identity`. Use them for one
 * operation only, then let the caller commit `tx`.
 */
export function createSignalStores (tx: Transaction, identity: LocalIdentity): SignalStores {
  const context: StoreContext = { tx: new OperationTransaction(tx), identity }
  return {
    context,
    session: new SottoSessionStore(context),
    identity: new SottoIdentityKeyStore(context),
    preKey: new SottoPreKeyStore(context),
    signedPreKey: new SottoSignedPreKeyStore(context),
    kyberPreKey: new SottoKyberPreKeyStore(context)
  }
}
