// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The backup file: a payload sealed under a recovery passphrase (scrypt, AES-256-GCM).
 */
export {
  BACKUP_MAGIC, BACKUP_VERSION, DEFAULT_BACKUP_LOG_N, MAX_BACKUP_LOG_N, MIN_BACKUP_LOG_N, openBackup, sealBackup
} from './backup-file.js'
export type { SealBackupOptions } from './backup-file.js'
