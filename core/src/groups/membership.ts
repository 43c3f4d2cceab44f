// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's membership as a signed log of changes.
 *
 * Every change names the changes at the head of its author's log (its parents), the version and
 * the hash of the state those resolve to, and is checked against that state when it arrives:
 * signature, rights, version, previous-state hash. A bad change is refused with a named error and
 * never stored.
 *
 * The state is a pure function of the set of changes held: they are ordered topologically, ties
 * broken by (version, change id), and applied one by one, each checked again against the state it
 * now lands on. When two admins change the group from the same state, the change with the lower
 * id is applied first and the other is re-applied on top of it if it is still valid there (an
 * admin removed by the winner loses their change; a member both add is added once), otherwise it
 * is kept as superseded. A change by an admin whom a concurrent change removes is void, whatever
 * the ids. Every member that holds the same changes computes the same state, whatever order they
 * arrived in.
 */
import { toHex } from '../util/index.js'
import { randomBytes } from 'node:crypto'
import { BadSignatureError, GroupChangeRefusedError, GroupVersionError, TooLargeError } from '../errors.js'
import { decodeGroupChange, signGroupChange } from './change.js'
import { MAX_GROUP_MEMBERS, MAX_PENDING_GROUP_CHANGES } from './limits.js'
import { NO_STATE_HASH, applyChange, genesisState } from './state.js'
import type { GroupAction, GroupChange, GroupMemberEntry } from './change.js'
import type { GroupState } from './state.js'
import type { LocalIdentity } from '../crypto/index.js'

/** Who signs a change: a user id and its identity key pair (a {@link LocalIdentity} will do). */
export type GroupSigner = Pick<LocalIdentity, 'userId' | 'keyPair'>

/**
 * What became of a received change: `applied` to the state; `superseded` (valid where its author
 * made it, but not after a concurrent change that won the tie-break); `pending` (a parent has not
 * arrived yet); `duplicate` (held already).
 */
export type ReceiveOutcome = 'applied' | 'superseded' | 'pending' | 'duplicate'

/** Options of {@link createGroup}. */
export interface CreateGroupOptions {
  /** The group's name, 1-64 characters. */
  name: string
  /** The creator's entry: their card (without a one-time prekey) and deposit token. */
  creator: GroupMemberEntry
  /** At most this many members, 1-100; default 100. Every member enforces the creator's choice. */
  maxMembers?: number
  /** When (ms since epoch); default now. */
  now?: number
  /** The group id, 32 hex digits; default random. */
  groupId?: string
}

interface Resolved {
  state: GroupState
  applied: Set<string>
  order: string[]
}

const MAX_MEMO = 64

/** The ids of `from` and every change before it. */
function ancestry (changes: ReadonlyMap<string, GroupChange>, from: string): Set<string> {
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length > 0) {
    const id = stack.pop() as string
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(changes.get(id) as GroupChange).parents)
  }
  return seen
}

/**
 * The changes void because their author is removed by a change concurrent with them (neither
 * before nor after the other): a removed admin can still sign changes on the states before their
 * removal, and without this the tie-break would let such a change win half the time, or always for
 * an admin who signs again until the id comes out low. Two admins removing each other at once
 * void both removals, and both stay.
 */
function voidedByRemoval (changes: ReadonlyMap<string, GroupChange>, ids: ReadonlySet<string>): Set<string> {
  const removals = new Map<string, string[]>()
  for (const id of ids) {
    const action = (changes.get(id) as GroupChange).action
    if (action.type === 'remove') removals.set(action.userId, [...(removals.get(action.userId) ?? []), id])
  }
  const voided = new Set<string>()
  if (removals.size === 0) return voided
  const ancestors = new Map<string, Set<string>>()
  const before = (a: string, b: string): boolean => {
    let set = ancestors.get(b)
    if (set === undefined) {
      set = ancestry(changes, b)
      ancestors.set(b, set)
    }
    return a !== b && set.has(a)
  }
  for (const id of ids) {
    const removedBy = removals.get((changes.get(id) as GroupChange).author) ?? []
    if (removedBy.some(r => !before(id, r) && !before(r, id))) voided.add(id)
  }
  return voided
}

