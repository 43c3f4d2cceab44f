// SPDX-License-Identifier: AGPL-3.0-only
/**
 * How a file is sealed for travel: a random key per file, the plaintext padded to a size bucket
 * (steps of 5%, as Signal pads attachments, so a relay sees a size class rather than the size),
 * cut into chunks of {@link CHUNK_SIZE} and each chunk sealed with AES-256-GCM. AES-GCM rather than
 * ChaCha20-Poly1305 because Electron's BoringSSL has no `chacha20-poly1305` in `node:crypto`.
 *
 * - The nonce is the chunk index: every file has a key of its own, so no (key, nonce) pair repeats.
 * - The associated data binds the file id, the chunk index and an is-last flag, so chunks cannot
 *   be reordered, moved between files, or a file cut short at a chunk boundary.
 * - Each sealed chunk is hashed (SHA-256) and the file's root is the SHA-256 of those hashes in
 *   order. The root travels inside the end-to-end encrypted message; a list of chunk hashes that
 *   matches it lets a recipient check each chunk as it arrives, before decrypting it, and lets a
 *   relay that holds chunks be checked without a key.
 *
 * Everything here works a chunk at a time, so memory stays flat whatever the file's size.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { FileIntegrityError, InvalidInputError } from '../errors.js'

/** Plaintext bytes in one chunk (the last may hold fewer). */
export const CHUNK_SIZE = 64 * 1024
/** Bytes AES-GCM adds to each chunk. */
export const TAG_LENGTH = 16
/** Length of a file key (AES-256). */
export const FILE_KEY_LENGTH = 32
/** Length of a file id. */
export const FILE_ID_LENGTH = 16
/** Length of a chunk hash and of the root. */
export const HASH_LENGTH = 32
/** The smallest padded size: a one-byte file looks like any other small file. */
export const MIN_PADDED_SIZE = 541
/** The largest file this format describes (chunk indexes stay far inside a 32-bit counter). */
export const MAX_FILE_SIZE = 64 * 1024 * 1024 * 1024

const NONCE_LENGTH = 12
const AAD_LABEL = new TextEncoder().encode('sotto:file:v1')

/** What a recipient needs to fetch, check and open a file; travels end-to-end encrypted. */
export interface FileSecrets {
  /** Random id, bound into every chunk. */
  id: Uint8Array
  /** The AES-256-GCM key. */
  key: Uint8Array
  /** The file's real size in bytes. */
  size: number
  /** Plaintext bytes per chunk. */
  chunkSize: number
  /** SHA-256 over the chunk hashes, in order. */
  root: Uint8Array
}

/** A new random id and key for a file. */
export function newFileKeys (): { id: Uint8Array, key: Uint8Array } {
  return { id: new Uint8Array(randomBytes(FILE_ID_LENGTH)), key: new Uint8Array(randomBytes(FILE_KEY_LENGTH)) }
}

/**
 * The size a file of `size` bytes is padded to: the next step of 1.05^k, at least
 * {@link MIN_PADDED_SIZE}. Padding costs at most 5%.
 */
export function paddedSize (size: number): number {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_SIZE) throw new InvalidInputError(`a file size must be 0 to ${MAX_FILE_SIZE} bytes`)
  const bucket = Math.floor(1.05 ** Math.ceil(Math.log(Math.max(size, 1)) / Math.log(1.05)))
  return Math.max(MIN_PADDED_SIZE, bucket, size)
}

/** How many chunks a file of `size` bytes travels in. */
export function chunkCount (size: number, chunkSize = CHUNK_SIZE): number {
  return Math.ceil(paddedSize(size) / chunkSize)
}

/** Plaintext bytes in chunk `index` of a padded file. */
export function plainChunkLength (size: number, index: number, chunkSize = CHUNK_SIZE): number {
  const padded = paddedSize(size)
  return Math.min(chunkSize, padded - index * chunkSize)
}

/** Bytes of sealed chunk `index` (what a relay stores and a link carries). */
export function sealedChunkLength (size: number, index: number, chunkSize = CHUNK_SIZE): number {
  return plainChunkLength(size, index, chunkSize) + TAG_LENGTH
}

function nonce (index: number): Uint8Array {
  const out = new Uint8Array(NONCE_LENGTH)
  new DataView(out.buffer).setBigUint64(4, BigInt(index))
  return out
}

function associatedData (id: Uint8Array, index: number, last: boolean): Uint8Array {
  const out = new Uint8Array(AAD_LABEL.length + FILE_ID_LENGTH + 9)
  out.set(AAD_LABEL)
  out.set(id, AAD_LABEL.length)
  const view = new DataView(out.buffer)
  view.setBigUint64(AAD_LABEL.length + FILE_ID_LENGTH, BigInt(index))
  out[out.length - 1] = last ? 1 : 0
  return out
}

function checkKeys (id: Uint8Array, key: Uint8Array): void {
  if (id.length !== FILE_ID_LENGTH) throw new InvalidInputError(`a file id is ${FILE_ID_LENGTH} bytes`)
  if (key.length !== FILE_KEY_LENGTH) throw new InvalidInputError(`a file key is ${FILE_KEY_LENGTH} bytes`)
}

