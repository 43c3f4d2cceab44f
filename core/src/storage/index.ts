// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Encrypted storage: one level database per data directory, every value encrypted, every string
 * key part hashed, writes grouped into synced batches.
 */

export { openStore, changeKeySource, compactStore } from './open-store.js'
export type { ChangeKeySourceOptions } from './open-store.js'
export { hasStore } from './data-directory.js'
export { storeMigrations, latestSchemaVersion, BASE_SCHEMA_VERSION } from './migrations.js'
export { DEFAULT_SCRYPT_LOG_N, MIN_SCRYPT_LOG_N, MAX_SCRYPT_LOG_N } from './meta-record.js'
export type {
  BatchInfo, CommitOptions, Key, KeyPart, KeySource, Migration, MigrationTransaction, OpenStoreOptions,
  RangeOptions, Store, StoreReader, Transaction
} from './types.js'
