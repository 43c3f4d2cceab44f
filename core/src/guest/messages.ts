// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The messages of a guest conversation and the frames of `/sotto/guest/1.0.0`, with their checks
 * (hand-written rather than a schema library, to keep the guest page small).
 */
import { InvalidInputError } from '../errors.js'
import { fixedBase64url, fromBase64url, toBase64url } from './codec.js'
import { GUEST_LINK_ID_BYTES } from './link.js'
import { MAX_GUEST_SEALED_BYTES } from './seal.js'

/** The live protocol: one stream per message, through a circuit at the seller's relay. */
export const GUEST_PROTOCOL = '/sotto/guest/1.0.0'
/** Largest frame of {@link GUEST_PROTOCOL}. */
export const MAX_GUEST_FRAME_BYTES = 24_576
/** Longest text of a guest message. */
export const MAX_GUEST_TEXT_LENGTH = 4000

/** Who the guest is, in each of its messages: where replies go. */
export interface GuestReturn {
  /** The guest's X25519 public key. */
  key: Uint8Array
  /** The guest's mailbox id at the link's relay. */
  mailbox: Uint8Array
  /** A contact token of that mailbox, for the seller. */
  token: Uint8Array
}

/** A guest's message to the seller (inside the seal). */
export interface GuestMessage {
  id: string
  sentAt: number
  text: string
  guest: GuestReturn
}

/** Longest invite link a reply carries. */
export const MAX_GUEST_INVITE_LENGTH = 8192

/** The seller's reply to a guest (inside the seal). */
export interface GuestReply {
  id: string
  sentAt: number
  text: string
  /** The seller's one-time invite link (`sotto://…`): "Invite to Sotto". */
  invite?: string
}

/** A frame from the guest on {@link GUEST_PROTOCOL}. */
export interface GuestDelivery {
  link: Uint8Array
  token: Uint8Array
  sealed: Uint8Array
}

/** How the seller answers a delivery. */
export type GuestStatus = 'OK' | 'REVOKED' | 'BLOCKED' | 'RATE_LIMITED' | 'BAD_REQUEST'

/** The seller's answer frame. */
export interface GuestAnswer {
  status: GuestStatus
  message?: string
  retryAfter?: number
}

function object (value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value == null || Array.isArray(value)) throw new InvalidInputError(`${what}: not an object`)
  return value as Record<string, unknown>
}

function parseText (o: Record<string, unknown>, what: string): { id: string, sentAt: number, text: string } {
  if (typeof o.id !== 'string' || !/^[0-9a-f]{32}$/.test(o.id)) throw new InvalidInputError(`${what}: bad id`)
  if (typeof o.sentAt !== 'number' || !Number.isSafeInteger(o.sentAt) || o.sentAt < 0) throw new InvalidInputError(`${what}: bad sentAt`)
  if (typeof o.text !== 'string' || o.text.length === 0 || o.text.length > MAX_GUEST_TEXT_LENGTH) throw new InvalidInputError(`${what}: bad text`)
  return { id: o.id, sentAt: o.sentAt, text: o.text }
}

/** The JSON form of a guest message, to seal. */
export function guestMessageJson (m: GuestMessage): unknown {
  return { id: m.id, sentAt: m.sentAt, text: m.text, guest: { key: toBase64url(m.guest.key), mailbox: toBase64url(m.guest.mailbox), token: toBase64url(m.guest.token) } }
}

/** Checks an opened guest message. */
export function parseGuestMessage (value: unknown): GuestMessage {
  const o = object(value, 'guest message')
  const g = object(o.guest, 'guest message return')
  return {
    ...parseText(o, 'guest message'),
    guest: { key: fixedBase64url(g.key, 32, 'guest key'), mailbox: fixedBase64url(g.mailbox, 32, 'guest mailbox'), token: fixedBase64url(g.token, 32, 'guest token') }
  }
}

/** Checks an opened reply. */
export function parseGuestReply (value: unknown): GuestReply {
  const o = object(value, 'guest reply')
  const reply: GuestReply = parseText(o, 'guest reply')
  if (o.invite !== undefined) {
    if (typeof o.invite !== 'string' || !o.invite.startsWith('sotto://') || o.invite.length > MAX_GUEST_INVITE_LENGTH) throw new InvalidInputError('guest reply: bad invite')
    reply.invite = o.invite
  }
  return reply
}

function json (value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value))
}

function parseJson (bytes: Uint8Array, what: string): Record<string, unknown> {
  try {
    return object(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), what)
  } catch (err) {
    if (err instanceof InvalidInputError) throw err
    throw new InvalidInputError(`${what}: not JSON`)
  }
}

/** Encodes a delivery frame. */
export function encodeGuestDelivery (d: GuestDelivery): Uint8Array {
  return json({ link: toBase64url(d.link), token: toBase64url(d.token), sealed: toBase64url(d.sealed) })
}

/** Decodes a delivery frame. */
export function parseGuestDelivery (bytes: Uint8Array): GuestDelivery {
  const o = parseJson(bytes, 'guest delivery')
  if (typeof o.sealed !== 'string') throw new InvalidInputError('guest delivery: no sealed message')
  const sealed = fromBase64url(o.sealed, 'guest delivery sealed')
  if (sealed.byteLength > MAX_GUEST_SEALED_BYTES) throw new InvalidInputError('guest delivery: sealed message too large')
  return { link: fixedBase64url(o.link, GUEST_LINK_ID_BYTES, 'guest delivery link'), token: fixedBase64url(o.token, 32, 'guest delivery token'), sealed }
}

const STATUSES: readonly GuestStatus[] = ['OK', 'REVOKED', 'BLOCKED', 'RATE_LIMITED', 'BAD_REQUEST']

/** Encodes an answer frame. */
export function encodeGuestAnswer (a: GuestAnswer): Uint8Array {
  return json(a)
}

/** Decodes an answer frame. */
export function parseGuestAnswer (bytes: Uint8Array): GuestAnswer {
  const o = parseJson(bytes, 'guest answer')
  if (typeof o.status !== 'string' || !STATUSES.includes(o.status as GuestStatus)) throw new InvalidInputError('guest answer: bad status')
  return {
    status: o.status as GuestStatus,
    ...(typeof o.message === 'string' ? { message: o.message.slice(0, 256) } : {}),
    ...(typeof o.retryAfter === 'number' && o.retryAfter >= 0 ? { retryAfter: o.retryAfter } : {})
  }
}
