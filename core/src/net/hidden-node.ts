// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The messenger's node when the user hides their IP address: reached only through circuits at its
 * home relays, which are the only addresses it listens on and announces (invite cards included);
 * no direct listener, no WebRTC, no DCUtR upgrade, no AutoNAT, no mDNS; and a connection gater that
 * lets it connect out to its home relays only. Contacts reach it through its relays; what it sends
 * to others' relays is forwarded by its own (`/sotto/forward/1.0.0`).
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { FRAMED_STREAM_OPTIONS } from '../protocol/framing.js'
import { reportInternals } from './internals.js'
import { coalescingTcp } from './tcp.js'
import { halfWindowYamux } from './yamux.js'
import type { DialRules, MessengerNode, NodeOptions } from './node.js'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** True for a circuit address: the only kind a hidden node announces. */
function isCircuit (ma: Multiaddr): boolean {
  return ma.getComponents().some(c => c.name === 'p2p-circuit')
}

/**
 * The gater of a hidden node: no outgoing connection to any peer but a home relay, and none to a
 * circuit address; a home relay at a private or loopback address only as `rules` allow (they allow
 * home relays). Incoming connections come through the home relays' circuits only, since the node
 * listens nowhere else.
 */
export function hiddenGater (isHomeRelay: (peer: string) => boolean, rules?: DialRules): { denyDialPeer(peer: PeerId): boolean, denyDialMultiaddr(ma: Multiaddr): Promise<boolean> } {
  return {
    denyDialPeer: (peer: PeerId): boolean => !isHomeRelay(peer.toString()),
    denyDialMultiaddr: async (ma: Multiaddr): Promise<boolean> => {
      if (isCircuit(ma)) return true
      const peer = ma.getComponents().findLast(c => c.name === 'p2p')?.value
      if (peer == null || !isHomeRelay(peer)) return true
      return !(await rules?.mayDialPrivate(peer) ?? true)
    }
  }
}

/** Creates and starts a hidden node (see the module's description). */
export async function createHiddenNode (options: NodeOptions, hide: { isHomeRelay(peer: string): boolean }): Promise<MessengerNode> {
  const node = await createLibp2p({
    privateKey: options.privateKey,
    // Circuit listeners are added for each home relay (a reservation) once it is reached.
    addresses: { listen: [], announceFilter: addrs => addrs.filter(isCircuit) },
    transports: [coalescingTcp(), webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [halfWindowYamux({ streamOptions: FRAMED_STREAM_OPTIONS })],
    connectionGater: hiddenGater(hide.isHomeRelay, options.dialRules),
    connectionManager: { maxConnections: 128, maxIncomingPendingConnections: 16, inboundConnectionThreshold: 20, dialTimeout: 10_000 },
    services: { identify: identify(), identifyPush: identifyPush(), ping: ping() }
  })
  const warn = options.log != null ? options.log.warn.bind(options.log) : (message: string) => { process.emitWarning(message, 'SottoInternalsWarning') }
  await reportInternals(node, warn)
  // The services it lacks (DCUtR, AutoNAT) are used by no code of Sotto's, only run by libp2p.
  return node as unknown as MessengerNode
}
