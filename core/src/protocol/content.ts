// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Content: the plaintext inside the end-to-end encryption, padded to a multiple of 256 bytes so
 * that the ciphertext's length says little about the text's.
 */
import { BugError, InvalidInputError, TooLargeError } from '../errors.js'
import { GROUP_DECODE_LIMITS, checkGroupBodies, groupBodies, groupBodyFromWire, groupBodyToWire } from './group-content.js'
import { decodeRelayAddr, encodeRelayAddr } from './invite-card.js'
import {
  CONTENT_PADDING_BLOCK, ENVELOPE_ID_BYTES, GROUP_ID_LENGTH, MAX_CARD_RELAYS, MAX_CONTENT_BYTES, MAX_DISAPPEARING_SECONDS,
  INVITE_TAG_BYTES, MAX_EMOJI_LENGTH, MAX_RECEIPT_IDS, MAX_RELAY_FIELD_BYTES, MAX_SIGNED_INVITE_CARD_BYTES, MAX_TEXT_LENGTH
} from './limits.js'
import { checkFileBody, checkFileNotice, fileFromWire, fileNoticeFromWire, fileNoticeToWire, fileToWire } from './content-file.js'
import { checkMoved, movedFromWire, movedToWire } from './moved.js'
import * as pb from './sotto.js'
import {
  checkBytes, checkInteger, checkPadding, checkSize, checkText, copyBytes, decodeProto,
  paddingChunks, toSafeNumber, wireBytes
} from './wire.js'
import type { Content } from './types.js'

/**
 * Encodes a Content, padded with zero bytes to a multiple of {@link CONTENT_PADDING_BLOCK}.
 *
 * @throws InvalidInputError when more than one body is set or a field is invalid
 * @throws TooLargeError when the encoding exceeds {@link MAX_CONTENT_BYTES}
 */
export function encodeContent (content: Content): Uint8Array<ArrayBuffer> {
  if (content == null || typeof content !== 'object') {
    throw new InvalidInputError('content: expected an object')
  }
  const bodies = [
    content.text, content.deliveryReceipt, content.disappearingTimer, content.tokens, content.resendRequest,
    content.readReceipt, content.typing, content.reaction, content.edit, content.delete, content.file, content.fileNotice,
    content.installationMoved, content.installationReplaced, ...groupBodies(content)
  ].filter(b => b != null)
  if (bodies.length > 1) {
    throw new InvalidInputError(`content: ${bodies.length} bodies, expected at most one`)
  }
  checkContent(content)
  const message: pb.Content = { id: wireBytes(content.id), sentAt: BigInt(content.sentAt), padding: [] }
  if (content.senderCard != null) message.senderCard = wireBytes(content.senderCard)
  if (content.inviteTag != null) message.inviteTag = wireBytes(content.inviteTag)
  if (content.text != null) {
    message.text = { text: content.text.text, seq: BigInt(content.text.seq), ...(content.text.replyTo != null ? { replyTo: wireBytes(content.text.replyTo) } : {}) }
  }
  if (content.readReceipt != null) message.readReceipt = { ids: content.readReceipt.ids.map(wireBytes) }
  if (content.typing != null) message.typing = { started: content.typing.started }
  if (content.reaction != null) message.reaction = { target: wireBytes(content.reaction.target), emoji: content.reaction.emoji, ...groupIdToWire(content.reaction) }
  if (content.edit != null) message.edit = { target: wireBytes(content.edit.target), text: content.edit.text, ...groupIdToWire(content.edit) }
  if (content.delete != null) message.delete = { target: wireBytes(content.delete.target), ...groupIdToWire(content.delete) }
  if (content.deliveryReceipt != null) message.deliveryReceipt = { ids: content.deliveryReceipt.ids.map(wireBytes) }
  if (content.disappearingTimer != null) message.disappearingTimer = { seconds: content.disappearingTimer.seconds }
  if (content.resendRequest != null) message.resendRequest = { ids: content.resendRequest.ids.map(wireBytes) }
  if (content.file != null) message.file = fileToWire(content.file)
  if (content.fileNotice != null) message.fileNotice = fileNoticeToWire(content.fileNotice)
  if (content.installationMoved != null) message.installationMoved = movedToWire(content.installationMoved)
  if (content.installationReplaced != null) message.installationReplaced = movedToWire(content.installationReplaced)
  if (content.tokens != null) {
    message.tokens = {
      relays: content.tokens.relays.map(r => ({
        addr: encodeRelayAddr(r.addr, 'content tokens addr'),
        mailboxId: wireBytes(r.mailboxId),
        token: wireBytes(r.token)
      }))
    }
  }
  groupBodyToWire(content, message)
  const unpadded = pb.Content.encode(message).byteLength
  let target = Math.ceil(unpadded / CONTENT_PADDING_BLOCK) * CONTENT_PADDING_BLOCK
  let padding = paddingChunks(target - unpadded)
  if (padding === undefined) {
    target += CONTENT_PADDING_BLOCK
    padding = paddingChunks(target - unpadded)
  }
  if (target > MAX_CONTENT_BYTES) {
    throw new TooLargeError(`content: ${target} bytes padded, at most ${MAX_CONTENT_BYTES} allowed`)
  }
  const bytes = pb.Content.encode({ ...message, padding })
  if (bytes.byteLength !== target) {
    throw new BugError(`content padded to ${bytes.byteLength} bytes instead of ${target}`)
  }
  return bytes
}

