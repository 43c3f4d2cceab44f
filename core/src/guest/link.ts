// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The guest link: a page at the seller's relay, with everything the page needs in the URL fragment
 * (docs/PROTOCOL.md, "Guest links").
 */
import { InvalidInputError, TooLargeError } from '../errors.js'
import { fixedBase64url, fromBase64url, toBase64url } from './codec.js'

/** Longest guest link, resume part included. */
export const MAX_GUEST_LINK_LENGTH = 2048
/** Longest label of a guest link. */
export const MAX_GUEST_LABEL_LENGTH = 64
/** Bytes of a link id. */
export const GUEST_LINK_ID_BYTES = 16
/** Bytes of the resume secret: X25519 private ‖ X25519 public ‖ Ed25519 seed ‖ reply token. */
export const GUEST_RESUME_BYTES = 128

/** What a guest link carries. */
export interface GuestLink {
  /** The page, without fragment: `<relay web>/g`. */
  page: string
  /** The seller's PeerId. */
  seller: string
  /** The relay's WebSocket multiaddr, ending in /p2p/<relay PeerId>. */
  relay: string
  /** The link's X25519 public key: messages are sealed to it. */
  key: Uint8Array
  /** The id of the link's mailbox at the relay. */
  mailbox: Uint8Array
  /** The link's deposit token. */
  token: Uint8Array
  /** The link id (16 bytes). */
  id: Uint8Array
  /** The seller's label for the link. */
  label: string
  /** In a resume link only: the guest's own secrets ({@link GUEST_RESUME_BYTES} bytes). */
  resume?: Uint8Array
}

/** Writes a guest link. */
export function encodeGuestLink (link: GuestLink): string {
  const fragment = new URLSearchParams({
    v: '1',
    s: link.seller,
    r: link.relay,
    k: toBase64url(link.key),
    m: toBase64url(link.mailbox),
    t: toBase64url(link.token),
    i: toBase64url(link.id),
    n: link.label
  })
  if (link.resume != null) fragment.set('g', toBase64url(link.resume))
  const text = `${link.page}#${fragment.toString()}`
  if (text.length > MAX_GUEST_LINK_LENGTH) throw new TooLargeError(`a guest link is at most ${MAX_GUEST_LINK_LENGTH} characters`)
  return text
}

/** Reads a guest link (or a resume link); throws InvalidInputError for anything malformed. */
export function decodeGuestLink (text: string): GuestLink {
  if (text.length > MAX_GUEST_LINK_LENGTH) throw new TooLargeError(`a guest link is at most ${MAX_GUEST_LINK_LENGTH} characters`)
  const hash = text.indexOf('#')
  if (hash < 0 || text.indexOf('#', hash + 1) >= 0) throw new InvalidInputError('a guest link has exactly one #')
  const page = text.slice(0, hash)
  const f = new URLSearchParams(text.slice(hash + 1))
  if (f.get('v') !== '1') throw new InvalidInputError('unknown guest link version')
  const seller = f.get('s') ?? ''
  if (!/^[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(seller)) throw new InvalidInputError('guest link: bad seller PeerId')
  const relay = f.get('r') ?? ''
  if (!/^\/.+\/(ws|wss|tls\/ws)\/p2p\/[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(relay)) throw new InvalidInputError('guest link: the relay must be a WebSocket multiaddr with its PeerId')
  const label = f.get('n') ?? ''
  if (label.length > MAX_GUEST_LABEL_LENGTH) throw new InvalidInputError('guest link: label too long')
  const g = f.get('g')
  const resume = g != null ? fromBase64url(g, 'guest link resume part') : undefined
  if (resume != null && resume.byteLength !== GUEST_RESUME_BYTES) throw new InvalidInputError('guest link: bad resume part')
  return {
    page,
    seller,
    relay,
    key: fixedBase64url(f.get('k'), 32, 'guest link key'),
    mailbox: fixedBase64url(f.get('m'), 32, 'guest link mailbox'),
    token: fixedBase64url(f.get('t'), 32, 'guest link token'),
    id: fixedBase64url(f.get('i'), GUEST_LINK_ID_BYTES, 'guest link id'),
    label,
    ...(resume != null ? { resume } : {})
  }
}
