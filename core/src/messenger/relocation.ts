// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Moving to a new computer, after a restore from a backup. The restored installation keeps the
 * identity (contacts see the same safety number) but none of the old installation's ratchets: it
 * has a new PeerId, fresh prekeys and no sessions, and the next installation number.
 *
 * - It tells each contact, without a session, that it now holds the identity: an
 *   `installationMoved` statement (its number and card, signed by the identity key). The contact
 *   checks the signature against the identity key it knows, starts a session from the card's
 *   prekeys, sends to the new installation from then on, and refuses envelopes of older ones
 *   (their certificates state their number).
 * - It leaves the same statement, as `installationReplaced`, in the old installation's mailboxes.
 *   The old installation checks it against its own identity key, records that it was replaced,
 *   says so (an event) and sends nothing more.
 */
import { randomBytes } from 'node:crypto'
import { sealWithoutSession, signWithIdentity, startSession, verifyIdentitySignature } from '../crypto/index.js'
import { InvalidInputError } from '../errors.js'
import { encodeContent, encodeEnvelope, movedSigningInput, verifySignedInviteCard } from '../protocol/index.js'
import { equalBytes } from '../util/index.js'
import { Singleton } from './state.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { Logger } from '../logger.js'
import type { ContentMoved, InviteCard } from '../protocol/index.js'
import type { Transaction } from '../storage/types.js'
import type { Outbox, SealedOutbox } from './outbox.js'
import type { ContactRecord } from './records.js'
import type { ChangeControl, Repositories, State } from './state.js'
import { z } from 'zod'

/** A mailbox of the replaced installation, where the statement is left for it. */
export interface PreviousMailbox {
  addr: string
  mailboxId: Uint8Array
  introToken: Uint8Array
}

/** What a restored installation still has to do to move in. */
export interface RelocationRecord {
  /** Its installation number. */
  installation: number
  /** The backup's home relays, still to be joined (a new mailbox at each). */
  joinRelays: string[]
  /** The replaced installation's mailboxes, still to be told. */
  previousMailboxes: PreviousMailbox[]
}

/** That this installation was replaced by a newer one. */
export interface InstallationRecord {
  /** The number of the installation that replaced it. */
  replacedBy: number
  /** When it learnt so (ms since epoch). */
  replacedAt: number
}

const bytes = z.instanceof(Uint8Array)

const relocationSchema: z.ZodType<RelocationRecord> = z.looseObject({
  installation: z.number().int().min(1),
  joinRelays: z.array(z.string()),
  previousMailboxes: z.array(z.looseObject({ addr: z.string(), mailboxId: bytes, introToken: bytes }))
})

const installationSchema: z.ZodType<InstallationRecord> = z.looseObject({
  replacedBy: z.number().int().min(1),
  replacedAt: z.number()
})

/** The relocation record of a store. */
export function relocationRecord (state: State): Singleton<RelocationRecord> {
  return new Singleton(state, relocationSchema, ['relocation'], 'relocation')
}

/** The installation record of a store. */
export function installationRecord (state: State): Singleton<InstallationRecord> {
  return new Singleton(state, installationSchema, ['installation'], 'installation')
}

/** This installation's statement that it holds `identity`, with its signed card. */
export function makeStatement (identity: LocalIdentity, card: Uint8Array): ContentMoved {
  const installation = identity.installation ?? 1
  return { installation, card, signature: signWithIdentity(identity, movedSigningInput(installation, card)) }
}

/**
 * The card of a statement, once its signature is checked against `identityKey` and the card's
 * owner is `userId` with that key. Throws InvalidInputError otherwise.
 */
export function checkStatement (moved: ContentMoved, identityKey: Uint8Array, userId: string): InviteCard {
  if (!verifyIdentitySignature(identityKey, movedSigningInput(moved.installation, moved.card), moved.signature)) {
    throw new InvalidInputError('the statement is not signed by the identity key')
  }
  const card = verifySignedInviteCard(moved.card)
  if (card.userId !== userId || !equalBytes(card.bundle.identityKey, identityKey)) {
    throw new InvalidInputError('the statement\'s card is not of its identity')
  }
  return card
}

/**
 * A contact's newer installation says it holds their identity: starts a session from its card,
 * sends to it from then on (its PeerId, addresses and relays; its introduction tokens until it
 * sends tokens of its own), and greets it, which gives it the session back. Writes to `tx`; the
 * caller writes `contact`. Resolves with the PeerId of the installation replaced, or undefined
 * when the statement is not newer than what is known.
 */
