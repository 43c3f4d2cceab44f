// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Errors of the desktop app's main side. Callers check `.name` or `instanceof`. Across the IPC
 * boundary they travel as `{ name, message }`.
 */

import { SottoError } from '@sotto/core/errors'

/** Base class of the desktop's errors (its `name` is the subclass's, as for every Sotto error). */
export class DesktopError extends SottoError {}

/** A broken invariant of the desktop app: a bug, never caused by input. */
export class BugError extends DesktopError {}

/** A call named a channel that the contract does not have. */
export class UnknownMethodError extends DesktopError {}

/** A call's payload does not match its schema. */
export class InvalidPayloadError extends DesktopError {}

/** A call came from a frame or connection that is not the app's own. */
export class UntrustedSenderError extends DesktopError {}

/** The call needs a running messenger, and the app is not (yet) ready. */
export class NotReadyError extends DesktopError {}

/** The call does not fit the app's current phase (for example `setup` once set up). */
export class WrongPhaseError extends DesktopError {}

/** No OS keychain is available, so a passphrase is needed. */
export class PassphraseRequiredError extends DesktopError {}

/** The OS keychain failed to protect or reveal the storage key. */
export class KeychainError extends DesktopError {}

/** The desktop app's own config file is unreadable. */
export class ConfigError extends DesktopError {}

/** The operation is not available in this mode (for example opening links in headless mode). */
export class UnsupportedError extends DesktopError {}

/** Headless mode was asked to bind beyond loopback without the host names it may be reached by. */
export class UnsafeBindError extends DesktopError {}

/** Too many files are on their way from the renderer at once. */
export class TooManyUploadsError extends DesktopError {}

/**
 * Error names whose messages are fit to show: this package's, and `@sotto/core`'s expected errors.
 * Anything else crosses the boundary as `InternalError` with a generic message.
 */
export const EXPOSED_ERROR_NAMES: ReadonlySet<string> = new Set([
  'UnknownMethodError', 'InvalidPayloadError', 'UntrustedSenderError', 'NotReadyError',
  'WrongPhaseError', 'PassphraseRequiredError', 'KeychainError', 'ConfigError', 'UnsupportedError',
  'InvalidInputError', 'TooLargeError', 'BadSignatureError', 'WrongPassphraseError',
  'DataDirectoryLockedError', 'StorageCorruptError', 'UnsupportedSchemaError',
  'IdentityChangedError', 'NotFoundError', 'BlockedError', 'ProtocolError', 'TimeoutError',
  'ExcludedJurisdictionError', 'RelayUnreachableError', 'QuotaExceededError', 'RateLimitedError',
  'WeakPassphraseError', 'InviteLinkRevokedError', 'InviteLinkExpiredError', 'JoinCodeRequiredError',
  'ReplacedInstallationError', 'WrongBackupPassphraseError', 'BackupFormatError', 'UnsupportedBackupVersionError',
  'DataDirectoryNotEmptyError',
  'TooManyUploadsError', 'FileTooLargeError', 'FileQuotaError', 'FileFromRequestError',
  'GroupFullError', 'NotGroupAdminError', 'GroupChangeRefusedError', 'GroupVersionError'
])
