// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The backup file: a payload encrypted under a key derived from a recovery passphrase the user
 * chooses. One file, laid out as
 *
 * ```
 * "sotto-backup" (12 bytes ASCII) | version (1) | kdf (1: scrypt) | log2 N (1) | r (1) | p (1)
 * | salt (16) | nonce (12) | AES-256-GCM(key, nonce, payload, aad = the 45 bytes before) | tag (16)
 * ```
 *
 * The key is scrypt(NFKC(passphrase), salt, N, r, p, 32 bytes). The header is authenticated with
 * the payload, so a changed cost or salt fails like a wrong passphrase: the file opens whole or
 * not at all.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import { BackupFormatError, InvalidInputError, UnsupportedBackupVersionError, WrongBackupPassphraseError } from '../errors.js'

/** The first bytes of every backup file. */
export const BACKUP_MAGIC = 'sotto-backup'
/** The layout version this Sotto writes and reads. */
export const BACKUP_VERSION = 1
/** The default scrypt cost of a backup, log2(N): 2^18 with r = 8 is 256 MiB and about a second. */
export const DEFAULT_BACKUP_LOG_N = 18
/** The lowest cost a backup may ask for (tests use 10); anything lower is not a Sotto backup. */
export const MIN_BACKUP_LOG_N = 10
/** The highest cost a backup may ask for, 1 GiB. */
export const MAX_BACKUP_LOG_N = 20

/** The one key derivation (scrypt, id 1), its fixed r and p, and the sizes of the layout. */
const { KDF_SCRYPT, R, P, SALT_BYTES, NONCE_BYTES, TAG_BYTES } = { KDF_SCRYPT: 1, R: 8, P: 1, SALT_BYTES: 16, NONCE_BYTES: 12, TAG_BYTES: 16 } as const
const MAGIC = new TextEncoder().encode(BACKUP_MAGIC)
const HEADER_BYTES = MAGIC.length + 5 + SALT_BYTES + NONCE_BYTES

/** Options of {@link sealBackup}. */
export interface SealBackupOptions {
  /** scrypt cost, log2(N); default {@link DEFAULT_BACKUP_LOG_N}. */
  scryptLogN?: number
}

/** Encrypts `payload` into a backup file under `passphrase`. */
export async function sealBackup (payload: Uint8Array, passphrase: string, options: SealBackupOptions = {}): Promise<Uint8Array> {
  const logN = options.scryptLogN ?? DEFAULT_BACKUP_LOG_N
  if (!Number.isInteger(logN) || logN < MIN_BACKUP_LOG_N || logN > MAX_BACKUP_LOG_N) {
    throw new InvalidInputError(`a backup's scrypt cost is from ${MIN_BACKUP_LOG_N} to ${MAX_BACKUP_LOG_N}`)
  }
  const header = new Uint8Array(HEADER_BYTES)
  header.set(MAGIC, 0)
  header.set([BACKUP_VERSION, KDF_SCRYPT, logN, R, P], MAGIC.length)
  header.set(randomBytes(SALT_BYTES), MAGIC.length + 5)
  header.set(randomBytes(NONCE_BYTES), MAGIC.length + 5 + SALT_BYTES)
  const { salt, nonce } = parts(header)
  const key = await deriveKey(passphrase, salt, logN)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(header)
  const body = Buffer.concat([cipher.update(payload), cipher.final(), cipher.getAuthTag()])
  const out = new Uint8Array(HEADER_BYTES + body.length)
  out.set(header, 0)
  out.set(body, HEADER_BYTES)
  return out
}

/**
 * The payload of a backup file. Throws BackupFormatError for a file that is not a Sotto backup,
 * UnsupportedBackupVersionError for one from a newer Sotto, and WrongBackupPassphraseError when
 * it does not open with `passphrase` (or was altered).
 */
export async function openBackup (file: Uint8Array, passphrase: string): Promise<Uint8Array> {
  if (file.length < HEADER_BYTES + TAG_BYTES || !MAGIC.every((b, i) => file[i] === b)) {
    throw new BackupFormatError('this file is not a Sotto backup')
  }
  const header = file.subarray(0, HEADER_BYTES)
  const [version, kdf, logN, r, p] = header.subarray(MAGIC.length, MAGIC.length + 5)
  if (version !== BACKUP_VERSION) {
    throw (version ?? 0) > BACKUP_VERSION
      ? new UnsupportedBackupVersionError(`this backup has format ${version}; this Sotto reads format ${BACKUP_VERSION}. Update Sotto`)
      : new BackupFormatError(`this backup has an unknown format ${version}`)
  }
  if (kdf !== KDF_SCRYPT || r !== R || p !== P || logN == null || logN < MIN_BACKUP_LOG_N || logN > MAX_BACKUP_LOG_N) {
    throw new BackupFormatError('this backup asks for a key derivation Sotto does not use')
  }
  const { salt, nonce } = parts(header)
  const key = await deriveKey(passphrase, salt, logN)
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(header)
  decipher.setAuthTag(file.subarray(file.length - TAG_BYTES))
  try {
    return new Uint8Array(Buffer.concat([decipher.update(file.subarray(HEADER_BYTES, file.length - TAG_BYTES)), decipher.final()]))
  } catch {
    throw new WrongBackupPassphraseError('the recovery passphrase does not open this backup (or the file was altered)')
  }
}

function parts (header: Uint8Array): { salt: Uint8Array, nonce: Uint8Array } {
  const at = MAGIC.length + 5
  return { salt: header.subarray(at, at + SALT_BYTES), nonce: header.subarray(at + SALT_BYTES, at + SALT_BYTES + NONCE_BYTES) }
}

async function deriveKey (passphrase: string, salt: Uint8Array, logN: number): Promise<Buffer> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new InvalidInputError('the recovery passphrase must be a non-empty string')
  const N = 2 ** logN
  return await new Promise((resolve, reject) => {
    // The same passphrase typed on another keyboard or OS may arrive composed differently.
    scrypt(passphrase.normalize('NFKC'), salt, 32, { N, r: R, p: P, maxmem: 256 * N * R }, (err, key) => {
      if (err != null) reject(err)
      else resolve(key)
    })
  })
}
