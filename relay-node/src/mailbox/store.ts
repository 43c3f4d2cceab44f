// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The contract between the mailbox service and where mailboxes live. The relay ships one
 * implementation (`levelMailboxStore`, embedded); a large operator can put another behind the
 * same interface (a shared database) and run the same service over it.
 */

import type { DepositTokenKind, MailboxEnvelope } from '@sotto/core/mailbox'

/** A mailbox as the relay keeps it: only its owner's public key, never who the owner is. */
export interface MailboxRecord {
  /** SHA-256 of `publicKey`. */
  id: Uint8Array
  /** The owner's raw Ed25519 public key. */
  publicKey: Uint8Array
}

/** A registered deposit token, found by the SHA-256 of the token. */
export interface TokenRecord {
  mailboxId: Uint8Array
  kind: DepositTokenKind
}

/** What a mailbox holds now. */
export interface MailboxUsage {
  envelopes: number
  bytes: number
  /** Of those, deposited with an introduction token. */
  introductionEnvelopes: number
  introductionBytes: number
}

/** Totals over the whole store, for metrics. */
export interface StoreStats {
  mailboxes: number
  tokens: number
  envelopes: number
  bytes: number
}

/** Limits an append is checked against. */
export interface AppendLimits {
  /** Most envelopes the mailbox may hold. */
  maxEnvelopes: number
  /** Most envelope bytes the mailbox may hold. */
  maxBytes: number
  /** Most envelopes deposited with introduction tokens the mailbox may hold (within `maxEnvelopes`). */
  maxIntroductionEnvelopes?: number
  /** Most bytes of those (within `maxBytes`). */
  maxIntroductionBytes?: number
}

/** Limits a token registration is checked against. */
export interface TokenLimits {
  /** Most tokens one mailbox may have. */
  perMailbox: number
  /** Most tokens in the whole store. */
  total: number
}

/** A page of envelopes. */
export interface EnvelopePage {
  envelopes: MailboxEnvelope[]
  more: boolean
}

/** Where mailboxes, tokens and envelopes live. Every write is durable when its promise resolves. */
export interface MailboxStore {
  /** Opens the store; nothing else may be called before. */
  open(): Promise<void>
  /** Waits for queued writes, then closes. */
  close(): Promise<void>
  /** Totals, for metrics. */
  stats(): StoreStats
  /**
   * Creates a mailbox, its owner active at `now` (ms). Resolves to false if it existed already.
   * Rejects with `CapacityError` when the store holds `maxMailboxes` mailboxes.
   */
  createMailbox(record: MailboxRecord, maxMailboxes: number, now?: number): Promise<boolean>
  /**
   * Records that the owner of a mailbox acted at `now`. The time is written when the one on disk is
   * `persistAfterMs` or more older, so that most operations write nothing.
   */
  touch(id: Uint8Array, now: number, persistAfterMs: number): Promise<void>
  /** Ids of the mailboxes whose owner last acted before `before` (ms). */
  idleMailboxes(before: number): Uint8Array[]
  /** The mailbox with this id, or undefined. */
  getMailbox(id: Uint8Array): Promise<MailboxRecord | undefined>
  /** Deletes a mailbox with its envelopes and tokens; resolves to false if there was none. */
  deleteMailbox(id: Uint8Array): Promise<boolean>
  /**
   * Registers (or re-registers with another kind) a token hash for a mailbox. Rejects with
   * `MailboxNotFoundError`, `TokenConflictError` (registered to another mailbox) or
   * `CapacityError` (the mailbox, or the store, has as many tokens as it may).
   */
  putToken(tokenHash: Uint8Array, record: TokenRecord, limits: TokenLimits): Promise<void>
  /** The token registered under this hash, or undefined. */
  getToken(tokenHash: Uint8Array): Promise<TokenRecord | undefined>
  /** Revokes a token of this mailbox; resolves to false if it was not registered to it. */
  deleteToken(mailboxId: Uint8Array, tokenHash: Uint8Array): Promise<boolean>
  /**
   * Appends an envelope. The quota check and the id happen at the moment of the call: calls made
   * in order get increasing ids in that order, and each call is checked against all calls before
   * it, even those not yet durable. Resolves, with the stored envelope, once it is durable.
   * Rejects with `MailboxFullError` (for an introduction, also over the introduction limits) or
   * `MailboxNotFoundError`.
   */
  append(mailboxId: Uint8Array, envelope: Uint8Array, expiresAt: number, kind: DepositTokenKind, limits: AppendLimits): Promise<MailboxEnvelope>
  /**
   * Envelopes with id greater than `after`, oldest first, at most `limit` of them and about
   * `maxBytes` (at least one), skipping those expired at `now`. Only durable envelopes are listed.
   */
  list(mailboxId: Uint8Array, after: number, limit: number, maxBytes: number, now: number): Promise<EnvelopePage>
  /** Deletes envelopes of one mailbox by id; resolves to how many existed. */
  remove(mailboxId: Uint8Array, ids: number[]): Promise<number>
  /** Deletes every envelope whose expiry is at or before `now`; resolves to how many. */
  purgeExpired(now: number): Promise<number>
  /** What a mailbox holds, or undefined if there is no such mailbox. */
  usage(mailboxId: Uint8Array): MailboxUsage | undefined
  /** Reclaims the space of deleted data, so that deleted envelopes leave the disk. */
  compact(): Promise<void>
}
