// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The meta record: the one plain record of a data directory, under {@link META_KEY}. It holds the
 * format version, how the key-encryption key (KEK) is obtained, the random data key wrapped with
 * the KEK, and the schema version, all authenticated by a MAC keyed from the data key.
 *
 * ```json
 * { "format": 1,
 *   "kdf": { "name": "scrypt", "logN": 17, "r": 8, "p": 1, "salt": "<base64, 16 bytes>" } | { "name": "host" },
 *   "wrappedKey": "<base64: 24-byte nonce || XChaCha20-Poly1305(KEK, data key)>",
 *   "schemaVersion": 1,
 *   "mac": "<base64: HMAC-SHA256(meta key, the fields above)>" }
 * ```
 *
 * The data key never changes, so changing the passphrase re-wraps 32 bytes and nothing else.
 */

import { createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { z } from 'zod'
import { InvalidInputError, StorageCorruptError, UnsupportedSchemaError, WrongPassphraseError } from '../errors.js'
import type { KeySource } from './types.js'

/** The layout version of the meta record and of encoded keys and values. */
export const FORMAT_VERSION = 1
/** The default scrypt cost, log2(N): N = 131072, with r = 8 that is 128 MiB and about 0.3 s. */
export const DEFAULT_SCRYPT_LOG_N = 17
/** The lowest scrypt cost accepted (tests use about 10). */
export const MIN_SCRYPT_LOG_N = 1
/** The highest scrypt cost accepted, 1 GiB: a directory asking for more is not ours. */
export const MAX_SCRYPT_LOG_N = 20

const SCRYPT_R = 8
const SCRYPT_P = 1
const SALT_LENGTH = 16
const KEY_LENGTH = 32
const NONCE_LENGTH = 24
const TAG_LENGTH = 16
const WRAP_AAD = new TextEncoder().encode('sotto:store:data-key:v1')

/** How the KEK of a data directory is obtained. */
export type KdfParams =
  | { name: 'scrypt', logN: number, r: number, p: number, salt: Uint8Array }
  | { name: 'host' }

/** The sub-keys derived from the data key with HKDF-SHA256. */
export interface SubKeys {
  /** Encrypts values. */
  value: Uint8Array
  /** Hashes string key parts. */
  keyHash: Uint8Array
  /** Authenticates the meta record. */
  meta: Uint8Array
}

/** A meta record whose data key has been unwrapped. */
export interface UnlockedMeta {
  dataKey: Uint8Array
  kdf: KdfParams
  wrappedKey: Uint8Array
  schemaVersion: number
  subKeys: SubKeys
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)

const metaSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  kdf: z.discriminatedUnion('name', [
    z.object({
      name: z.literal('scrypt'),
      logN: z.number().int().min(MIN_SCRYPT_LOG_N).max(MAX_SCRYPT_LOG_N),
      r: z.literal(SCRYPT_R),
      p: z.literal(SCRYPT_P),
      salt: base64
    }),
    z.object({ name: z.literal('host') })
  ]),
  wrappedKey: base64,
  schemaVersion: z.number().int().min(1),
  mac: base64
})

/** Rejects a key source that can never be right, before any work. */
export function checkKeySource (keySource: KeySource): void {
  if (keySource == null || typeof keySource !== 'object') throw new InvalidInputError('keySource is required')
  if (keySource.kind === 'passphrase') {
    if (typeof keySource.passphrase !== 'string' || keySource.passphrase.length === 0) {
      throw new InvalidInputError('the passphrase must be a non-empty string')
    }
  } else if (keySource.kind === 'host-key') {
    if (!(keySource.key instanceof Uint8Array) || keySource.key.length !== KEY_LENGTH) {
      throw new InvalidInputError(`a host key must be ${KEY_LENGTH} bytes`)
    }
  } else {
    throw new InvalidInputError('keySource.kind must be "passphrase" or "host-key"')
  }
}

/** Rejects a scrypt cost outside the accepted range. */
export function checkScryptLogN (logN: number): void {
  if (!Number.isInteger(logN) || logN < MIN_SCRYPT_LOG_N || logN > MAX_SCRYPT_LOG_N) {
    throw new InvalidInputError(`scryptLogN must be an integer from ${MIN_SCRYPT_LOG_N} to ${MAX_SCRYPT_LOG_N}`)
  }
}

/** Fresh KDF parameters for `keySource`. */
export function newKdfParams (keySource: KeySource, logN: number): KdfParams {
  if (keySource.kind === 'host-key') return { name: 'host' }
  return { name: 'scrypt', logN, r: SCRYPT_R, p: SCRYPT_P, salt: new Uint8Array(randomBytes(SALT_LENGTH)) }
}

/** A new random data key. */
export function newDataKey (): Uint8Array {
  return new Uint8Array(randomBytes(KEY_LENGTH))
}

/** The data key wrapped with the KEK that `keySource` and `kdf` give. */
export async function wrapDataKey (dataKey: Uint8Array, keySource: KeySource, kdf: KdfParams): Promise<Uint8Array> {
  const kek = await deriveKek(keySource, kdf)
  const nonce = new Uint8Array(randomBytes(NONCE_LENGTH))
  const sealed = xchacha20poly1305(kek, nonce, WRAP_AAD).encrypt(dataKey)
  const out = new Uint8Array(NONCE_LENGTH + sealed.length)
  out.set(nonce, 0)
  out.set(sealed, NONCE_LENGTH)
  return out
}