export async function takeMoved (
  tx: Transaction, change: ChangeControl, contact: ContactRecord, moved: ContentMoved,
  components: { identity: LocalIdentity, outbox: Outbox }
): Promise<string | undefined> {
  const card = checkStatement(moved, contact.identityKey, contact.id)
  if (moved.installation <= (contact.installation ?? 1)) return undefined
  const previous = contact.peerId
  await startSession(tx, components.identity, contact.id, card.bundle)
  contact.installation = moved.installation
  contact.peerId = card.peerId
  contact.addrs = card.addrs
  contact.relays = card.relays
  // Their tokens were for the old installation's mailboxes.
  delete contact.tokens
  contact.tokensDirty = true
  await components.outbox.add(tx, change, contact, { id: randomBytes(16), sentAt: Date.now() })
  return previous
}

/**
 * This identity's newer installation says it replaced this one: recorded in `tx` when the
 * statement holds and is newer. Resolves with the record, or undefined.
 */
export async function takeReplaced (tx: Transaction, state: State, identity: LocalIdentity, moved: ContentMoved): Promise<InstallationRecord | undefined> {
  checkStatement(moved, identity.identityKey, identity.userId)
  if (moved.installation <= (identity.installation ?? 1)) return undefined
  const known = await installationRecord(state).get(tx)
  if (known != null && known.replacedBy >= moved.installation) return undefined
  const record = { replacedBy: moved.installation, replacedAt: Date.now() }
  installationRecord(state).put(tx, record)
  return record
}

/** What moving in uses. */
export interface RelocationComponents {
  repos: Pick<Repositories, 'state' | 'contacts'>
  identity: LocalIdentity
  outbox: SealedOutbox
  log: Logger
  /** This installation's signed card. */
  ownCard(): Promise<Uint8Array>
  /** Joins a home relay (a new mailbox there). */
  joinRelay(addr: string): Promise<void>
  /** Leaves an envelope in a mailbox with a deposit token. */
  deposit(addr: string, mailboxId: Uint8Array, token: Uint8Array, envelope: Uint8Array): Promise<void>
}

/** A restored installation moving in: relays, then contacts, then the replaced installation. */
export class Relocation {
  constructor (private readonly components: RelocationComponents) {}

  /** Does what is left of moving in; what fails is tried again at the next start. */
  async start (): Promise<void> {
    const { repos, log } = this.components
    const records = relocationRecord(repos.state)
    const record = await records.get()
    if (record == null) return
    const failed: string[] = []
    for (const addr of record.joinRelays) {
      try {
        await this.components.joinRelay(addr)
      } catch (err) {
        log.warn('could not join a relay of the backup', { error: (err as Error).name })
        failed.push(addr)
      }
    }
    const statement = makeStatement(this.components.identity, await this.components.ownCard())
    await this.notifyContacts(statement)
    const untold = await this.notifyPrevious(record.previousMailboxes, statement)
    await repos.state.change(async tx => {
      if (failed.length === 0 && untold.length === 0) tx.del(['relocation'])
      else records.put(tx, { ...record, joinRelays: failed, previousMailboxes: untold })
    })
  }

  /** Sends the statement to every contact not yet told, through the courier. */
  private async notifyContacts (statement: ContentMoved): Promise<void> {
    const { repos, identity, outbox } = this.components
    await repos.state.change(async (tx, change) => {
      for await (const contact of repos.contacts.values(['contact'], {}, tx)) {
        if (contact.relocation !== 'notify') continue
        const id = new Uint8Array(randomBytes(16))
        const sentAt = Date.now()
        const sealed = await sealWithoutSession(identity, contact.id, contact.identityKey, encodeContent({ id, sentAt, installationMoved: statement }))
        outbox.addSealed(tx, change, contact, { id, sealed, sentAt })
        contact.relocation = 'notified'
        repos.contacts.put(tx, contact)
      }
    })
  }

  /** Leaves the statement in each of the replaced installation's mailboxes; resolves with those it could not. */
  private async notifyPrevious (mailboxes: PreviousMailbox[], statement: ContentMoved): Promise<PreviousMailbox[]> {
    const { identity, log } = this.components
    const untold: PreviousMailbox[] = []
    for (const m of mailboxes) {
      const id = new Uint8Array(randomBytes(16))
      const content = encodeContent({ id, sentAt: Date.now(), installationReplaced: statement })
      try {
        const sealed = await sealWithoutSession(identity, identity.userId, identity.identityKey, content)
        await this.components.deposit(m.addr, m.mailboxId, m.introToken, encodeEnvelope({ id, sealed }))
      } catch (err) {
        log.warn('could not tell the replaced installation at its relay', { error: (err as Error).name })
        untold.push(m)
      }
    }
    return untold
  }
}