/** The order-independent resolution of a causally closed set of changes (see the file comment). */
function resolve (changes: ReadonlyMap<string, GroupChange>, ids: ReadonlySet<string>): Resolved {
  const waiting = new Map<string, number>()
  const children = new Map<string, string[]>()
  for (const id of ids) {
    const parents = (changes.get(id) as GroupChange).parents
    waiting.set(id, parents.length)
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), id])
  }
  const ready = [...ids].filter(id => waiting.get(id) === 0)
  const voided = voidedByRemoval(changes, ids)
  let state: GroupState | undefined
  const applied = new Set<string>()
  const order: string[] = []
  while (ready.length > 0) {
    let best = 0
    for (let i = 1; i < ready.length; i++) {
      if (before(changes.get(ready[i] as string) as GroupChange, changes.get(ready[best] as string) as GroupChange)) best = i
    }
    const id = ready.splice(best, 1)[0] as string
    const change = changes.get(id) as GroupChange
    order.push(id)
    try {
      if (!voided.has(id)) {
        state = state === undefined ? genesisState(change) : applyChange(state, change)
        applied.add(id)
      }
    } catch (err) {
      if (!isRefusal(err)) throw err
    }
    for (const child of children.get(id) ?? []) {
      const left = (waiting.get(child) as number) - 1
      waiting.set(child, left)
      if (left === 0) ready.push(child)
    }
  }
  if (state === undefined) throw new GroupChangeRefusedError('a group log starts with its create change')
  return { state, applied, order }
}

/** Whether `err` refuses a change (as opposed to a bug). */
function isRefusal (err: unknown): boolean {
  return err instanceof GroupChangeRefusedError || err instanceof BadSignatureError
}

function before (a: GroupChange, b: GroupChange): boolean {
  return a.version !== b.version ? a.version < b.version : a.id < b.id
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i])
}

/** One member's copy of a group's membership log. */
export class GroupLog {
  /** The group id, 32 hex digits. */
  readonly groupId: string
  readonly #changes = new Map<string, GroupChange>()
  readonly #pending = new Map<string, GroupChange>()
  readonly #bases = new Map<string, GroupState>()
  #resolved: Resolved
  #heads: string[]

  private constructor (genesis: GroupChange) {
    const state = genesisState(genesis)
    this.groupId = genesis.groupId
    this.#changes.set(genesis.id, genesis)
    this.#resolved = { state, applied: new Set([genesis.id]), order: [genesis.id] }
    this.#heads = [genesis.id]
  }

  /**
   * A log from its create change and any changes after it (in any order; those whose parents
   * are missing wait, those that are bad are refused).
   *
   * @throws the errors of {@link decodeGroupChange}, and {@link GroupChangeRefusedError} (or a
   *   subclass, or BadSignatureError) when the first change is not a valid create change
   */
  static open (create: Uint8Array, changes: Iterable<Uint8Array> = []): GroupLog {
    const log = new GroupLog(decodeGroupChange(create))
    for (const bytes of changes) log.receive(bytes)
    return log
  }

  /** The current state. */
  get state (): GroupState {
    return this.#resolved.state
  }

  /** Ids of the changes no other held change names as a parent. */
  get heads (): readonly string[] {
    return this.#heads
  }

  /** Every held change (create first, then in the order they resolve), for storing or catching up a member. */
  changes (): Uint8Array[] {
    return this.#resolved.order.map(id => (this.#changes.get(id) as GroupChange).bytes)
  }

  /** The bytes of the held change with this id (applied or superseded), or undefined. */
  change (id: string): Uint8Array | undefined {
    return this.#changes.get(id)?.bytes
  }

  /** Whether the change with this id is held and applied to the current state. */
  isApplied (id: string): boolean {
    return this.#resolved.applied.has(id)
  }

