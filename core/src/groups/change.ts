// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Signed group changes on the wire: encoding, signing, and decoding with every field checked.
 * Whether a change applies to a state is `state.ts`'s business; this file only reads and writes.
 */
import { toHex } from '../util/index.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidInputError } from '../errors.js'
import { MAX_NAME_LENGTH, MAX_SIGNED_INVITE_CARD_BYTES, verifySignedInviteCard } from '../protocol/index.js'
import {
  checkBytes, checkInteger, checkSize, checkText, copyBytes, decodeProto, toSafeNumber, wireBytes
} from '../protocol/wire.js'
import * as pb from './groups.js'
import {
  GROUP_CHANGE_SIGNATURE_CONTEXT, GROUP_ID_BYTES, MAX_GROUP_CHANGE_BYTES, MAX_GROUP_CHANGE_PARENTS,
  MAX_GROUP_DEPOSIT_TOKEN_BYTES, MAX_GROUP_MEMBERS
} from './limits.js'
import type { InviteCard } from '../protocol/index.js'
import type { IdentityKeyPair } from '@signalapp/libsignal-client'

const HASH_BYTES = 32
const SIGNATURE_BYTES = 64

/** A member as a change carries them: their signed card and their deposit token for this group. */
export interface GroupMemberEntry {
  /** The member's encoded SignedInviteCard, its bundle without a one-time prekey. */
  card: Uint8Array
  /** The deposit token the member registered at their relays for this group's members. */
  depositToken: Uint8Array
}

/** A member entry with its card verified and decoded. */
export interface VerifiedMemberEntry extends GroupMemberEntry {
  /** The decoded card: user id, identity key, PeerId, bundle, relays with mailboxes. */
  readonly decoded: InviteCard
}

/** What a change does. */
export type GroupAction =
  | { type: 'create', name: string, creator: GroupMemberEntry, maxMembers: number }
  | { type: 'add', member: GroupMemberEntry }
  | { type: 'remove', userId: string }
  | { type: 'make-admin', userId: string }
  | { type: 'leave' }
  | { type: 'rename', name: string }

/** A decoded action: member entries carry their verified cards. */
export type VerifiedGroupAction =
  | { type: 'create', name: string, creator: VerifiedMemberEntry, maxMembers: number }
  | { type: 'add', member: VerifiedMemberEntry }
  | Exclude<GroupAction, { type: 'create' | 'add' }>

/** The unsigned fields of a change. */
export interface GroupChangeFields {
  /** The group id, 32 hex digits. */
  groupId: string
  /** The version this change makes. */
  version: number
  /** SHA-256 of the digest of the state it was made on (32 zero bytes for create). */
  previousHash: Uint8Array
  /** Ids (hex) of the changes at the head of the author's log; empty for create. */
  parents: readonly string[]
  /** The signer's user id. */
  author: string
  /** When it was made (ms since epoch, the author's clock). */
  createdAt: number
  /** What it does. */
  action: GroupAction
}

/** A signed change, decoded and checked field by field (not yet against any state). */
export interface GroupChange extends Omit<GroupChangeFields, 'action'> {
  /** SHA-256 of `bytes`, hex: what other changes name as a parent, and the tie-break order. */
  readonly id: string
  /** The encoded SignedGroupChange. */
  readonly bytes: Uint8Array
  /** The bytes the author's identity key signed. */
  readonly signingInput: Uint8Array
  /** The author's signature over `signingInput`. */
  readonly signature: Uint8Array
  readonly action: VerifiedGroupAction
}

function fromHex (text: string, bytes: number, what: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string' || !new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(text)) {
    throw new InvalidInputError(`${what}: expected ${bytes * 2} lower-case hex digits`)
  }
  return new Uint8Array(Buffer.from(text, 'hex'))
}

function uuidBytes (userId: string, what: string): Uint8Array<ArrayBuffer> {
  if (typeof userId !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(userId)) {
    throw new InvalidInputError(`${what}: not a lower-case UUID`)
  }
  return fromHex(userId.replaceAll('-', ''), 16, what)
}

