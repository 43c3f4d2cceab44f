// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The libp2p node a messenger runs: its transports, encryption, multiplexing, services and limits.
 */
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { identify, identifyPush } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { FRAMED_STREAM_OPTIONS } from '../protocol/framing.js'
import { reportInternals } from './internals.js'
import { coalescingTcp } from './tcp.js'
import { halfWindowYamux } from './yamux.js'
import type { Logger } from '../logger.js'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export { listenOn } from './internals.js'

/** Listen addresses used when none are given: TCP and WebSockets on every interface, any port. */
export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/tcp/0/ws']

/** Options for {@link createNode}. */
export interface NodeOptions {
  /** The node's identity key (Ed25519); its PeerId is the messenger's PeerId. */
  privateKey: PrivateKey
  /** Multiaddrs to listen on. */
  listen: string[]
  /** Discover peers on the local network with mDNS. */
  mdns: boolean
  /**
   * STUN/TURN URLs for WebRTC. Empty by default: public STUN servers would learn every user's
   * address, so none is contacted unless the user configures one.
   */
  iceServers: string[]
  /**
   * Where to warn when a reach into libp2p internals no longer engages (see `internals.ts`).
   * Default: a process warning.
   */
  log?: Logger
}

/** The services a messenger node runs. */
export type NodeServices = {
  identify: ReturnType<ReturnType<typeof identify>>
  identifyPush: ReturnType<ReturnType<typeof identifyPush>>
  ping: ReturnType<ReturnType<typeof ping>>
  dcutr: ReturnType<ReturnType<typeof dcutr>>
  autoNAT: ReturnType<ReturnType<typeof autoNAT>>
}

/** A messenger's libp2p node. */
export type MessengerNode = Libp2p<NodeServices>

/**
 * Creates and starts the node. Limits are set for a personal messenger: a few dozen contacts,
 * each with at most a couple of connections, and relays.
 */
export async function createNode (options: NodeOptions): Promise<MessengerNode> {
  const rtcConfiguration = { iceServers: options.iceServers.map(urls => ({ urls })) }
  const peerDiscovery = options.mdns ? [mdns({ serviceTag: 'sotto.local' })] : []
  const node = await createLibp2p({
    privateKey: options.privateKey,
    addresses: { listen: options.listen },
    transports: [
      coalescingTcp(),
      webSockets(),
      webRTC({ rtcConfiguration }),
      webRTCDirect({ rtcConfiguration }),
      circuitRelayTransport()
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [halfWindowYamux({ streamOptions: FRAMED_STREAM_OPTIONS })],
    peerDiscovery,
    connectionManager: {
      maxConnections: 128,
      maxIncomingPendingConnections: 16,
      // Contacts on one LAN or behind one NAT share an address: allow a burst of them.
      inboundConnectionThreshold: 20,
      dialTimeout: 10_000
    },
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      dcutr: dcutr(),
      autoNAT: autoNAT()
    }
  })
  const warn = options.log != null ? options.log.warn.bind(options.log) : (message: string) => { process.emitWarning(message, 'SottoInternalsWarning') }
  await reportInternals(node, warn)
  return node
}

/** The circuit address of `peer` through `relay` (a multiaddr ending in /p2p/<relay PeerId>). */
export function circuitAddress (relay: string, peer: string): Multiaddr {
  return multiaddr(`${relay}/p2p-circuit/p2p/${peer}`)
}

/** True when `addr` is a relayed address through the relay with PeerId `relayPeer`. */
export function isCircuitThrough (addr: Multiaddr, relayPeer: string): boolean {
  return addr.toString().includes(`/p2p/${relayPeer}/p2p-circuit`)
}