/**
 * Decodes a Content. A Content with no body, or one this version does not know, decodes with no
 * body set.
 * `senderCard` is size-checked only: verify it with `verifySignedInviteCard`.
 *
 * @throws TooLargeError when longer than {@link MAX_CONTENT_BYTES}
 * @throws InvalidInputError when malformed or a field is invalid
 */
export function decodeContent (bytes: Uint8Array): Content {
  checkSize(bytes, MAX_CONTENT_BYTES, 'content')
  const raw = decodeProto(() => pb.Content.decode(bytes, {
    limits: {
      padding: 2,
      deliveryReceipt: { ids: MAX_RECEIPT_IDS },
      resendRequest: { ids: MAX_RECEIPT_IDS },
      readReceipt: { ids: MAX_RECEIPT_IDS },
      tokens: { relays: MAX_CARD_RELAYS },
      ...GROUP_DECODE_LIMITS
    }
  }), 'content')
  checkPadding(raw.padding, 'content')
  const content: Content = {
    id: copyBytes(raw.id),
    sentAt: toSafeNumber(raw.sentAt, 'content sentAt')
  }
  if (raw.senderCard != null) content.senderCard = copyBytes(raw.senderCard)
  if (raw.inviteTag != null) content.inviteTag = copyBytes(raw.inviteTag)
  if (raw.text != null) {
    content.text = { text: raw.text.text, seq: toSafeNumber(raw.text.seq, 'content text seq') }
    if (raw.text.replyTo != null) content.text.replyTo = copyBytes(raw.text.replyTo)
  }
  if (raw.readReceipt != null) content.readReceipt = { ids: raw.readReceipt.ids.map(id => copyBytes(id)) }
  if (raw.typing != null) content.typing = { started: raw.typing.started }
  if (raw.reaction != null) content.reaction = { target: copyBytes(raw.reaction.target), emoji: raw.reaction.emoji, ...groupIdFromWire(raw.reaction) }
  if (raw.edit != null) content.edit = { target: copyBytes(raw.edit.target), text: raw.edit.text, ...groupIdFromWire(raw.edit) }
  if (raw.delete != null) content.delete = { target: copyBytes(raw.delete.target), ...groupIdFromWire(raw.delete) }
  if (raw.deliveryReceipt != null) content.deliveryReceipt = { ids: raw.deliveryReceipt.ids.map(id => copyBytes(id)) }
  if (raw.disappearingTimer != null) content.disappearingTimer = { seconds: raw.disappearingTimer.seconds }
  if (raw.resendRequest != null) content.resendRequest = { ids: raw.resendRequest.ids.map(id => copyBytes(id)) }
  if (raw.file != null) content.file = fileFromWire(raw.file)
  const notice = raw.fileNotice != null ? fileNoticeFromWire(raw.fileNotice) : undefined
  if (notice != null) content.fileNotice = notice
  if (raw.installationMoved != null) content.installationMoved = movedFromWire(raw.installationMoved)
  if (raw.installationReplaced != null) content.installationReplaced = movedFromWire(raw.installationReplaced)
  if (raw.tokens != null) {
    content.tokens = {
      relays: raw.tokens.relays.map(r => ({
        addr: decodeRelayAddr(r.addr, 'content tokens addr'),
        mailboxId: copyBytes(r.mailboxId),
        token: copyBytes(r.token)
      }))
    }
  }
  groupBodyFromWire(raw, content)
  checkContent(content)
  return content
}

