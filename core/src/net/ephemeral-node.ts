// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Dial-only libp2p nodes with a throwaway Ed25519 key, for what a messenger does at relays that
 * must not learn its PeerId: deposits into contacts' mailboxes, and circuits to contacts through
 * their relays.
 *
 * Such a node listens nowhere and runs no ping, AutoNAT, DCUtR or mDNS. It runs identify only
 * because libp2p's circuit transport requires it; what identify tells the relay (and the contact,
 * at the end of a circuit) is this node's own: a fresh PeerId, no listen address, the client side
 * of the circuit protocol, and a fixed agent name — nothing of the messenger's node (its listen
 * and circuit addresses, its protocols). The TCP source address is the one thing shared with the
 * messenger. Its key lives in memory only, so a restart makes a new one.
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { FRAMED_STREAM_OPTIONS } from '../protocol/framing.js'
import { coalescingTcp } from './tcp.js'
import { halfWindowYamux } from './yamux.js'
import type { Libp2p } from '@libp2p/interface'

/** A dial-only node under a throwaway identity. */
export type EphemeralNode = Libp2p

/** Creates and starts a dial-only node with a fresh Ed25519 key. */
export async function createEphemeralNode (): Promise<EphemeralNode> {
  return createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    addresses: { listen: [] },
    transports: [coalescingTcp(), webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [halfWindowYamux({ streamOptions: FRAMED_STREAM_OPTIONS })],
    // One relay, and the contacts reached through it.
    connectionManager: { maxConnections: 16, dialTimeout: 10_000 },
    // libp2p's default agent names the Node version and platform; every throwaway node says the same.
    nodeInfo: { name: 'sotto', version: '1', userAgent: 'sotto' },
    services: { identify: identify() }
  })
}
