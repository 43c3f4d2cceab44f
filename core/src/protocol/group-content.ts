// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The group bodies of Content (16-19): membership changes, sender keys, group texts (and files) and joining.
 * What they mean is groups' business (`core/src/groups/`); this file only reads, writes and checks
 * their fields.
 */
import { InvalidInputError } from '../errors.js'
import {
  ENVELOPE_ID_BYTES, GROUP_ID_LENGTH, MAX_DISAPPEARING_SECONDS, MAX_GROUP_UPDATE_CHANGES, MAX_GROUP_UPDATE_CHANGE_BYTES, MAX_NAME_LENGTH,
  MAX_RELAY_FIELD_BYTES, MAX_SENDER_KEY_BYTES, MAX_SIGNED_INVITE_CARD_BYTES, MAX_TEXT_LENGTH
} from './limits.js'
import { checkFileBody, fileFromWire, fileToWire } from './content-file.js'
import { checkBytes, checkInteger, checkText, copyBytes, toSafeNumber, wireBytes } from './wire.js'
import type * as pb from './sotto.js'
import type { Content } from './types.js'

/** The group bodies of `content` that are set. */
export function groupBodies (content: Content): unknown[] {
  return [content.groupUpdate, content.senderKey, content.groupText, content.groupJoin].filter(b => b != null)
}

/** Limits of the group bodies' repeated fields while decoding. */
export const GROUP_DECODE_LIMITS = { groupUpdate: { changes: MAX_GROUP_UPDATE_CHANGES } }

/** Writes the group body of `content`, if any, into the message to encode. */
export function groupBodyToWire (content: Content, message: pb.Content): void {
  const { groupUpdate, senderKey, groupText, groupJoin } = content
  if (groupUpdate != null) message.groupUpdate = { groupId: wireBytes(groupUpdate.groupId), changes: groupUpdate.changes.map(wireBytes) }
  if (senderKey != null) message.senderKey = { groupId: wireBytes(senderKey.groupId), distribution: wireBytes(senderKey.distribution) }
  if (groupText != null) {
    message.groupText = {
      groupId: wireBytes(groupText.groupId),
      text: groupText.text,
      seq: BigInt(groupText.seq),
      disappearingSeconds: groupText.disappearingSeconds,
      ...(groupText.replyTo != null ? { replyTo: wireBytes(groupText.replyTo) } : {}),
      ...(groupText.file != null ? { file: fileToWire(groupText.file) } : {})
    }
  }
  if (groupJoin != null) {
    message.groupJoin = {
      groupId: wireBytes(groupJoin.groupId),
      name: groupJoin.name,
      ...(groupJoin.card != null ? { card: wireBytes(groupJoin.card) } : {}),
      ...(groupJoin.depositToken != null ? { depositToken: wireBytes(groupJoin.depositToken) } : {})
    }
  }
}

/** Reads the group body of a decoded message, if any, into `content` (checked by {@link checkGroupBodies}). */
export function groupBodyFromWire (raw: pb.Content, content: Content): void {
  if (raw.groupUpdate != null) content.groupUpdate = { groupId: copyBytes(raw.groupUpdate.groupId), changes: raw.groupUpdate.changes.map(c => copyBytes(c)) }
  if (raw.senderKey != null) content.senderKey = { groupId: copyBytes(raw.senderKey.groupId), distribution: copyBytes(raw.senderKey.distribution) }
  if (raw.groupText != null) {
    const t = raw.groupText
    content.groupText = {
      groupId: copyBytes(t.groupId),
      text: t.text,
      seq: toSafeNumber(t.seq, 'content group text seq'),
      disappearingSeconds: t.disappearingSeconds,
      ...(t.replyTo != null ? { replyTo: copyBytes(t.replyTo) } : {}),
      ...(t.file != null ? { file: fileFromWire(t.file) } : {})
    }
  }
  if (raw.groupJoin != null) {
    const j = raw.groupJoin
    content.groupJoin = {
      groupId: copyBytes(j.groupId),
      name: j.name,
      ...(j.card != null ? { card: copyBytes(j.card) } : {}),
      ...(j.depositToken != null ? { depositToken: copyBytes(j.depositToken) } : {})
    }
  }
}

function checkGroupId (groupId: unknown, what: string): void {
  checkBytes(groupId, GROUP_ID_LENGTH, GROUP_ID_LENGTH, `${what} group id`)
}

/**
 * Checks the fields of the group bodies of `content`.
 *
 * @throws InvalidInputError when a field is invalid
 */
export function checkGroupBodies (content: Content): void {
  const { groupUpdate, senderKey, groupText, groupJoin } = content
  if (groupUpdate != null) {
    checkGroupId(groupUpdate.groupId, 'content group update')
    const { changes } = groupUpdate
    if (!Array.isArray(changes) || changes.length < 1 || changes.length > MAX_GROUP_UPDATE_CHANGES) {
      throw new InvalidInputError(`content group update: 1-${MAX_GROUP_UPDATE_CHANGES} changes expected`)
    }
    for (const change of changes) checkBytes(change, 1, MAX_GROUP_UPDATE_CHANGE_BYTES, 'content group update change')
  }
  if (senderKey != null) {
    checkGroupId(senderKey.groupId, 'content sender key')
    checkBytes(senderKey.distribution, 1, MAX_SENDER_KEY_BYTES, 'content sender key distribution')
  }
  if (groupText != null) {
    checkGroupId(groupText.groupId, 'content group text')
    checkText(groupText.text, MAX_TEXT_LENGTH, 'content group text', false)
    checkInteger(groupText.seq, 0, Number.MAX_SAFE_INTEGER, 'content group text seq')
    checkInteger(groupText.disappearingSeconds, 0, MAX_DISAPPEARING_SECONDS, 'content group text disappearing timer')
    if (groupText.replyTo != null) checkBytes(groupText.replyTo, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'content group text replyTo')
    if (groupText.file != null) {
      checkFileBody(groupText.file)
      if (groupText.text !== '') throw new InvalidInputError('content group text: a file carries no text')
      if (groupText.file.seq !== groupText.seq) throw new InvalidInputError('content group text: a file\'s seq is the text\'s')
    }
  }
  if (groupJoin != null) {
    checkGroupId(groupJoin.groupId, 'content group join')
    checkText(groupJoin.name, MAX_NAME_LENGTH, 'content group join name', true)
    if ((groupJoin.card == null) !== (groupJoin.depositToken == null)) {
      throw new InvalidInputError('content group join: a card and a deposit token, or neither')
    }
    if (groupJoin.card != null) checkBytes(groupJoin.card, 1, MAX_SIGNED_INVITE_CARD_BYTES, 'content group join card')
    if (groupJoin.depositToken != null) checkBytes(groupJoin.depositToken, 1, MAX_RELAY_FIELD_BYTES, 'content group join deposit token')
  }
}