function uuidString (bytes: Uint8Array, what: string): string {
  checkBytes(bytes, 16, 16, what)
  const h = toHex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The bytes an author signs for `body`. */
function signingInputOf (body: Uint8Array): Uint8Array<ArrayBuffer> {
  const context = new TextEncoder().encode(GROUP_CHANGE_SIGNATURE_CONTEXT)
  const input = new Uint8Array(context.byteLength + 1 + body.byteLength)
  input.set(context, 0)
  input.set(body, context.byteLength + 1)
  return input
}

function checkGroupName (name: unknown): asserts name is string {
  checkText(name, MAX_NAME_LENGTH, 'group name', true)
  if (!/\S/u.test(name)) {
    throw new InvalidInputError('group name: empty')
  }
}

/**
 * Checks a member entry and verifies its card (signatures included). A card in a group must not
 * offer a one-time prekey: every member starts sessions from it, and a one-time key serves one.
 */
export function verifyMemberEntry (entry: GroupMemberEntry): VerifiedMemberEntry {
  if (entry == null || typeof entry !== 'object') {
    throw new InvalidInputError('group member: expected an object')
  }
  checkSize(entry.card, MAX_SIGNED_INVITE_CARD_BYTES, 'group member card')
  checkBytes(entry.depositToken, 1, MAX_GROUP_DEPOSIT_TOKEN_BYTES, 'group member depositToken')
  const decoded = verifySignedInviteCard(entry.card)
  if (decoded.bundle.preKeyId != null || decoded.bundle.preKey != null) {
    throw new InvalidInputError('group member card: its bundle offers a one-time prekey')
  }
  return { card: copyBytes(entry.card), depositToken: copyBytes(entry.depositToken), decoded }
}

function toAction (action: GroupAction): Partial<pb.GroupChangeBody> {
  const member = (entry: GroupMemberEntry): pb.GroupMember => {
    verifyMemberEntry(entry)
    return { card: wireBytes(entry.card), depositToken: wireBytes(entry.depositToken) }
  }
  switch (action.type) {
    case 'create':
      checkGroupName(action.name)
      checkInteger(action.maxMembers, 1, MAX_GROUP_MEMBERS, 'group maxMembers')
      return { create: { name: action.name, creator: member(action.creator), maxMembers: action.maxMembers } }
    case 'add':
      return { addMember: { member: member(action.member) } }
    case 'remove':
      return { removeMember: { userId: uuidBytes(action.userId, 'removed member') } }
    case 'make-admin':
      return { makeAdmin: { userId: uuidBytes(action.userId, 'new admin') } }
    case 'leave':
      return { leave: {} }
    case 'rename':
      checkGroupName(action.name)
      return { rename: { name: action.name } }
    default:
      throw new InvalidInputError('group change: unknown action')
  }
}

function fromAction (raw: pb.GroupChangeBody): VerifiedGroupAction {
  const set = [raw.create, raw.addMember, raw.removeMember, raw.makeAdmin, raw.leave, raw.rename].filter(a => a != null)
  if (set.length !== 1) {
    throw new InvalidInputError('group change: expected exactly one action')
  }
  const member = (m: pb.GroupMember | undefined): VerifiedMemberEntry => {
    if (m == null) throw new InvalidInputError('group change: no member')
    return verifyMemberEntry(m)
  }
  if (raw.create != null) {
    checkGroupName(raw.create.name)
    checkInteger(raw.create.maxMembers, 1, MAX_GROUP_MEMBERS, 'group maxMembers')
    return { type: 'create', name: raw.create.name, creator: member(raw.create.creator), maxMembers: raw.create.maxMembers }
  }
  if (raw.addMember != null) return { type: 'add', member: member(raw.addMember.member) }
  if (raw.removeMember != null) return { type: 'remove', userId: uuidString(raw.removeMember.userId, 'removed member') }
  if (raw.makeAdmin != null) return { type: 'make-admin', userId: uuidString(raw.makeAdmin.userId, 'new admin') }
  if (raw.rename != null) {
    checkGroupName(raw.rename.name)
    return { type: 'rename', name: raw.rename.name }
  }
  return { type: 'leave' }
}

/**
 * Encodes and signs a change with the author's identity key pair.
 *
 * @throws {InvalidInputError} when a field is invalid (a card included)
 */
export function signGroupChange (fields: GroupChangeFields, keyPair: IdentityKeyPair): Uint8Array<ArrayBuffer> {
  checkInteger(fields.version, 1, Number.MAX_SAFE_INTEGER, 'group change version')
  checkInteger(fields.createdAt, 0, Number.MAX_SAFE_INTEGER, 'group change createdAt')
  checkBytes(fields.previousHash, HASH_BYTES, HASH_BYTES, 'group change previousHash')
  if (fields.parents.length > MAX_GROUP_CHANGE_PARENTS) {
    throw new InvalidInputError(`group change: at most ${MAX_GROUP_CHANGE_PARENTS} parents`)
  }
  const body = pb.GroupChangeBody.encode({
    groupId: fromHex(fields.groupId, GROUP_ID_BYTES, 'group id'),
    version: BigInt(fields.version),
    previousHash: wireBytes(fields.previousHash),
    author: uuidBytes(fields.author, 'group change author'),
    createdAt: BigInt(fields.createdAt),
    parents: fields.parents.map(id => fromHex(id, HASH_BYTES, 'group change parent')),
    ...toAction(fields.action)
  })
  const signature = keyPair.privateKey.sign(signingInputOf(body))
  const signed = pb.SignedGroupChange.encode({ body, signature })
  checkSize(signed, MAX_GROUP_CHANGE_BYTES, 'group change')
  return signed
}

/** The id of an encoded change: the hex SHA-256 of its bytes, as {@link GroupChange.id}. */
export function groupChangeId (bytes: Uint8Array): string {
  return toHex(sha256(bytes))
}

/**
 * Decodes an encoded SignedGroupChange, checking its size before decoding and every field after
 * (member cards and their signatures included). The change's own signature is checked against
 * the author's key in the state it applies to, which this function does not know.
 *
 * @throws {TooLargeError} when larger than {@link MAX_GROUP_CHANGE_BYTES}
 * @throws {InvalidInputError} when malformed or a field is invalid
 */
export function decodeGroupChange (bytes: Uint8Array): GroupChange {
  checkSize(bytes, MAX_GROUP_CHANGE_BYTES, 'group change')
  const signed = decodeProto(() => pb.SignedGroupChange.decode(bytes), 'group change')
  checkBytes(signed.signature, SIGNATURE_BYTES, SIGNATURE_BYTES, 'group change signature')
  const raw = decodeProto(() => pb.GroupChangeBody.decode(signed.body, {
    limits: { parents: MAX_GROUP_CHANGE_PARENTS }
  }), 'group change body')
  checkBytes(raw.groupId, GROUP_ID_BYTES, GROUP_ID_BYTES, 'group id')
  checkBytes(raw.previousHash, HASH_BYTES, HASH_BYTES, 'group change previousHash')
  const parents = raw.parents.map(p => {
    checkBytes(p, HASH_BYTES, HASH_BYTES, 'group change parent')
    return toHex(p)
  })
  if (new Set(parents).size !== parents.length) {
    throw new InvalidInputError('group change: a parent is named twice')
  }
  const version = toSafeNumber(raw.version, 'group change version')
  const action = fromAction(raw)
  if ((action.type === 'create') !== (parents.length === 0) || (action.type === 'create') !== (version === 1)) {
    throw new InvalidInputError('group change: create, and only create, has version 1 and no parents')
  }
  const copy = copyBytes(bytes)
  return {
    id: groupChangeId(copy),
    bytes: copy,
    groupId: toHex(raw.groupId),
    version,
    previousHash: copyBytes(raw.previousHash),
    parents,
    author: uuidString(raw.author, 'group change author'),
    createdAt: toSafeNumber(raw.createdAt, 'group change createdAt'),
    action,
    signingInput: signingInputOf(signed.body),
    signature: copyBytes(signed.signature)
  }
}
