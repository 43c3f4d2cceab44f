// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a relay publishes about itself (operator, jurisdiction, retention, limits), read before any
 * messenger exists — so onboarding can show whose relay it is and where before the user picks it.
 */
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { InvalidInputError, RelayUnreachableError } from '../errors.js'
import { createMailboxClient } from '../mailbox/index.js'
import type { RelayInfo } from '../mailbox/index.js'
import type { AbortOptions } from '@libp2p/interface'

/** How long {@link fetchRelayInfo} waits by default. */
const FETCH_TIMEOUT_MS = 10_000

/**
 * Reads a relay's published information over `/sotto/relay-info/1.0.0`, from a throwaway libp2p
 * node with a fresh identity (so the relay learns nothing about who asks), closed afterwards.
 *
 * @param addr - the relay's multiaddr, ending in /p2p/<PeerId>
 * @throws InvalidInputError when `addr` is no relay multiaddr; RelayUnreachableError when the
 * relay cannot be reached or does not answer as a Sotto relay
 */
export async function fetchRelayInfo (addr: string, options: AbortOptions = {}): Promise<RelayInfo> {
  let relay
  try {
    relay = multiaddr(addr.trim())
  } catch (err) {
    throw new InvalidInputError('name a relay by its multiaddr, ending in /p2p/<PeerId>', { cause: err })
  }
  if (relay.getComponents().findLast(c => c.name === 'p2p') == null) {
    throw new InvalidInputError('name a relay by its multiaddr, ending in /p2p/<PeerId>')
  }
  const signal = AbortSignal.any([AbortSignal.timeout(FETCH_TIMEOUT_MS), ...(options.signal != null ? [options.signal] : [])])
  const node = await createLibp2p({
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  try {
    return await createMailboxClient(node, relay).relayInfo({ signal })
  } catch (err) {
    throw new RelayUnreachableError(`could not read the relay information at ${relay.toString()}: ${(err as Error).message}`, { cause: err })
  } finally {
    await node.stop()
  }
}
