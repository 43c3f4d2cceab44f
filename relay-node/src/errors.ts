// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Every error `sotto-relay` throws on purpose. Callers check `.name` or `instanceof`.
 */

import { SottoError } from '@sotto/core/errors'

/** Base class of the relay's errors (its `name` is the subclass's, as for every Sotto error). */
export class RelayError extends SottoError {}

/** The configuration (flags, environment, file) is invalid; the message names every problem. */
export class ConfigError extends RelayError {}

/** This Node.js is older than the relay supports. */
export class UnsupportedRuntimeError extends RelayError {}

/** The data directory cannot be used: unreadable identity key, or another relay has it open. */
export class DataDirectoryError extends RelayError {}

/** The mailbox is full: a deposit would exceed its envelope or byte quota. */
export class MailboxFullError extends RelayError {}

/** The relay holds as many mailboxes (or a mailbox as many tokens) as it may. */
export class CapacityError extends RelayError {}

/** The mailbox does not exist (any more). */
export class MailboxNotFoundError extends RelayError {}

/** The token hash is already registered to another mailbox. */
export class TokenConflictError extends RelayError {}

/** The store is closed, or closed itself after a failed synced write. */
export class StoreClosedError extends RelayError {}

/** A stream's output did not drain in time: its peer stopped reading. */
export class StreamStalledError extends RelayError {}

/** A blob would take the mailbox past its file quota. */
export class FileQuotaError extends RelayError {}

/** A blob is larger than the relay accepts. */
export class FileTooLargeError extends RelayError {}
