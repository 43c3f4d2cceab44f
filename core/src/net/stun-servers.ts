// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The ICE servers a messenger gives WebRTC: the STUN responders of its own home relays, and no
 * one else's. A STUN server learns the address it is asked from; one's own relay knows it already
 * (every connection to it shows it), so asking it tells nobody anything new, where a public STUN
 * server would learn every user's address.
 */
import { multiaddr } from '@multiformats/multiaddr'

/** A relay as far as its STUN responder goes: how it is reached, and the port it published. */
export interface StunRelay {
  /** The relay's multiaddr as the user reaches it. */
  addr: string
  /** Its relay-info, with the UDP port of its STUN responder if it runs one. */
  info?: { stunPort?: number }
}

/** `stun:` URLs for the relays that run a responder, at the host each is reached at. */
export function stunServersOf (relays: Iterable<StunRelay>): string[] {
  const urls = new Set<string>()
  for (const relay of relays) {
    const port = relay.info?.stunPort
    if (port == null) continue
    let host
    try {
      host = multiaddr(relay.addr).getComponents()[0]
    } catch {
      continue
    }
    if (host?.value == null) continue
    if (host.name === 'ip4' || host.name === 'dns4' || host.name === 'dns') urls.add(`stun:${host.value}:${port}`)
    if (host.name === 'ip6') urls.add(`stun:[${host.value}]:${port}`)
  }
  return [...urls]
}
