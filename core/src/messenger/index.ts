// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The messenger: `createMessenger` and its public types.
 */
export { createMessenger, MAX_TEXT_LENGTH, MAX_DISAPPEARING_SECONDS } from './messenger.js'
export { fetchRelayInfo } from './relay-info.js'
export { previewInvite } from './invite-preview.js'
export type { InvitePreview } from './invite-preview.js'
export { restoreBackup } from './backup.js'
export type { RestoreBackupOptions, RestoreSummary } from './backup.js'
export type * from './types.js'