/** Seals one chunk's padded plaintext. */
export function sealChunk (file: { id: Uint8Array, key: Uint8Array }, index: number, last: boolean, plain: Uint8Array): Uint8Array {
  checkKeys(file.id, file.key)
  const cipher = createCipheriv('aes-256-gcm', file.key, nonce(index), { authTagLength: TAG_LENGTH })
  cipher.setAAD(associatedData(file.id, index, last))
  const body = cipher.update(plain)
  const tail = cipher.final()
  const out = new Uint8Array(body.length + tail.length + TAG_LENGTH)
  out.set(body)
  out.set(tail, body.length)
  out.set(cipher.getAuthTag(), body.length + tail.length)
  return out
}

/**
 * Opens sealed chunk `index` of the file `secrets` describes, returning its plaintext with any
 * padding cut off. Throws {@link FileIntegrityError} for a chunk that was tampered with, belongs
 * to another file or place, or has the wrong length.
 */
export function openChunk (secrets: FileSecrets, index: number, sealed: Uint8Array): Uint8Array {
  checkKeys(secrets.id, secrets.key)
  const count = chunkCount(secrets.size, secrets.chunkSize)
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new FileIntegrityError(`chunk ${index} is not in a file of ${count}`)
  if (sealed.length !== sealedChunkLength(secrets.size, index, secrets.chunkSize)) throw new FileIntegrityError(`chunk ${index} has the wrong length`)
  const decipher = createDecipheriv('aes-256-gcm', secrets.key, nonce(index), { authTagLength: TAG_LENGTH })
  decipher.setAAD(associatedData(secrets.id, index, index === count - 1))
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH))
  let plain: Buffer
  try {
    plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH)), decipher.final()])
  } catch {
    throw new FileIntegrityError(`chunk ${index} failed its check`)
  }
  const start = index * secrets.chunkSize
  const keep = Math.max(0, Math.min(plain.length, secrets.size - start))
  return new Uint8Array(plain.buffer, plain.byteOffset, keep)
}

/** The hash of one sealed chunk. */
export function chunkHash (sealed: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(sealed).digest())
}

/** The root over a file's chunk hashes, in order. */
export function rootOf (hashes: readonly Uint8Array[]): Uint8Array {
  const h = createHash('sha256')
  for (const x of hashes) {
    if (x.length !== HASH_LENGTH) throw new InvalidInputError(`a chunk hash is ${HASH_LENGTH} bytes`)
    h.update(x)
  }
  return new Uint8Array(h.digest())
}

/**
 * Checks a list of chunk hashes (as a peer or relay sends it) against the root from the
 * end-to-end encrypted message. Throws {@link FileIntegrityError} when they do not match.
 */
export function checkChunkHashes (secrets: Pick<FileSecrets, 'root' | 'size' | 'chunkSize'>, hashes: readonly Uint8Array[]): void {
  if (hashes.length !== chunkCount(secrets.size, secrets.chunkSize)) throw new FileIntegrityError('the chunk list has the wrong length')
  const root = rootOf(hashes)
  if (!timingSafeEqual(root, secrets.root)) throw new FileIntegrityError('the chunk list does not match the file')
}

/** True when a sealed chunk is the one `hash` names (checked before decrypting it). */
export function chunkMatches (sealed: Uint8Array, hash: Uint8Array): boolean {
  return hash.length === HASH_LENGTH && timingSafeEqual(chunkHash(sealed), hash)
}

/**
 * Seals a file read a chunk at a time: `read(offset, length)` returns up to `length` plaintext
 * bytes at `offset` (fewer only at the end). Yields each sealed chunk with its index, and returns
 * the file's secrets once the last chunk is out. Padding is zeros, authenticated like the rest.
 */
export async function * sealFile (size: number, read: (offset: number, length: number) => Promise<Uint8Array>, keys = newFileKeys(), chunkSize = CHUNK_SIZE): AsyncGenerator<{ index: number, sealed: Uint8Array, hash: Uint8Array }, FileSecrets> {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1024 || chunkSize > 1024 * 1024) throw new InvalidInputError('a chunk holds 1 KiB to 1 MiB')
  const count = chunkCount(size, chunkSize)
  const hashes: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    const length = plainChunkLength(size, index, chunkSize)
    const start = index * chunkSize
    const plain = new Uint8Array(length)
    const want = Math.max(0, Math.min(length, size - start))
    if (want > 0) {
      const got = await read(start, want)
      if (got.length !== want) throw new InvalidInputError(`the file changed while it was read (${got.length} of ${want} bytes at ${start})`)
      plain.set(got)
    }
    const sealed = sealChunk(keys, index, index === count - 1, plain)
    const hash = chunkHash(sealed)
    hashes.push(hash)
    yield { index, sealed, hash }
  }
  return { id: keys.id, key: keys.key, size, chunkSize, root: rootOf(hashes) }
}