  /**
   * Takes in a change from another member (or one's own).
   *
   * @throws {TooLargeError}, {InvalidInputError} when it does not decode
   * @throws {BadSignatureError} when its signature does not verify under its author's key
   * @throws {NotGroupAdminError} when its author may not make it on the state it names
   * @throws {GroupVersionError} when its version or previous-state hash does not follow that state
   * @throws {GroupFullError} when it adds a member beyond the group's limit
   * @throws {GroupChangeRefusedError} when it is for another group, or does not apply
   */
  receive (bytes: Uint8Array): ReceiveOutcome {
    const change = decodeGroupChange(bytes)
    if (change.groupId !== this.groupId) {
      throw new GroupChangeRefusedError('group change: for another group')
    }
    if (this.#changes.has(change.id) || this.#pending.has(change.id)) return 'duplicate'
    if (change.action.type === 'create') {
      throw new GroupChangeRefusedError('group change: a group is created once')
    }
    if (!change.parents.every(p => this.#changes.has(p))) {
      if (this.#pending.size >= MAX_PENDING_GROUP_CHANGES) {
        throw new TooLargeError(`group log: ${MAX_PENDING_GROUP_CHANGES} changes wait for their parents already`)
      }
      this.#pending.set(change.id, change)
      return 'pending'
    }
    this.#accept(change)
    this.#drainPending()
    this.#refresh(change)
    return this.#resolved.applied.has(change.id) ? 'applied' : 'superseded'
  }

  /**
   * Makes a change on the current state, signed by `signer`, and applies it. Returns the encoded
   * change for the other members.
   *
   * @throws the errors of {@link GroupLog.receive}: the change is checked as any other
   */
  propose (signer: GroupSigner, action: GroupAction, now = Date.now()): Uint8Array {
    const state = this.state
    const bytes = signGroupChange({
      groupId: this.groupId,
      version: state.version + 1,
      previousHash: state.hash,
      parents: this.#heads,
      author: signer.userId,
      createdAt: now,
      action
    }, signer.keyPair)
    this.receive(bytes)
    return bytes
  }

  /** Checks `change` against the state its parents resolve to, then holds it. */
  #accept (change: GroupChange): void {
    const base = this.#baseOf(change.parents)
    if (change.version !== base.version + 1) {
      throw new GroupVersionError(`group change: version ${change.version} does not follow version ${base.version}`)
    }
    if (!equal(change.previousHash, base.hash)) {
      throw new GroupVersionError('group change: its previous-state hash is not the hash of the state it names')
    }
    applyChange(base, change)
    this.#changes.set(change.id, change)
  }

  #drainPending (): void {
    let progress = true
    while (progress) {
      progress = false
      for (const [id, change] of this.#pending) {
        if (!change.parents.every(p => this.#changes.has(p))) continue
        this.#pending.delete(id)
        progress = true
        try {
          this.#accept(change)
        } catch (err) {
          // A bad change that waited is dropped as it would have been refused on arrival.
          if (!isRefusal(err)) throw err
        }
      }
    }
  }

  /** The resolved state of the changes `parents` name and all before them; memoised. */
  #baseOf (parents: readonly string[]): GroupState {
    const key = [...parents].sort().join(',')
    const known = this.#bases.get(key)
    if (known !== undefined) return known
    const ids = new Set<string>()
    for (const parent of parents) {
      for (const id of ancestry(this.#changes, parent)) ids.add(id)
    }
    const state = resolve(this.#changes, ids).state
    this.#remember(key, state)
    return state
  }

  #remember (key: string, state: GroupState): void {
    if (this.#bases.size >= MAX_MEMO) this.#bases.clear()
    this.#bases.set(key, state)
  }

  /** Recomputes the state after `latest` was added; when it extends the current heads alone, one step does. */
  #refresh (latest: GroupChange): void {
    const named = new Set(latest.parents)
    const extendsHeads = this.#pending.size === 0 && this.#heads.length === named.size &&
      this.#heads.every(h => named.has(h)) && this.#changes.size === this.#resolved.order.length + 1
    if (extendsHeads) {
      const { state, applied, order } = this.#resolved
      let next = state
      try {
        next = applyChange(state, latest)
        applied.add(latest.id)
      } catch {
        // Checked against this very state on arrival: it applies.
      }
      this.#resolved = { state: next, applied, order: [...order, latest.id] }
    } else {
      this.#resolved = resolve(this.#changes, new Set(this.#changes.keys()))
    }
    const parents = new Set([...this.#changes.values()].flatMap(c => c.parents))
    this.#heads = [...this.#changes.keys()].filter(id => !parents.has(id)).sort()
    this.#remember(this.#heads.join(','), this.#resolved.state)
  }
}

/**
 * Creates a group with `signer` as its only member and admin. Returns the log and the encoded
 * create change (what every later member needs first).
 *
 * @throws {InvalidInputError} when a field is invalid or the creator's card is not `signer`'s
 */
export function createGroup (signer: GroupSigner, options: CreateGroupOptions): { log: GroupLog, create: Uint8Array } {
  const create = signGroupChange({
    groupId: options.groupId ?? toHex(randomBytes(16)),
    version: 1,
    previousHash: NO_STATE_HASH,
    parents: [],
    author: signer.userId,
    createdAt: options.now ?? Date.now(),
    action: { type: 'create', name: options.name, creator: options.creator, maxMembers: options.maxMembers ?? MAX_GROUP_MEMBERS }
  }, signer.keyPair)
  return { log: GroupLog.open(create), create }
}
