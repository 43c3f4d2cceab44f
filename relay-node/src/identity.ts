// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay's libp2p identity: an Ed25519 key kept in the data directory, made on first start.
 */

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { DataDirectoryError } from './errors.js'
import type { PrivateKey } from '@libp2p/interface'

/** The file, inside the data directory, that holds the identity key. */
export const IDENTITY_FILE = 'identity.key'

/** Loads the relay's key from `dataDir`, or makes and saves one. */
export async function loadOrCreateIdentity (dataDir: string): Promise<PrivateKey> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, IDENTITY_FILE)
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataDirectoryError(`cannot read ${file}`, { cause: err })
  }
  if (bytes != null) {
    try {
      return privateKeyFromProtobuf(bytes)
    } catch (err) {
      throw new DataDirectoryError(`${file} does not hold a libp2p private key`, { cause: err })
    }
  }
  const key = await generateKeyPair('Ed25519')
  // Written aside then renamed, so a crash never leaves half a key behind.
  const tmp = `${file}.tmp`
  await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600, flush: true })
  await rename(tmp, file)
  return key
}
