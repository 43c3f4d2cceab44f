// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Every error `@sotto/core` throws on purpose. Callers check `.name` or `instanceof`.
 *
 * Bad input from a peer, a file or a user is one of these, with a clear message; a broken
 * invariant is a {@link BugError}.
 */

/** Base class: sets `name` from the subclass so `.name` checks work across realms. */
export class SottoError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A broken invariant inside Sotto: a bug, never caused by input. */
export class BugError extends SottoError {}

/** Input (from a peer, a file or a user) is malformed: wrong shape, bad encoding, unknown version. */
export class InvalidInputError extends SottoError {}

/** Input is larger than the limit checked before decoding it. */
export class TooLargeError extends InvalidInputError {}

/** A signature (invite card, certificate) does not verify. */
export class BadSignatureError extends InvalidInputError {}

/** A passphrase chosen for a new data directory is too short (see `checkNewPassphrase`). */
export class WeakPassphraseError extends InvalidInputError {}

/** The passphrase or host-supplied key does not open this data directory. */
export class WrongPassphraseError extends SottoError {}

/** Another process already has this data directory open. */
export class DataDirectoryLockedError extends SottoError {}

/** Stored data cannot be read: tampered with, truncated, or from a newer Sotto. */
export class StorageCorruptError extends SottoError {}

/** A stored value was written by a newer schema than this Sotto understands. */
export class UnsupportedSchemaError extends SottoError {}

/** A ciphertext could not be decrypted or authenticated. */
export class DecryptionError extends SottoError {}

/**
 * A sealed message from a known sender (its certificate verifies against the key recorded for it)
 * whose inner message does not decrypt: the session moved on past that message's keys (libsignal
 * keeps five receiving chains). The sender can seal the message again.
 */
export class UndecryptableMessageError extends DecryptionError {
  /** The Sotto user id of the sender. */
  readonly senderUserId: string

  constructor (message: string, senderUserId: string, options?: ErrorOptions) {
    super(message, options)
    // Keep `.name` checks for DecryptionError matching; the subclass only adds the sender.
    this.name = 'DecryptionError'
    this.senderUserId = senderUserId
  }
}

/** An envelope was already received (replay or redelivery). */
export class DuplicateEnvelopeError extends SottoError {}

/** A contact's identity key differs from the one recorded: it must be accepted before messaging. */
export class IdentityChangedError extends SottoError {}

/** The contact, alias or message named does not exist. */
export class NotFoundError extends SottoError {}

/** The contact is blocked. */
export class BlockedError extends SottoError {}

/** A peer answered outside the protocol. */
export class ProtocolError extends SottoError {}

/** An operation did not finish in the time allowed. */
export class TimeoutError extends SottoError {}

/** An {@link IdentityChangedError} naming the user id and the new key, so the change can be shown and accepted. */
export class IdentityKeyChangedError extends IdentityChangedError {
  /** The Sotto user id whose identity key changed. */
  readonly userId: string
  /** The new identity public key (serialized, 33 bytes). */
  readonly identityKey: Uint8Array

  constructor (message: string, userId: string, identityKey: Uint8Array, options?: ErrorOptions) {
    super(message, options)
    // Keep `.name` checks for IdentityChangedError matching; the subclass only adds fields.
    this.name = 'IdentityChangedError'
    this.userId = userId
    this.identityKey = identityKey
  }
}

/** A relay refused a deposit because the mailbox is full (`QUOTA`), or it holds all the mailboxes it may. */
export class QuotaExceededError extends SottoError {}

/** A relay refused a request as too frequent (`RATE_LIMITED`); `retryAfterMs` says when to try again. */
export class RateLimitedError extends SottoError {
  /** Milliseconds after which a retry may succeed. */
  readonly retryAfterMs: number

  constructor (message: string, retryAfterMs: number, options?: ErrorOptions) {
    super(message, options)
    this.retryAfterMs = retryAfterMs
  }
}

/** A relay refused a mailbox request (`UNAUTHORIZED`): bad or revoked token, or a mailbox that is unknown or not yours. */
export class UnauthorizedError extends SottoError {}

