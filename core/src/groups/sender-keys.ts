// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Group messages with libsignal's sender keys, inside sealed sender.
 *
 * A member sends each other member their sender key once (a 96-byte distribution message, sealed
 * one to one), then encrypts each group message once with `groupEncrypt` and seals it once for
 * all recipients with `sealedSenderMultiRecipientEncrypt`. For 100 members that took 14-32 ms
 * against 31-34 ms for 100 one-to-one seals (best of 15, `core/bench/groups.bench.ts`, on a loaded
 * machine), with about the same bytes per member (749 against 724 for 256 bytes of plaintext):
 * sender keys save the sender's work, not the wire. The multi-recipient message
 * names every recipient in clear, so it is split here, on the sender's side, and only each
 * recipient's own part leaves this file.
 *
 * A sender key is reset (a new distribution id) before the next message whenever someone it was
 * sent to is no longer a recipient (removed, or left) or has a different identity key, as
 * Signal-Desktop's `sendToGroup` does: a removed member keeps the old key and nothing more.
 *
 * Records: `['signal-sender-key', userId, distributionId]` (libsignal's), `['group-sender-key-group',
 * userId, distributionId]` (which group a sender's distribution belongs to), `['group-sending',
 * groupId]` (the local sender key of a group and whom it was sent to).
 */
import { toHex } from '../util/index.js'
import { randomUUID } from 'node:crypto'
import {
  CiphertextMessageType,
  ContentHint,
  ErrorCode,
  LibSignalErrorBase,
  SenderKeyDistributionMessage,
  SenderKeyMessage,
  SenderKeyRecord,
  SenderKeyStore,
  UnidentifiedSenderMessageContent,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistributionMessage,
  sealedSenderMultiRecipientEncrypt
} from '@signalapp/libsignal-client'
import SealedSenderMultiRecipientMessage from '@signalapp/libsignal-client/dist/SealedSenderMultiRecipientMessage.js'
import { z } from 'zod'
import {
  DEVICE_ID, SEALED_V2_RECEIVED, addressOf, createSignalStores, hasSession, openSealedContent, senderCertificate,
  startSession, withSignal
} from '../crypto/index.js'
import {
  BugError, DecryptionError, InvalidInputError, MissingSenderKeyError, NotFoundError, StorageCorruptError, TooLargeError
} from '../errors.js'
import { MAX_GROUP_MEMBERS } from './limits.js'
import type { GroupState } from './state.js'
import type { LocalIdentity, StoreContext } from '../crypto/index.js'
import type { Key, StoreReader, Transaction } from '../storage/types.js'
import type { ProtocolAddress, Uuid } from '@signalapp/libsignal-client'

/** Largest sender key distribution message accepted (libsignal's are 96 bytes). */
export const MAX_SENDER_KEY_DISTRIBUTION_BYTES = 256

const GROUP_ID = /^[0-9a-f]{32}$/

/** A sender's key for one distribution. */
export function senderKeyKey (userId: string, distributionId: string): Key {
  return ['signal-sender-key', userId, distributionId]
}

function distributionGroupKey (userId: string, distributionId: string): Key {
  return ['group-sender-key-group', userId, distributionId]
}

function sendingKey (groupId: string): Key {
  return ['group-sending', groupId]
}

const SendingRecord = z.object({
  distributionId: z.uuid(),
  /** User id → hex of the identity key the sender key was sent to. */
  sentTo: z.record(z.string(), z.string().regex(/^[0-9a-f]{66}$/))
})
type SendingRecord = z.infer<typeof SendingRecord>

function checkGroupId (groupId: string): void {
  if (typeof groupId !== 'string' || !GROUP_ID.test(groupId)) {
    throw new InvalidInputError('group id: expected 32 lower-case hex digits')
  }
}

function userIdOf (address: ProtocolAddress): string {
  if (address.deviceId() !== DEVICE_ID) throw new BugError('Sotto addresses always use device 1')
  return address.name()
}

async function guarded<T> (ctx: StoreContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    ctx.failure ??= err
    throw err
  }
}

/** libsignal's sender keys over one storage transaction, keyed by (sender, distribution id). */
export class SottoSenderKeyStore extends SenderKeyStore {
  readonly #ctx: StoreContext

  constructor (ctx: StoreContext) {
    super()
    this.#ctx = ctx
  }

  override async saveSenderKey (sender: ProtocolAddress, distributionId: Uuid, record: SenderKeyRecord): Promise<void> {
    await guarded(this.#ctx, async () => {
      this.#ctx.tx.put(senderKeyKey(userIdOf(sender), distributionId), record.serialize())
    })
  }

  override async getSenderKey (sender: ProtocolAddress, distributionId: Uuid): Promise<SenderKeyRecord | null> {
    return await guarded(this.#ctx, async () => {
      const bytes = await this.#ctx.tx.get(senderKeyKey(userIdOf(sender), distributionId))
      if (bytes === undefined) return null
      try {
        return SenderKeyRecord.deserialize(new Uint8Array(bytes))
      } catch (err) {
        throw new StorageCorruptError('a stored sender key cannot be read', { cause: err })
      }
    })
  }
}

/** A member a group message goes to, with the identity key the group records for them. */
export interface GroupRecipient {
  /** Their user id. */
  userId: string
  /** Their identity key (serialized, 33 bytes). */
  identityKey: Uint8Array
}

/** What to do before sealing a group message: see {@link prepareGroupSend}. */
export interface GroupSendPlan {
  /** The distribution id of the local sender key for this group. */
  distributionId: string
  /** Whether the sender key was reset now (someone it was sent to is gone or changed key). */
  reset: boolean
  /** The sender key distribution message, to seal one to one to each of `missing`. */
  distributionMessage: Uint8Array
  /** User ids of the recipients who do not have the current sender key yet. */
  missing: string[]
}

async function readSending (reader: StoreReader, groupId: string): Promise<SendingRecord | undefined> {
  const bytes = await reader.get(sendingKey(groupId))
  if (bytes === undefined) return undefined
  try {
    return SendingRecord.parse(JSON.parse(new TextDecoder().decode(bytes)))
  } catch (err) {
    throw new StorageCorruptError('a group sending record cannot be read', { cause: err })
  }
}

function writeSending (tx: Transaction, groupId: string, record: SendingRecord): void {
  tx.put(sendingKey(groupId), new TextEncoder().encode(JSON.stringify(record)))
}

function checkRecipients (identity: LocalIdentity, userIds: readonly string[]): void {
  if (userIds.length > MAX_GROUP_MEMBERS - 1) {
    throw new TooLargeError(`a group message goes to at most ${MAX_GROUP_MEMBERS - 1} others`)
  }
  if (new Set(userIds).size !== userIds.length || userIds.includes(identity.userId)) {
    throw new InvalidInputError('group recipients: each other member once, never oneself')
  }
}

/**
 * Readies the local sender key of `groupId` for a message to `recipients` (the group's members but
 * oneself): resets it when anyone it was sent to is not among them or has another identity key,
 * creates it on first use, and says who still needs it. Seal `distributionMessage` to each of
 * `missing` one to one, then call {@link markSenderKeyDistributed}. Writes to `tx`; the caller commits.
 */
export async function prepareGroupSend (tx: Transaction, identity: LocalIdentity, groupId: string, recipients: readonly GroupRecipient[]): Promise<GroupSendPlan> {
  checkGroupId(groupId)
  checkRecipients(identity, recipients.map(r => r.userId))
  const keys = new Map(recipients.map(r => [r.userId, toHex(r.identityKey)]))
  const previous = await readSending(tx, groupId)
  const stale = previous === undefined ||
    Object.entries(previous.sentTo).some(([userId, key]) => keys.get(userId) !== key)
  const record: SendingRecord = stale ? { distributionId: randomUUID(), sentTo: {} } : previous
  if (stale) {
    if (previous !== undefined) tx.del(senderKeyKey(identity.userId, previous.distributionId))
    writeSending(tx, groupId, record)
  }
  const stores = createSignalStores(tx, identity)
  const senderKeys = new SottoSenderKeyStore(stores.context)
  const fallback = (message: string, options: ErrorOptions): BugError => new BugError(`the sender key could not be made: ${message}`, options)
  const message = await withSignal(stores.context, fallback, async () =>
    await SenderKeyDistributionMessage.create(addressOf(identity.userId), record.distributionId, senderKeys))
  return {
    distributionId: record.distributionId,
    reset: stale && previous !== undefined,
    distributionMessage: message.serialize(),
    missing: recipients.filter(r => record.sentTo[r.userId] !== keys.get(r.userId)).map(r => r.userId)
  }
}

/** Records that `recipients` were sent the current sender key of `groupId`. The caller commits. */
export async function markSenderKeyDistributed (tx: Transaction, groupId: string, recipients: readonly GroupRecipient[]): Promise<void> {
  checkGroupId(groupId)
  const record = await readSending(tx, groupId)
  if (record === undefined) throw new BugError('prepareGroupSend comes first')
  for (const r of recipients) record.sentTo[r.userId] = toHex(r.identityKey)
  writeSending(tx, groupId, record)
}

/**
 * Takes in a sender key that `senderUserId` sent for `groupId`, in a message that `unseal` opened
 * (which authenticates them). Whether they are a member of that group is the caller's to check.
 * Writes to `tx`; the caller commits.
 *
 * @throws {InvalidInputError} when the message is malformed, or its distribution belongs to another group
 */
export async function processSenderKeyDistribution (tx: Transaction, identity: LocalIdentity, senderUserId: string, groupId: string, bytes: Uint8Array): Promise<void> {
  checkGroupId(groupId)
  if (!(bytes instanceof Uint8Array) || bytes.byteLength > MAX_SENDER_KEY_DISTRIBUTION_BYTES) {
    throw new TooLargeError(`a sender key distribution message has at most ${MAX_SENDER_KEY_DISTRIBUTION_BYTES} bytes`)
  }
  const stores = createSignalStores(tx, identity)
  const senderKeys = new SottoSenderKeyStore(stores.context)
  const fallback = (message: string, options: ErrorOptions): InvalidInputError => new InvalidInputError(`the sender key was refused: ${message}`, options)
  await withSignal(stores.context, fallback, async () => {
    const message = SenderKeyDistributionMessage.deserialize(new Uint8Array(bytes))
    const binding = distributionGroupKey(senderUserId, message.distributionId())
    const bound = await stores.context.tx.get(binding)
    if (bound !== undefined && toHex(bound) !== groupId) {
      throw new InvalidInputError('the sender key was sent for another group before')
    }
    await processSenderKeyDistributionMessage(addressOf(senderUserId), message, senderKeys)
    stores.context.tx.put(binding, new Uint8Array(Buffer.from(groupId, 'hex')))
  })
}

/**
 * Encrypts `plaintext` once with the local sender key of `groupId` and seals it once for every
 * recipient; returns each recipient's part (sealed sender v2, first byte 0x22), by user id. The
 * full multi-recipient message, which names them all, never leaves this function. Every recipient
 * needs a session and the current sender key, and everyone who has that key must be a recipient
 * ({@link prepareGroupSend} resets it otherwise): a group message goes to the whole group. Writes
 * the advanced sender key to `tx`; the caller commits it together with the outgoing messages.
 *
 * @throws {NotFoundError} when there is no session with a recipient
 * @throws {InvalidInputError} when a recipient was not sent the current sender key, or someone
 *   who was is not a recipient
 */
export async function sealForGroup (tx: Transaction, identity: LocalIdentity, groupId: string, recipientUserIds: readonly string[], plaintext: Uint8Array): Promise<Map<string, Uint8Array>> {
  checkGroupId(groupId)
  checkRecipients(identity, recipientUserIds)
  if (recipientUserIds.length === 0) {
    throw new InvalidInputError('a group message needs at least one recipient')
  }
  const record = await readSending(tx, groupId)
  if (record === undefined || !recipientUserIds.every(id => record.sentTo[id] !== undefined)) {
    throw new InvalidInputError('a recipient does not have the current sender key: prepare the send first')
  }
  if (Object.keys(record.sentTo).length !== recipientUserIds.length) {
    // Someone holding this key is not a recipient (removed, or left): the key must be reset first.
    throw new InvalidInputError('the sender key was sent to someone who is no recipient now: prepare the send first')
  }
  const stores = createSignalStores(tx, identity)
  for (const userId of recipientUserIds) {
    // Through the operation's cache: libsignal reads each session again right after.
    if (!await hasSession(stores.context.tx, identity, userId)) {
      throw new NotFoundError('there is no session with a member: start one from their card')
    }
  }
  const senderKeys = new SottoSenderKeyStore(stores.context)
  const fallback = (message: string, options: ErrorOptions): DecryptionError => new DecryptionError(`the group message could not be encrypted: ${message}`, options)
  return await withSignal(stores.context, fallback, async () => {
    const inner = await groupEncrypt(addressOf(identity.userId), record.distributionId, senderKeys, new Uint8Array(plaintext))
    const content = UnidentifiedSenderMessageContent.new(inner, senderCertificate(identity), ContentHint.Default, new Uint8Array(Buffer.from(groupId, 'hex')))
    const full = await sealedSenderMultiRecipientEncrypt({
      content,
      recipients: recipientUserIds.map(addressOf),
      identityStore: stores.identity,
      sessionStore: stores.session
    })
    const parsed = new SealedSenderMultiRecipientMessage(full)
    const byId = parsed.recipientsByServiceIdString()
    const parts = new Map<string, Uint8Array>()
    for (const userId of recipientUserIds) {
      const recipient = byId[userId]
      if (recipient === undefined) throw new BugError('the multi-recipient message lacks a recipient')
      parts.set(userId, parsed.messageForRecipient(recipient))
    }
    return parts
  })
}

/** A group message opened by {@link openGroupMessage}. */
export interface GroupMessage {
  /** The sender's user id (their certificate, checked against their recorded key and their sender key). */
  senderUserId: string
  /** The sender's identity key (serialized). */
  senderIdentityKey: Uint8Array
  /** The group it was sent in, 32 hex digits. */
  groupId: string
  /** The decrypted content. */
  plaintext: Uint8Array
}

/**
 * Opens one recipient's part of a group message: sealed sender v2 only (the first byte 0x22),
 * its certificate checked as for one-to-one messages, then decrypted with the sender's key for
 * that group. Whether the sender is still a member is the caller's to check. Writes the advanced
 * sender key to `tx`; the caller commits it together with the stored message.
 *
 * @throws {MissingSenderKeyError} (a DecryptionError) when no sender key of the sender's is held for it
 * @throws {DecryptionError} when the bytes are not a group message for this identity, or are forged
 * @throws {DuplicateEnvelopeError} when it was already decrypted
 * @throws {IdentityKeyChangedError} when the sender's key differs from the one recorded for them
 */
export async function openGroupMessage (tx: Transaction, identity: LocalIdentity, sealed: Uint8Array): Promise<GroupMessage> {
  const stores = createSignalStores(tx, identity)
  const senderKeys = new SottoSenderKeyStore(stores.context)
  const fallback = (message: string, options: ErrorOptions): DecryptionError => new DecryptionError(`the group message could not be opened: ${message}`, options)
  return await withSignal(stores.context, fallback, async () => {
    const { content, senderUserId, senderIdentityKey, recorded } = await openSealedContent(stores, sealed, SEALED_V2_RECEIVED)
    if (content.msgType() !== CiphertextMessageType.SenderKey) {
      throw new DecryptionError('a group message holds a sender key message, and this does not')
    }
    const groupIdBytes = content.groupId()
    if (groupIdBytes?.byteLength !== 16) {
      throw new DecryptionError('a group message names its group')
    }
    const groupId = toHex(groupIdBytes)
    const distributionId = SenderKeyMessage.deserialize(content.contents()).distributionId()
    const bound = await stores.context.tx.get(distributionGroupKey(senderUserId, distributionId))
    if (recorded === undefined || bound === undefined) {
      throw new MissingSenderKeyError('no sender key of this sender is held for this message', senderUserId)
    }
    if (toHex(bound) !== groupId) {
      throw new DecryptionError('the message names another group than its sender key was sent for')
    }
    try {
      const plaintext = await groupDecrypt(addressOf(senderUserId), senderKeys, content.contents())
      return { senderUserId, senderIdentityKey, groupId, plaintext }
    } catch (err) {
      if (err instanceof LibSignalErrorBase && err.code === ErrorCode.InvalidSenderKeySession && stores.context.failure === undefined) {
        throw new MissingSenderKeyError('the sender key for this message is not held', senderUserId, { cause: err })
      }
      throw err
    }
  })
}

/** The members of `state` but `selfUserId`, with the identity keys their cards carry: whom a group message goes to. */
export function recipientsOf (state: GroupState, selfUserId: string): GroupRecipient[] {
  return [...state.members.values()]
    .filter(m => m.userId !== selfUserId)
    .map(m => ({ userId: m.userId, identityKey: m.card.bundle.identityKey }))
}

/**
 * Starts a session from their card's bundle with every member of `state` (but oneself) there is
 * none with yet: members reach each other without being contacts. Returns their user ids. Writes
 * to `tx`; the caller commits.
 *
 * @throws the errors of `startSession`, IdentityKeyChangedError when a member's card carries
 *   another identity key than the one recorded for them
 */
export async function startMemberSessions (tx: Transaction, identity: LocalIdentity, state: GroupState): Promise<string[]> {
  const started: string[] = []
  for (const member of state.members.values()) {
    if (member.userId === identity.userId || await hasSession(tx, identity, member.userId)) continue
    await startSession(tx, identity, member.userId, member.card.bundle)
    started.push(member.userId)
  }
  return started
}

/**
 * Throws unless `message` comes from a current member of the group `state` is of, under the
 * identity key their card carries: a removed member's sender key still decrypts until deleted.
 *
 * @throws {DecryptionError} when it does not
 */
export function checkGroupSender (state: GroupState, message: GroupMessage): void {
  const member = state.members.get(message.senderUserId)
  if (message.groupId !== state.groupId || member === undefined) {
    throw new DecryptionError('the group message does not come from a member of the group')
  }
  if (toHex(member.card.bundle.identityKey) !== toHex(message.senderIdentityKey)) {
    throw new DecryptionError('the group message comes under another identity key than the member\'s card')
  }
}
