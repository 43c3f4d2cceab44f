// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `@sotto/core`: Sotto's messaging engine. The one entry point is {@link createMessenger}.
 */
export { createMessenger, fetchRelayInfo, previewInvite, restoreBackup, MAX_TEXT_LENGTH, MAX_DISAPPEARING_SECONDS } from './messenger/index.js'
export type * from './messenger/index.js'
export type { KeySource } from './storage/types.js'
export * from './errors.js'
export { checkNewPassphrase, MIN_PASSPHRASE_LENGTH } from './passphrase.js'
export { jsonLoggers, silentLoggers, LOG_LEVELS } from './logger.js'
export type { Logger, LoggerFactory, LogFields, LogLevel } from './logger.js'
