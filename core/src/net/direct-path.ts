// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Direct paths between two people each behind a NAT: when a contact is reached only through a
 * relay circuit, the messenger's node dials the contact's `/p2p-circuit/webrtc` address at that
 * relay. libp2p's WebRTC transport then exchanges SDP offers and ICE candidates over a short
 * relayed signalling stream, and ICE opens a UDP path between the two NATs: each side learns the
 * address its NAT shows the world from its own home relays' STUN responders (see
 * {@link stunServersOf}) and sends to the other's, which opens both NATs' mappings. What travels
 * over it (messages, files) goes directly, encrypted by DTLS, whose certificate fingerprints the
 * signalling over the Noise-encrypted circuit vouches for.
 *
 * Why not DCUtR: libp2p's DCUtR dials only public addresses, needs AutoNAT to confirm an address
 * behind NAT (it cannot), and TCP hole punching through a Linux masquerade needs the dial to leave
 * from the port the other side observed, which js-libp2p's TCP transport does not do (its dials use
 * a fresh port). UDP through ICE needs none of that (docs/ARCHITECTURE.md, Decisions).
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '../logger.js'
import type { Connection, Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** After a failed attempt, the next for the same contact waits this long (ms), doubling up to 10 min. */
const RETRY_AFTER_MS = 30_000
const MAX_RETRY_AFTER_MS = 10 * 60_000
/** Longest an attempt (signalling and ICE) may take. */
const ATTEMPT_TIMEOUT_MS = 20_000

/** True when a connection carries data directly between the two peers (not through a relay). */
export function isDirect (c: Pick<Connection, 'limits' | 'remoteAddr'>): boolean {
  if (c.limits != null) return false
  const components = c.remoteAddr.getComponents()
  // A WebRTC connection set up over a circuit keeps the circuit's address, yet its data flows directly.
  return !components.some(x => x.name === 'p2p-circuit') || components.some(x => x.name === 'webrtc')
}

/** The `/p2p-circuit/webrtc` address of `peer` behind the relay of a circuit address, if it is one. */
export function webrtcAddressOf (circuit: Multiaddr, peer: string): Multiaddr | undefined {
  const components = circuit.getComponents()
  const at = components.findIndex(c => c.name === 'p2p-circuit')
  if (at < 1 || components[at - 1]?.name !== 'p2p') return undefined
  return multiaddr(components.slice(0, at)).encapsulate(`/p2p-circuit/webrtc/p2p/${peer}`)
}

/** True when `addr` is a WebRTC address through a relay (`…/p2p-circuit/webrtc/p2p/<peer>`). */
export function isWebrtcCircuit (addr: Multiaddr): boolean {
  const names = addr.getComponents().map(c => c.name)
  const at = names.indexOf('p2p-circuit')
  return at >= 0 && names[at + 1] === 'webrtc'
}

/** What {@link DirectPaths} uses. */
export interface DirectPathsComponents {
  node: Pick<Libp2p, 'dial' | 'getConnections'>
  log: Logger
  /**
   * The ICE servers WebRTC would use. With none, no attempt is made: host candidates alone cross
   * no NAT, and a contact on the same network is dialled directly anyway.
   */
  iceServers: () => Promise<string[]>
}

/** Options of {@link DirectPaths}. */
export interface DirectPathsInit {
  /** The clock. Default `Date.now`. */
  now?: () => number
}

/** Tries to turn relayed links to contacts into direct WebRTC connections, one attempt at a time per contact. */
export class DirectPaths {
  private readonly trying = new Set<string>()
  private readonly backoff = new Map<string, { until: number, wait: number }>()
  private readonly controller = new AbortController()
  private readonly now: () => number

  constructor (private readonly components: DirectPathsComponents, init: DirectPathsInit = {}) {
    this.now = init.now ?? Date.now
  }

  /**
   * `peer` is reached through the relay circuits `via` (remote addresses of relayed connections):
   * unless a direct connection exists, an attempt is under way or a failed one is recent, dials
   * its WebRTC address behind the first of those relays. Never throws; resolves when the attempt
   * is over.
   */
  async upgrade (peer: PeerId, via: Multiaddr[]): Promise<void> {
    const id = peer.toString()
    if (this.controller.signal.aborted || this.trying.has(id)) return
    if (this.components.node.getConnections(peer).some(c => c.status === 'open' && isDirect(c))) return
    const wait = this.backoff.get(id)
    if (wait != null && this.now() < wait.until) return
    const target = via.map(a => webrtcAddressOf(a, id)).find(a => a != null)
    if (target == null) return
    this.trying.add(id)
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)])
    try {
      if ((await this.components.iceServers()).length === 0) return
      await this.components.node.dial(target, { signal })
      this.backoff.delete(id)
      this.components.log.info('direct path opened', { peer: id })
    } catch (err) {
      const next = Math.min((wait?.wait ?? RETRY_AFTER_MS / 2) * 2, MAX_RETRY_AFTER_MS)
      this.backoff.set(id, { until: this.now() + next, wait: next })
      this.components.log.info('no direct path', { peer: id, error: (err as Error).name })
    } finally {
      this.trying.delete(id)
    }
  }

  /** Cancels attempts under way; no more are made. */
  stop (): void {
    this.controller.abort()
  }
}
