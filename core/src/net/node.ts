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
import { isLinkLocal, isPrivate } from '@libp2p/utils'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { FRAMED_STREAM_OPTIONS } from '../protocol/framing.js'
import { isWebrtcCircuit } from './direct-path.js'
import { createHiddenNode } from './hidden-node.js'
import { reportInternals } from './internals.js'
import { coalescingTcp } from './tcp.js'
import { halfWindowYamux } from './yamux.js'
import type { Logger } from '../logger.js'
import type { Libp2p, PeerDiscovery, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export { listenOn } from './internals.js'
export { hiddenGater } from './hidden-node.js'

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
   * STUN/TURN URLs for WebRTC, read at each WebRTC connection: the messenger gives its own home
   * relays' STUN responders (see `stunServersOf`) and whatever the user configured. Never a public
   * default: public STUN servers would learn every user's address.
   */
  iceServers: string[] | (() => Promise<string[]>)
  /**
   * Where to warn when a reach into libp2p internals no longer engages (see `internals.ts`).
   * Default: a process warning.
   */
  log?: Logger
  /**
   * Which peers may be dialled at private or loopback addresses (see {@link dialGater}). Without
   * it, only peers found by mDNS may.
   */
  dialRules?: DialRules
  /**
   * Hide the user's IP address from everyone but their own relays: no direct listener (the node
   * is reached only through circuits at its home relays, the only addresses it announces), no
   * WebRTC, DCUtR, AutoNAT or mDNS, and no outgoing connection to anyone but a home relay.
   */
  hideIp?: { isHomeRelay(peer: string): boolean }
}

/** What the connection gater asks the messenger about a peer it is about to dial. */
export interface DialRules {
  /**
   * True when `peer` (a PeerId, as text) may be dialled at a private, loopback or link-local
   * address, or at a host name: the user's own relays and accepted contacts. A stranger's card
   * must not point the app at a machine inside the user's network.
   */
  mayDialPrivate(peer: string): boolean | Promise<boolean>
}

/**
 * The messenger node's connection gater, for outgoing dials:
 * - no circuit address: circuits to contacts go from a throwaway node (see `RelayClients`), so
 *   that a contact's relay never sees the messenger's PeerId asking for the contact — except a
 *   contact's `/p2p-circuit/webrtc` address, whose circuit only carries the signalling of a direct
 *   WebRTC path (see `direct-path.ts`), for peers `rules` allow;
 * - a private, loopback or link-local address, or a host name, only for peers found by mDNS on
 *   the local network and those `rules` allow; public IP addresses for anyone.
 */
export function dialGater (rules: DialRules | undefined, foundByMdns: ReadonlySet<string>): { denyDialMultiaddr(ma: Multiaddr): Promise<boolean> } {
  return {
    denyDialMultiaddr: async (ma: Multiaddr): Promise<boolean> => {
      const components = ma.getComponents()
      const peer = components.findLast(c => c.name === 'p2p')?.value
      if (isWebrtcCircuit(ma)) return peer == null || !(await rules?.mayDialPrivate(peer) ?? false)
      if (components.some(c => c.name === 'p2p-circuit')) return true
      const host = components[0]
      const isIp = host?.name === 'ip4' || host?.name === 'ip6'
      if (isIp && !isPrivate(ma) && !isLinkLocal(ma)) return false
      if (peer == null) return true
      if (foundByMdns.has(peer)) return false
      return !(await rules?.mayDialPrivate(peer) ?? false)
    }
  }
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
  if (options.hideIp != null) return createHiddenNode(options, options.hideIp)
  const servers = options.iceServers
  const rtcConfiguration = async (): Promise<{ iceServers: Array<{ urls: string }> }> => ({
    iceServers: (typeof servers === 'function' ? await servers() : servers).map(urls => ({ urls }))
  })
  const foundByMdns = new Set<string>()
  const peerDiscovery = options.mdns ? [withFoundPeers(mdns({ serviceTag: 'sotto.local' }), foundByMdns)] : []
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
    connectionGater: dialGater(options.dialRules, foundByMdns),
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

/**
 * Wraps a peer discovery factory so that the PeerIds it finds are added to `found`. (The node's
 * own `peer:discovery` event will not do: libp2p raises it for every peer new to its peer store,
 * a stranger's card included.)
 */
function withFoundPeers<C> (factory: (components: C) => PeerDiscovery, found: Set<string>): (components: C) => PeerDiscovery {
  return (components: C) => {
    const discovery = factory(components)
    discovery.addEventListener('peer', (evt) => { found.add(evt.detail.id.toString()) })
    return discovery
  }
}

/** The circuit address of `peer` through `relay` (a multiaddr ending in /p2p/<relay PeerId>). */
export function circuitAddress (relay: string, peer: string): Multiaddr {
  return multiaddr(`${relay}/p2p-circuit/p2p/${peer}`)
}

/** True when `addr` is a relayed address through the relay with PeerId `relayPeer`. */
export function isCircuitThrough (addr: Multiaddr, relayPeer: string): boolean {
  return addr.toString().includes(`/p2p/${relayPeer}/p2p-circuit`)
}
