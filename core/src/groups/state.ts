// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's state and the one step that changes it: who may do what, checked against the state a
 * change is applied to, with the author's signature verified under the key that state records.
 */
import { toHex } from '../util/index.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { verifyIdentitySignature } from '../crypto/index.js'
import { BadSignatureError, BugError, GroupChangeRefusedError, GroupFullError, NotGroupAdminError } from '../errors.js'
import * as pb from './groups.js'
import type { GroupChange, VerifiedMemberEntry } from './change.js'
import type { InviteCard } from '../protocol/index.js'

/** One member of a group. */
export interface GroupMemberState {
  /** The member's user id. */
  readonly userId: string
  /** Their decoded card: identity key, PeerId, bundle, relays with mailboxes. */
  readonly card: InviteCard
  /** Their encoded SignedInviteCard. */
  readonly cardBytes: Uint8Array
  /** Their deposit token for this group. */
  readonly depositToken: Uint8Array
  /** Whether they may change the group. */
  readonly admin: boolean
}

/** A group as one state of its log. Immutable. */
export interface GroupState {
  /** The group id, 32 hex digits. */
  readonly groupId: string
  /** How many changes made this state, create included. */
  readonly version: number
  /** The group's name (untrusted text). */
  readonly name: string
  /** Most members the group may have. */
  readonly maxMembers: number
  /** Members by user id. */
  readonly members: ReadonlyMap<string, GroupMemberState>
  /** SHA-256 of the state's digest: what a change made on this state names as `previousHash`. */
  readonly hash: Uint8Array
}

/** The hash a create change names as its previous state. */
export const NO_STATE_HASH: Uint8Array = new Uint8Array(32)

const cardHashes = new WeakMap<Uint8Array, Uint8Array<ArrayBuffer>>()

function cardHash (card: Uint8Array): Uint8Array<ArrayBuffer> {
  let h = cardHashes.get(card)
  if (h === undefined) {
    h = new Uint8Array(sha256(card))
    cardHashes.set(card, h)
  }
  return h
}

function stateHash (s: Omit<GroupState, 'hash'>): Uint8Array {
  const members = [...s.members.values()]
    .sort((a, b) => a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)
    .map(m => ({
      userId: new Uint8Array(Buffer.from(m.userId.replaceAll('-', ''), 'hex')),
      cardHash: cardHash(m.cardBytes),
      depositToken: m.depositToken as Uint8Array<ArrayBuffer>,
      admin: m.admin
    }))
  const digest = pb.GroupStateDigest.encode({
    groupId: new Uint8Array(Buffer.from(s.groupId, 'hex')),
    version: BigInt(s.version),
    name: s.name,
    maxMembers: s.maxMembers,
    members
  })
  return sha256(digest)
}

function withHash (s: Omit<GroupState, 'hash'>): GroupState {
  return Object.freeze({ ...s, hash: stateHash(s) })
}

function memberOf (entry: VerifiedMemberEntry, admin: boolean): GroupMemberState {
  return Object.freeze({
    userId: entry.decoded.userId,
    card: entry.decoded,
    cardBytes: entry.card,
    depositToken: entry.depositToken,
    admin
  })
}

/** Signature checks already passed, by change id and key: a change is re-applied on every resolve. */
const verified = new Set<string>()
const MAX_VERIFIED = 8192

function checkSignature (change: GroupChange, identityKey: Uint8Array): void {
  const id = `${change.id}:${toHex(identityKey)}`
  if (verified.has(id)) return
  if (!verifyIdentitySignature(identityKey, change.signingInput, change.signature)) {
    throw new BadSignatureError('group change: the signature does not verify under the author\'s key')
  }
  if (verified.size >= MAX_VERIFIED) verified.clear()
  verified.add(id)
}

/**
 * The state a create change makes: the creator alone, an admin. Checks that the creator signed it.
 *
 * @throws {GroupChangeRefusedError} when it is not a create change or not the creator's
 * @throws {BadSignatureError} when the creator's signature does not verify
 */
export function genesisState (change: GroupChange): GroupState {
  if (change.action.type !== 'create') {
    throw new GroupChangeRefusedError('a group log starts with its create change')
  }
  const creator = change.action.creator
  if (creator.decoded.userId !== change.author) {
    throw new NotGroupAdminError('group create: signed by someone other than the creator')
  }
  checkSignature(change, creator.decoded.bundle.identityKey)
  const members = new Map([[change.author, memberOf(creator, true)]])
  return withHash({ groupId: change.groupId, version: 1, name: change.action.name, maxMembers: change.action.maxMembers, members })
}

/**
 * The state after `change` is applied to `state`: checks that its author may make it here (admin,
 * or the member leaving), that its signature verifies under the author's key in `state`, and that
 * it does something valid. Does not look at `change.version` or `previousHash`: a change that lost
 * a race is applied to a later state than the one it names.
 *
 * @throws {NotGroupAdminError} when the author lacks the right
 * @throws {BadSignatureError} when the signature does not verify under the author's key in `state`
 * @throws {GroupFullError} when an added member would exceed the group's limit
 * @throws {GroupChangeRefusedError} when the change does not apply (a member added twice, …)
 */
export function applyChange (state: GroupState, change: GroupChange): GroupState {
  if (change.groupId !== state.groupId) {
    throw new GroupChangeRefusedError('group change: for another group')
  }
  const author = state.members.get(change.author)
  if (author === undefined) {
    throw new NotGroupAdminError('group change: its author is not a member')
  }
  const action = change.action
  if (action.type !== 'leave' && !author.admin) {
    throw new NotGroupAdminError(`group change: only an admin may ${action.type === 'create' ? 'create' : action.type} here`)
  }
  checkSignature(change, author.card.bundle.identityKey)
  const members = new Map(state.members)
  let name = state.name
  switch (action.type) {
    case 'create':
      throw new GroupChangeRefusedError('group change: a group is created once')
    case 'add':
      if (members.has(action.member.decoded.userId)) {
        throw new GroupChangeRefusedError('group change: the added member is a member already')
      }
      if (members.size >= state.maxMembers) {
        throw new GroupFullError(`group change: the group has ${members.size} members, its limit`)
      }
      members.set(action.member.decoded.userId, memberOf(action.member, false))
      break
    case 'remove':
      if (action.userId === change.author) {
        throw new GroupChangeRefusedError('group change: an admin leaves, rather than removes themselves')
      }
      if (!members.delete(action.userId)) {
        throw new GroupChangeRefusedError('group change: the removed user is not a member')
      }
      break
    case 'make-admin': {
      const member = members.get(action.userId)
      if (member === undefined || member.admin) {
        throw new GroupChangeRefusedError('group change: the new admin is not a member, or an admin already')
      }
      members.set(action.userId, Object.freeze({ ...member, admin: true }))
      break
    }
    case 'leave':
      members.delete(change.author)
      if (author.admin && members.size > 0 && ![...members.values()].some(m => m.admin)) {
        throw new GroupChangeRefusedError('group change: the last admin cannot leave before making another admin')
      }
      break
    case 'rename':
      name = action.name
      break
    default:
      throw new BugError('unknown group action')
  }
  return withHash({ groupId: state.groupId, version: state.version + 1, name, maxMembers: state.maxMembers, members })
}