/** HKDF-SHA256 sub-keys of the data key. */
export function deriveSubKeys (dataKey: Uint8Array): SubKeys {
  const derive = (info: string): Uint8Array =>
    new Uint8Array(hkdfSync('sha256', dataKey, new Uint8Array(0), `sotto:store:${info}:v1`, KEY_LENGTH))
  return { value: derive('value'), keyHash: derive('key-hash'), meta: derive('meta') }
}

/** The bytes of a meta record. */
export function encodeMeta (kdf: KdfParams, wrappedKey: Uint8Array, schemaVersion: number, metaKey: Uint8Array): Uint8Array {
  const fields = metaFields(kdf, wrappedKey, schemaVersion)
  const mac = metaMac(metaKey, fields)
  return new TextEncoder().encode(JSON.stringify({ ...fields, mac: toBase64(mac) }))
}

/**
 * Unwraps the data key of a stored meta record with `keySource`. Throws
 * UnsupportedSchemaError for a newer format, WrongPassphraseError if the key source does not fit,
 * StorageCorruptError if the record is malformed or its MAC is wrong.
 */
export async function unlockMeta (bytes: Uint8Array, keySource: KeySource): Promise<UnlockedMeta> {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new StorageCorruptError('the data directory\'s meta record is unreadable', { cause: err })
  }
  const format = (json as { format?: unknown } | null)?.format
  if (typeof format === 'number' && format > FORMAT_VERSION) {
    throw new UnsupportedSchemaError(`the data directory has storage format ${format}; this Sotto reads format ${FORMAT_VERSION}. Update Sotto`)
  }
  const parsed = metaSchema.safeParse(json)
  if (!parsed.success) {
    throw new StorageCorruptError('the data directory\'s meta record is malformed', { cause: parsed.error })
  }
  const meta = parsed.data
  const kdf: KdfParams = meta.kdf.name === 'host'
    ? { name: 'host' }
    : { ...meta.kdf, salt: fromBase64(meta.kdf.salt) }
  if (kdf.name === 'host' && keySource.kind !== 'host-key') {
    throw new WrongPassphraseError('this data directory is unlocked by a key from the system keychain, not by a passphrase')
  }
  if (kdf.name === 'scrypt' && keySource.kind !== 'passphrase') {
    throw new WrongPassphraseError('this data directory is unlocked by a passphrase, not by a key from the system keychain')
  }
  const wrappedKey = fromBase64(meta.wrappedKey)
  if (wrappedKey.length !== NONCE_LENGTH + KEY_LENGTH + TAG_LENGTH || (kdf.name === 'scrypt' && kdf.salt.length !== SALT_LENGTH)) {
    throw new StorageCorruptError('the data directory\'s meta record has a wrapped key or salt of the wrong length')
  }
  const kek = await deriveKek(keySource, kdf)
  let dataKey: Uint8Array
  try {
    dataKey = xchacha20poly1305(kek, wrappedKey.subarray(0, NONCE_LENGTH), WRAP_AAD).decrypt(wrappedKey.subarray(NONCE_LENGTH))
  } catch {
    throw new WrongPassphraseError(kdf.name === 'host'
      ? 'the key from the system keychain does not unlock this data directory'
      : 'wrong passphrase: it does not unlock this data directory')
  }
  const subKeys = deriveSubKeys(dataKey)
  const expected = metaMac(subKeys.meta, metaFields(kdf, wrappedKey, meta.schemaVersion))
  const mac = fromBase64(meta.mac)
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new StorageCorruptError('the data directory\'s meta record was altered')
  }
  return { dataKey, kdf, wrappedKey, schemaVersion: meta.schemaVersion, subKeys }
}

async function deriveKek (keySource: KeySource, kdf: KdfParams): Promise<Uint8Array> {
  if (kdf.name === 'host') {
    if (keySource.kind !== 'host-key') throw new WrongPassphraseError('a host key is needed')
    return keySource.key
  }
  if (keySource.kind !== 'passphrase') throw new WrongPassphraseError('a passphrase is needed')
  const N = 2 ** kdf.logN
  // The same passphrase typed on another keyboard or OS may arrive composed differently.
  const passphrase = keySource.passphrase.normalize('NFKC')
  return await new Promise((resolve, reject) => {
    scrypt(passphrase, kdf.salt, KEY_LENGTH, { N, r: kdf.r, p: kdf.p, maxmem: 256 * N * kdf.r }, (err, key) => {
      if (err != null) reject(err)
      else resolve(new Uint8Array(key))
    })
  })
}

interface MetaFields {
  format: number
  kdf: Record<string, string | number>
  wrappedKey: string
  schemaVersion: number
}

function metaFields (kdf: KdfParams, wrappedKey: Uint8Array, schemaVersion: number): MetaFields {
  return {
    format: FORMAT_VERSION,
    kdf: kdf.name === 'host'
      ? { name: 'host' }
      : { name: 'scrypt', logN: kdf.logN, r: kdf.r, p: kdf.p, salt: toBase64(kdf.salt) },
    wrappedKey: toBase64(wrappedKey),
    schemaVersion
  }
}

function metaMac (metaKey: Uint8Array, fields: MetaFields): Uint8Array {
  // Built field by field, so the MAC does not depend on the key order of a parsed object.
  const canonical = JSON.stringify([fields.format, Object.entries(fields.kdf), fields.wrappedKey, fields.schemaVersion])
  return new Uint8Array(createHmac('sha256', metaKey).update(canonical, 'utf8').digest())
}

function toBase64 (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

function fromBase64 (text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'))
}
