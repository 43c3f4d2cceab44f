// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The quarantine: envelopes that came from a relay under a contact's changed identity key, held in
 * the encrypted store until the user decides. Accepting the change opens them, in the order they
 * came (each shown once: the inbox's replay guard holds); blocking the contact drops them. Holding
 * them lets the app take every envelope off its relay at once: one left there would take a place of
 * the mailbox's quota until it expired (an impostor once kept a mailbox full that way).
 *
 * Small and capped: per contact and in all, by count and bytes; past a cap the oldest go first.
 *
 * Keys: `['held-index']` → the index (every held envelope's place, contact, id and size, oldest
 * first: one small record, read and written whole); `['held', seq]` → one {@link HeldEnvelope}.
 */
import { z } from 'zod'
import { Repository, Singleton } from './state.js'
import type { Key, StoreReader, Transaction } from '../storage/types.js'
import type { State } from './state.js'

/** One envelope held for a contact. */
export interface HeldEnvelope {
  /** Its place in the quarantine: arrival order. */
  seq: number
  contactId: string
  /** The envelope id, hex. */
  envelopeId: string
  /** The envelope as it came. */
  envelope: Uint8Array
  /** The identity key its sender certificate named. */
  identityKey: Uint8Array
  /** When it was held (ms since epoch). */
  heldAt: number
}

/** One line of the index. */
interface IndexEntry {
  seq: number
  contactId: string
  envelopeId: string
  bytes: number
}

/** Every held envelope, oldest first. */
interface QuarantineIndex {
  nextSeq: number
  entries: IndexEntry[]
}

const indexSchema: z.ZodType<QuarantineIndex> = z.looseObject({
  nextSeq: z.number().int().nonnegative(),
  entries: z.array(z.looseObject({ seq: z.number().int().nonnegative(), contactId: z.string(), envelopeId: z.string(), bytes: z.number().int().nonnegative() }))
})

const heldSchema: z.ZodType<HeldEnvelope> = z.looseObject({
  seq: z.number().int().nonnegative(),
  contactId: z.string(),
  envelopeId: z.string(),
  envelope: z.instanceof(Uint8Array),
  identityKey: z.instanceof(Uint8Array),
  heldAt: z.number()
})

const INDEX_KEY: Key = ['held-index']
const heldKey = (seq: number): Key => ['held', seq]

/** Options of the quarantine. */
export interface QuarantineInit {
  /** Most envelopes held per contact (default 32). */
  maxPerContact?: number
  /** Most bytes held per contact (default 1 MiB). */
  maxBytesPerContact?: number
  /** Most envelopes held in all (default 256). */
  maxEnvelopes?: number
  /** Most bytes held in all (default 8 MiB). */
  maxBytes?: number
}

/** What holding one envelope came to. */
export interface Held {
  /** False when the same envelope was held already (a second relay's copy). */
  held: boolean
  /** Older envelopes dropped to stay within the caps. */
  dropped: number
}

/** Makes a quarantine over the messenger's state. */
export function createQuarantine (state: State, init: QuarantineInit = {}): Quarantine {
  return new Quarantine(state, init)
}

/** Envelopes held for changed identities. Every write goes in the caller's transaction, under the state lock. */
export class Quarantine {
  private readonly index: Singleton<QuarantineIndex>
  private readonly held: Repository<HeldEnvelope, number>
  private readonly caps: Required<QuarantineInit>

  constructor (private readonly state: State, init: QuarantineInit = {}) {
    this.index = new Singleton(state, indexSchema, INDEX_KEY, 'quarantine index')
    this.held = new Repository(state, heldSchema, heldKey, h => h.seq, 'held envelope')
    this.caps = {
      maxPerContact: init.maxPerContact ?? 32,
      maxBytesPerContact: init.maxBytesPerContact ?? 1024 * 1024,
      maxEnvelopes: init.maxEnvelopes ?? 256,
      maxBytes: init.maxBytes ?? 8 * 1024 * 1024
    }
  }

  /** Holds `envelope` for `contactId` in `tx`, dropping the oldest held beyond the caps. */
  async hold (tx: Transaction, envelope: Omit<HeldEnvelope, 'seq' | 'heldAt'>, now = Date.now()): Promise<Held> {
    const index = await this.readIndex(tx)
    if (index.entries.some(e => e.envelopeId === envelope.envelopeId && e.contactId === envelope.contactId)) return { held: false, dropped: 0 }
    const seq = index.nextSeq
    index.nextSeq += 1
    index.entries.push({ seq, contactId: envelope.contactId, envelopeId: envelope.envelopeId, bytes: envelope.envelope.byteLength })
    this.held.put(tx, { ...envelope, seq, heldAt: now })
    const over = this.overCaps(index.entries, envelope.contactId)
    for (const seq of over) this.held.del(tx, seq)
    index.entries = index.entries.filter(e => !over.has(e.seq))
    this.index.put(tx, index)
    return { held: !over.has(seq), dropped: over.size }
  }

  /** How many envelopes are held for `contactId`. */
  async count (contactId: string, reader?: StoreReader): Promise<number> {
    return (await this.readIndex(reader)).entries.filter(e => e.contactId === contactId).length
  }

  /** The envelopes held for `contactId`, oldest first. */
  async heldFor (contactId: string, reader?: StoreReader): Promise<HeldEnvelope[]> {
    const out: HeldEnvelope[] = []
    for (const e of (await this.readIndex(reader)).entries) {
      if (e.contactId !== contactId) continue
      const held = await this.held.get(e.seq, reader)
      if (held != null) out.push(held)
    }
    return out
  }

  /** The contacts that have envelopes held. */
  async contacts (reader?: StoreReader): Promise<string[]> {
    return [...new Set((await this.readIndex(reader)).entries.map(e => e.contactId))]
  }

  /** Drops, in `tx`, what is held for `contactId` (all of it, or only the envelopes `seqs`); resolves with how many. */
  async drop (tx: Transaction, contactId: string, seqs?: number[]): Promise<number> {
    const index = await this.readIndex(tx)
    const gone = index.entries.filter(e => e.contactId === contactId && (seqs == null || seqs.includes(e.seq)))
    if (gone.length === 0) return 0
    for (const e of gone) this.held.del(tx, e.seq)
    index.entries = index.entries.filter(e => !gone.includes(e))
    this.index.put(tx, index)
    return gone.length
  }

  /**
   * Opens what is held for `contactId` with `receive`, oldest first, each dropped from the quarantine
   * once `receive` resolved (a crash between the two opens it again: the inbox answers DUPLICATE).
   * Resolves with how many were opened.
   */
  async release (contactId: string, receive: (envelope: Uint8Array) => Promise<unknown>): Promise<number> {
    const held = await this.heldFor(contactId)
    for (const h of held) {
      await receive(h.envelope)
      await this.state.change(async (tx, control) => {
        if (await this.drop(tx, contactId, [h.seq]) === 0) control.discard()
      })
    }
    return held.length
  }

  private async readIndex (reader?: StoreReader): Promise<QuarantineIndex> {
    return await this.index.get(reader) ?? { nextSeq: 0, entries: [] }
  }

  /** The places to drop, oldest first, so that `contactId`'s share and the whole fit their caps. */
  private overCaps (entries: IndexEntry[], contactId: string): Set<number> {
    const over = new Set<number>()
    const mine = entries.filter(e => e.contactId === contactId)
    let count = mine.length
    let bytes = mine.reduce((n, e) => n + e.bytes, 0)
    for (const e of mine) {
      if (count <= this.caps.maxPerContact && bytes <= this.caps.maxBytesPerContact) break
      over.add(e.seq)
      count -= 1
      bytes -= e.bytes
    }
    let total = entries.length - over.size
    let totalBytes = entries.reduce((n, e) => n + (over.has(e.seq) ? 0 : e.bytes), 0)
    for (const e of entries) {
      if (total <= this.caps.maxEnvelopes && totalBytes <= this.caps.maxBytes) break
      if (over.has(e.seq)) continue
      over.add(e.seq)
      total -= 1
      totalBytes -= e.bytes
    }
    return over
  }
}
