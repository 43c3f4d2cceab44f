// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The storage key kept in the OS keychain through Electron's `safeStorage`: generated once, stored
 * encrypted in a file beside the data, never written in the clear.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile, rm } from 'node:fs/promises'
import { KeychainError } from './errors.js'

/** The part of Electron's `safeStorage` this module uses. */
export interface SafeStorageLike {
  /** Whether the OS can protect secrets for this user. */
  isEncryptionAvailable(): boolean
  /** Encrypts with the OS keychain's key. */
  encryptString(plainText: string): Buffer
  /** Decrypts what {@link encryptString} returned. */
  decryptString(encrypted: Buffer): string
  /** Linux only: which secret store is used; `basic_text` means none (a hard-coded key). */
  getSelectedStorageBackend?(): string
}

/** Where the storage key lives. */
export interface KeyVault {
  /** Whether a real keychain protects the key on this machine. */
  available(): boolean
  /** The stored key, or undefined when none was created yet. */
  load(): Promise<Uint8Array | undefined>
  /** Creates and stores the key; returns the existing one if there is one. */
  create(): Promise<Uint8Array>
  /** Forgets the key (used when a fresh set-up fails). */
  remove(): Promise<void>
}

/** Options for {@link safeStorageKeyVault}. */
export interface SafeStorageKeyVaultInit {
  /** Electron's `safeStorage`, or a stand-in in tests. */
  safeStorage: SafeStorageLike
  /** The file that holds the encrypted key. */
  file: string
  /** `process.platform`. */
  platform?: NodeJS.Platform
}

/** Length of the storage key in bytes. */
export const STORAGE_KEY_BYTES = 32

/** Linux secret-store backends that do not actually protect anything. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown'])

/** A key vault backed by `safeStorage`. */
export function safeStorageKeyVault (init: SafeStorageKeyVaultInit): KeyVault {
  const { safeStorage, file } = init
  const platform = init.platform ?? process.platform

  const available = (): boolean => {
    if (!safeStorage.isEncryptionAvailable()) return false
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend != null) {
      return !WEAK_BACKENDS.has(safeStorage.getSelectedStorageBackend())
    }
    return true
  }

  const load = async (): Promise<Uint8Array | undefined> => {
    let encrypted: Buffer
    try {
      encrypted = await readFile(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    if (!available()) throw new KeychainError('The OS keychain is not available, so the storage key cannot be read')
    let key: Buffer
    try {
      key = Buffer.from(safeStorage.decryptString(encrypted), 'base64')
    } catch {
      throw new KeychainError('The OS keychain could not decrypt the storage key')
    }
    if (key.length !== STORAGE_KEY_BYTES) throw new KeychainError('The stored storage key is damaged')
    return new Uint8Array(key)
  }

  return {
    available,
    load,
    async create () {
      const existing = await load()
      if (existing != null) return existing
      if (!available()) throw new KeychainError('The OS keychain is not available')
      const key = randomBytes(STORAGE_KEY_BYTES)
      const encrypted = safeStorage.encryptString(key.toString('base64'))
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, encrypted, { mode: 0o600, flag: 'wx' })
      await rename(tmp, file)
      return new Uint8Array(key)
    },
    async remove () {
      await rm(file, { force: true })
    }
  }
}
