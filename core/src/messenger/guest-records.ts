// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the messenger keeps of guest links and guest conversations, apart from contacts: records in
 * spaces of their own (`guest-link`, `guest-conv`, `guest-msg`), checked by schema when read back.
 */
import { z } from 'zod'
import { InvalidInputError } from '../errors.js'
import type { Store } from '../storage/index.js'
import type { Message } from './types.js'

/** The honest label every guest conversation carries. */
export const GUEST_NOTICE = 'guest: encrypted, no forward secrecy, the relay sees the guest\'s IP'

const b64 = z.string().regex(/^[A-Za-z0-9_-]+$/)

const linkSchema = z.object({
  id: z.string(),
  label: z.string(),
  relay: z.string(),
  relayWs: z.string(),
  page: z.string(),
  link: z.string(),
  publicKey: b64,
  privateKey: b64,
  mailboxKey: b64,
  token: b64,
  maxConversations: z.number().int().positive(),
  messagesPerHour: z.number().int().positive(),
  createdAt: z.number(),
  revokedAt: z.number().optional()
})
/** A guest link as stored (its keys included: the store is encrypted). */
export type GuestLinkRecord = z.infer<typeof linkSchema>

const conversationSchema = z.object({
  id: z.string(),
  linkId: z.string(),
  guestKey: b64,
  mailbox: b64,
  token: b64,
  blocked: z.boolean(),
  createdAt: z.number(),
  lastAt: z.number(),
  recent: z.array(z.number()),
  seq: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
  /** The open "Invite to Sotto": its one-time tag (in the invite card) and when it was made. */
  invite: z.object({ tag: b64, at: z.number() }).optional(),
  /** The contact this guest became (the invitation was used): the conversation is closed. */
  movedTo: z.string().optional()
})
/** A conversation with one guest of one link. */
export type GuestConversationRecord = z.infer<typeof conversationSchema>

const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['in', 'out']),
  text: z.string(),
  sentAt: z.number(),
  storedAt: z.number(),
  state: z.enum(['sent', 'delivered', 'failed']),
  seq: z.number().int().nonnegative()
})
/** One message of a guest conversation. */
export type GuestMessageRecord = z.infer<typeof messageSchema>

/** A guest link as shown to its owner. */
export interface GuestLinkView {
  /** The link id (base64url). */
  id: string
  label: string
  /** The link to post. */
  link: string
  maxConversations: number
  messagesPerHour: number
  createdAt: number
  revoked: boolean
}

/** A guest conversation as shown: apart from contacts, with {@link GUEST_NOTICE}. */
export interface GuestConversation {
  /** The conversation id (`guest-…`): `send` takes it. */
  id: string
  /** The guest link it came by, and that link's label. */
  linkId: string
  label: string
  blocked: boolean
  createdAt: number
  lastAt: number
  unread: number
  /** Always {@link GUEST_NOTICE}. */
  notice: string
  /** An invitation to Sotto waits for this guest. */
  invited: boolean
  /** The contact this guest became: the conversation is closed ("moved to a contact"). */
  movedTo?: string
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function put<T> (value: T): Uint8Array { return encoder.encode(JSON.stringify(value)) }

/** Reads a stored guest conversation (throws when malformed). */
export function parseGuestConversation (bytes: Uint8Array): GuestConversationRecord {
  return parse(conversationSchema, bytes, 'guest conversation') as GuestConversationRecord
}

/** Encodes a guest conversation to store. */
export function encodeGuestConversation (c: GuestConversationRecord): Uint8Array { return put(c) }

function parse<T> (schema: z.ZodType<T>, bytes: Uint8Array | undefined, what: string): T | undefined {
  if (bytes == null) return undefined
  const result = schema.safeParse(JSON.parse(decoder.decode(bytes)))
  if (!result.success) throw new InvalidInputError(`stored ${what} is malformed`)
  return result.data
}

/** Reads and writes the guest records of one store. */
export class GuestRecords {
  constructor (private readonly store: Store) {}

  async link (id: string): Promise<GuestLinkRecord | undefined> { return parse(linkSchema, await this.store.get(['guest-link', id]), 'guest link') }
  async putLink (r: GuestLinkRecord): Promise<void> { await this.store.put(['guest-link', r.id], put(r)) }
  async links (): Promise<GuestLinkRecord[]> {
    const out: GuestLinkRecord[] = []
    for await (const v of this.store.values(['guest-link'])) out.push(parse(linkSchema, v, 'guest link') as GuestLinkRecord)
    return out.sort((a, b) => a.createdAt - b.createdAt)
  }

  async conversation (id: string): Promise<GuestConversationRecord | undefined> { return parse(conversationSchema, await this.store.get(['guest-conv', id]), 'guest conversation') }
  async conversations (): Promise<GuestConversationRecord[]> {
    const out: GuestConversationRecord[] = []
    for await (const v of this.store.values(['guest-conv'])) out.push(parse(conversationSchema, v, 'guest conversation') as GuestConversationRecord)
    return out.sort((a, b) => b.lastAt - a.lastAt)
  }

  /** Stores a message and its conversation's new state in one synced write. */
  async putMessage (c: GuestConversationRecord, m: GuestMessageRecord): Promise<void> {
    const tx = this.store.transaction()
    tx.put(['guest-conv', c.id], put(c))
    tx.put(['guest-msg', c.id, m.seq], put(m))
    tx.put(['guest-msg-id', m.id], put({ conversationId: c.id, seq: m.seq }))
    await tx.commit()
  }

  async putConversation (c: GuestConversationRecord): Promise<void> { await this.store.put(['guest-conv', c.id], put(c)) }

  /** Whether a message id is already stored (a deposit read twice, or live and offline both). */
  async has (messageId: string): Promise<boolean> { return await this.store.get(['guest-msg-id', messageId]) != null }

  async messages (conversationId: string): Promise<GuestMessageRecord[]> {
    const out: GuestMessageRecord[] = []
    for await (const v of this.store.values(['guest-msg', conversationId])) out.push(parse(messageSchema, v, 'guest message') as GuestMessageRecord)
    return out
  }
}

/** The public view of a guest message: a {@link Message} with `guest: true`. */
export function toGuestMessage (m: GuestMessageRecord): Message {
  return { id: m.id, contactId: m.conversationId, direction: m.direction, text: m.text, sentAt: m.sentAt, storedAt: m.storedAt, state: m.state, guest: true }
}

/** The public view of a guest link. */
export function toLinkView (r: GuestLinkRecord): GuestLinkView {
  return { id: r.id, label: r.label, link: r.link, maxConversations: r.maxConversations, messagesPerHour: r.messagesPerHour, createdAt: r.createdAt, revoked: r.revokedAt != null }
}

/** The public view of a guest conversation. */
export function toConversationView (c: GuestConversationRecord, label: string): GuestConversation {
  return {
    id: c.id, linkId: c.linkId, label, blocked: c.blocked, createdAt: c.createdAt, lastAt: c.lastAt, unread: c.unread, notice: GUEST_NOTICE,
    invited: c.invite != null, ...(c.movedTo != null ? { movedTo: c.movedTo } : {})
  }
}
