// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Relay links: `sotto://relay/<multiaddr without its leading slash>?operator=…&contact=…&jurisdiction=…`,
 * what `sotto-relay` prints and its web page shows, so that a newcomer can add a relay by pasting
 * or scanning one thing. The operator's details are what the relay publishes in relay-info: a
 * client shows the relay-info it reads from the relay itself (authenticated by the PeerId) rather
 * than trust these. An operator of an invite-only relay may add `&code=…`, a join code.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { InvalidInputError, TooLargeError } from '../errors.js'
import { MAX_JOIN_CODE_LENGTH, MAX_RELAY_LINK_LENGTH, RELAY_LINK_PREFIX } from './constants.js'

/** What a relay link carries. */
export interface RelayLink {
  /** The relay's multiaddr, ending in /p2p/<relay PeerId>. */
  addr: string
  /** The operator's name, as the relay publishes it. */
  operator?: string
  /** How to reach the operator (a URI). */
  contact?: string
  /** ISO 3166-1 alpha-2 code of the relay's jurisdiction. */
  jurisdiction?: string
  /** A join code for an invite-only relay. */
  code?: string
}

const FIELDS = ['operator', 'contact', 'jurisdiction', 'code'] as const

/** Whether `text` looks like a relay link (it may still be malformed). */
export function isRelayLink (text: unknown): boolean {
  return typeof text === 'string' && text.trimStart().startsWith(RELAY_LINK_PREFIX)
}

/**
 * Writes a relay link.
 *
 * @throws InvalidInputError when `addr` is no relay multiaddr
 */
export function encodeRelayLink (link: RelayLink): string {
  const addr = checkRelayAddr(link.addr)
  const params = new URLSearchParams()
  for (const field of FIELDS) {
    const value = link[field]
    if (value != null && value !== '') params.set(field, value)
  }
  const query = params.toString()
  return `${RELAY_LINK_PREFIX}${addr.slice(1)}${query === '' ? '' : `?${query}`}`
}

/**
 * Reads a relay link; whitespace around it is ignored.
 *
 * @throws TooLargeError, InvalidInputError when it is malformed
 */
export function decodeRelayLink (text: string): RelayLink {
  if (typeof text !== 'string') throw new InvalidInputError('relay link: expected a string')
  if (text.length > MAX_RELAY_LINK_LENGTH) throw new TooLargeError(`relay link: longer than ${MAX_RELAY_LINK_LENGTH} characters`)
  const trimmed = text.trim()
  if (!trimmed.startsWith(RELAY_LINK_PREFIX)) throw new InvalidInputError(`relay link: does not start with ${RELAY_LINK_PREFIX}`)
  const rest = trimmed.slice(RELAY_LINK_PREFIX.length)
  const q = rest.indexOf('?')
  const path = q < 0 ? rest : rest.slice(0, q)
  let params: URLSearchParams
  try {
    params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1))
  } catch (err) {
    throw new InvalidInputError('relay link: malformed query', { cause: err })
  }
  const link: RelayLink = { addr: checkRelayAddr(`/${path}`) }
  for (const field of FIELDS) {
    const value = params.get(field)
    if (value != null && value !== '') link[field] = value
  }
  if (link.jurisdiction != null && !/^[A-Z]{2}$/.test(link.jurisdiction)) throw new InvalidInputError('relay link: jurisdiction is not an ISO 3166-1 alpha-2 code')
  if ((link.operator?.length ?? 0) > 256 || (link.contact?.length ?? 0) > 512 || (link.code?.length ?? 0) > MAX_JOIN_CODE_LENGTH) {
    throw new InvalidInputError('relay link: a field is too long')
  }
  return link
}

/**
 * The multiaddr of a relay named by a relay link or by its multiaddr.
 *
 * @throws InvalidInputError when it is neither
 */
export function relayAddrOf (text: string): string {
  return isRelayLink(text) ? decodeRelayLink(text).addr : checkRelayAddr(text.trim())
}

function checkRelayAddr (addr: string): string {
  let parsed
  try {
    parsed = multiaddr(addr)
  } catch (err) {
    throw new InvalidInputError('relay link: not a multiaddr', { cause: err })
  }
  const components = parsed.getComponents()
  if (components.at(-1)?.name !== 'p2p' || components.some(c => c.name === 'p2p-circuit')) {
    throw new InvalidInputError('relay link: the address must end in /p2p/<relay PeerId> and not be a circuit')
  }
  return parsed.toString()
}