function checkContent (content: Content): void {
  checkBytes(content.id, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'content id')
  checkGroupBodies(content)
  checkInteger(content.sentAt, 0, Number.MAX_SAFE_INTEGER, 'content sentAt')
  if (content.senderCard != null) {
    checkBytes(content.senderCard, 1, MAX_SIGNED_INVITE_CARD_BYTES, 'content senderCard')
  }
  if (content.inviteTag != null) checkBytes(content.inviteTag, INVITE_TAG_BYTES, INVITE_TAG_BYTES, 'content inviteTag')
  if (content.text != null) {
    checkText(content.text.text, MAX_TEXT_LENGTH, 'content text', false)
    checkInteger(content.text.seq, 0, Number.MAX_SAFE_INTEGER, 'content text seq')
    if (content.text.replyTo != null) checkBytes(content.text.replyTo, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'content text replyTo')
  }
  if (content.deliveryReceipt != null) checkIds(content.deliveryReceipt.ids, 'content delivery receipt')
  if (content.resendRequest != null) checkIds(content.resendRequest.ids, 'content resend request')
  checkActions(content)
  if (content.file != null) checkFileBody(content.file)
  if (content.fileNotice != null) checkFileNotice(content.fileNotice)
  if (content.installationMoved != null) checkMoved(content.installationMoved, 'content installationMoved')
  if (content.installationReplaced != null) checkMoved(content.installationReplaced, 'content installationReplaced')
  if (content.disappearingTimer != null) {
    checkInteger(content.disappearingTimer.seconds, 0, MAX_DISAPPEARING_SECONDS, 'content disappearing timer')
  }
  if (content.tokens != null) {
    const { relays } = content.tokens
    if (!Array.isArray(relays) || relays.length > MAX_CARD_RELAYS) {
      throw new InvalidInputError(`content tokens: at most ${MAX_CARD_RELAYS} relays`)
    }
    const seen = new Set<string>()
    for (const r of relays) {
      if (r == null || typeof r !== 'object') throw new InvalidInputError('content tokens: expected objects')
      if (typeof r.addr !== 'string') throw new InvalidInputError('content tokens addr: expected a multiaddr string')
      checkBytes(r.mailboxId, 1, MAX_RELAY_FIELD_BYTES, 'content tokens mailboxId')
      checkBytes(r.token, 1, MAX_RELAY_FIELD_BYTES, 'content tokens token')
      const key = `${r.addr} ${Buffer.from(r.mailboxId).toString('hex')}`
      if (seen.has(key)) throw new InvalidInputError('content tokens: the same mailbox twice')
      seen.add(key)
    }
  }
}

/** 1–{@link MAX_RECEIPT_IDS} envelope ids of 16 bytes. */
function checkIds (ids: unknown, what: string): void {
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_RECEIPT_IDS) {
    throw new InvalidInputError(`${what}: 1-${MAX_RECEIPT_IDS} ids expected`)
  }
  for (const id of ids) checkBytes(id, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, `${what} id`)
}

/** The bodies that act on the conversation: read receipts, typing, reactions, edits, deletes. */
function checkActions (content: Content): void {
  if (content.readReceipt != null) checkIds(content.readReceipt.ids, 'content read receipt')
  if (content.typing != null && typeof content.typing.started !== 'boolean') {
    throw new InvalidInputError('content typing: started must be a boolean')
  }
  if (content.reaction != null) {
    checkBytes(content.reaction.target, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'content reaction target')
    checkText(content.reaction.emoji, MAX_EMOJI_LENGTH, 'content reaction emoji', true)
  }
  if (content.edit != null) {
    checkBytes(content.edit.target, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'content edit target')
    checkText(content.edit.text, MAX_TEXT_LENGTH, 'content edit text', false)
    if (content.edit.text.length === 0) throw new InvalidInputError('content edit text: empty')
  }
  if (content.delete != null) checkBytes(content.delete.target, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'content delete target')
  for (const [action, what] of [[content.reaction, 'reaction'], [content.edit, 'edit'], [content.delete, 'delete']] as const) {
    if (action?.groupId != null) checkBytes(action.groupId, GROUP_ID_LENGTH, GROUP_ID_LENGTH, `content ${what} group id`)
  }
}

/** The group id of a reaction, edit or delete inside a group message, to encode. */
function groupIdToWire (action: { groupId?: Uint8Array }): { groupId?: Uint8Array<ArrayBuffer> } {
  return action.groupId != null ? { groupId: wireBytes(action.groupId) } : {}
}

/** The group id of a decoded reaction, edit or delete, when it has one. */
function groupIdFromWire (action: { groupId?: Uint8Array }): { groupId?: Uint8Array } {
  return action.groupId != null ? { groupId: copyBytes(action.groupId) } : {}
}