/** A relay could not serve a request (`BAD_REQUEST`, `STALE_AUTH`, `UNAVAILABLE`, `INTERNAL`); `code` is its status. */
export class RelayRequestError extends SottoError {
  /** The relay's status name, e.g. `'UNAVAILABLE'`. */
  readonly code: string

  constructor (message: string, code: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** The store is closed (or closed itself after a failed write) and can no longer be used. */
export class StoreClosedError extends SottoError {}

/** A synced write to the data directory failed; the store closed itself. */
export class StorageWriteError extends SottoError {}

/** A relay was refused because its published jurisdiction is one the user excluded. */
export class ExcludedJurisdictionError extends SottoError {
  /** The relay's jurisdiction (ISO 3166-1 alpha-2). */
  readonly jurisdiction: string

  constructor (message: string, jurisdiction: string, options?: ErrorOptions) {
    super(message, options)
    this.jurisdiction = jurisdiction
  }
}

/** A relay could not be reached, or did not answer as a Sotto relay. */
export class RelayUnreachableError extends SottoError {}

/** A relay refused to forward a deposit (`FORWARD_NOT_A_USER`): forwarding is for the relay's own users, who hold a reservation there. */
export class NotRelayUserError extends SottoError {}

/** A file chunk, or a file's list of chunk hashes, failed its check: tampered, reordered, cut short or foreign. */
export class FileIntegrityError extends InvalidInputError {}

/** A short invite link was revoked by its owner ("New link"): ask them for a new one. */
export class InviteLinkRevokedError extends SottoError {}

/** A short invite link is unknown at its relay: it expired (its owner has not run Sotto for long) or never existed. */
export class InviteLinkExpiredError extends SottoError {}

/** A relay admits new users with a join code only, and none (or a wrong one) was given. */
export class JoinCodeRequiredError extends SottoError {}

/** A group membership change is refused: it does not apply to the state it names, or to the group now. */
export class GroupChangeRefusedError extends InvalidInputError {}

/** A group change is signed by someone without the right to make it (not an admin, or not the one leaving). */
export class NotGroupAdminError extends GroupChangeRefusedError {}

/** A group change's version or previous-state hash does not follow the state it names. */
export class GroupVersionError extends GroupChangeRefusedError {}

/** A group would exceed its member limit (at most 100, or less when its creator chose so). */
export class GroupFullError extends GroupChangeRefusedError {}

/**
 * A group message cannot be read: this identity holds no sender key of its sender for it. The
 * sender can send their sender key and the message again.
 */
export class MissingSenderKeyError extends UndecryptableMessageError {}

/** An edit or delete for everyone of a message this user did not write. */
export class NotYourMessageError extends InvalidInputError {}

/** An edit or delete for everyone after the window for it (24 hours from sending) closed. */
export class EditWindowClosedError extends InvalidInputError {}

/** A file is larger than this messenger sends (`Settings.maxFileBytes`) or a relay takes. */
export class FileTooLargeError extends TooLargeError {}

/** The recipient's relay holds as many bytes of files for its mailbox as it takes (its file quota). */
export class FileQuotaError extends QuotaExceededError {}

/** A file of a contact request is never fetched: accept the request first. */
export class FileFromRequestError extends SottoError {}

/** This installation was replaced by a newer one of the same identity (restored from a backup elsewhere): it no longer sends. */
export class ReplacedInstallationError extends SottoError {}

/** A backup file does not open with the recovery passphrase given: the passphrase is wrong, or the file was altered. */
export class WrongBackupPassphraseError extends SottoError {}

/** A file is not a Sotto backup, or is truncated or malformed. */
export class BackupFormatError extends InvalidInputError {}

/** A backup was written by a newer Sotto, in a format this one cannot read. */
export class UnsupportedBackupVersionError extends SottoError {}

/** A backup is restored into a new data directory only, and this one is not empty. */
export class DataDirectoryNotEmptyError extends SottoError {}

/** A guest link was revoked by its owner, or its token is wrong. */
export class GuestLinkRevokedError extends SottoError {}

/** The owner of a guest link blocked this guest. */
export class GuestBlockedError extends SottoError {}

/** A guest link needs a guest page, and no home relay (or not the one named) publishes one. */
export class NoGuestPageError extends SottoError {}
