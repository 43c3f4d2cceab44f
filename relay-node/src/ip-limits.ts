// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Per-IP limits js-libp2p lacks: inbound connections per IP, circuit relay reservations per IP,
 * and a cool-down for an IP whose connection was closed for sending unreadable frames, enforced
 * through the connection gater. Also ends a reservation when its peer disconnects, so that slots
 * go to peers that are there.
 */

import { sourceOf } from './ip.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Connection, ConnectionGater, Libp2p, MultiaddrConnection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Options of {@link IpLimits}. */
export interface IpLimitsInit {
  /** Most open inbound connections from one IP. */
  maxConnectionsPerIp: number
  /** Most circuit relay reservations held by peers at one IP. */
  maxReservationsPerIp: number
  /**
   * Seconds an IP may not open new connections after one of its connections was closed for
   * unreadable frames; doubled for each repeat, up to an hour. 0: no cool-down.
   */
  coolDownSeconds: number
  /** Called with a reason each time a limit refuses something. */
  onRefuse?(reason: RefusalReason): void
}

/** Why the relay's own limits refused a connection or reservation. */
export type RefusalReason = 'connections-per-ip' | 'reservations-per-ip' | 'cooling-down'

/** The longest cool-down, however often an IP offends. */
const MAX_COOL_DOWN_MS = 3_600_000
/** An IP's offences are forgotten once its cool-down has been over this long. */
const OFFENCE_MEMORY_MS = 3_600_000

interface CoolDown {
  /** Offences so far: the cool-down is the base doubled `offences - 1` times. */
  offences: number
  until: number
}

/** A reservation granted but maybe not yet recorded by the relay lives this long on its own. */
const GRANT_GRACE_MS = 60_000

interface Grant {
  peer: PeerId
  at: number
}

/** Per-IP connection and reservation caps. */
export class IpLimits {
  private node?: Libp2p
  private relay?: CircuitRelayService
  private readonly connections = new Map<string, number>()
  private readonly grants = new Map<string, Map<string, Grant>>()
  private readonly coolDowns = new Map<string, CoolDown>()

  constructor (private readonly init: IpLimitsInit) {}

  /** The connection gater to give libp2p. */
  gater (): ConnectionGater {
    return {
      denyInboundConnection: (maConn: MultiaddrConnection) => {
        const host = sourceOf(maConn.remoteAddr)
        if (this.coolingDown(host)) {
          this.init.onRefuse?.('cooling-down')
          return true
        }
        if ((this.connections.get(host) ?? 0) < this.init.maxConnectionsPerIp) return false
        this.init.onRefuse?.('connections-per-ip')
        return true
      },
      denyInboundRelayReservation: (peer: PeerId) => this.denyReservation(peer)
    }
  }

  /** Starts following the node's connections and the relay's reservations. */
  attach (node: Libp2p, relay: CircuitRelayService): void {
    this.node = node
    this.relay = relay
    node.addEventListener('connection:open', (evt) => { this.count(evt.detail, 1) })
    node.addEventListener('connection:close', (evt) => { this.count(evt.detail, -1) })
    node.addEventListener('peer:disconnect', (evt) => { this.release(evt.detail) })
  }

  /**
   * Records that `addr`'s IP sent unreadable frames until its connection was closed: new
   * connections from it are refused for the cool-down. Connections it has open stay open.
   */
  offended (addr: Multiaddr): void {
    if (this.init.coolDownSeconds === 0) return
    const host = sourceOf(addr)
    const now = Date.now()
    const previous = this.coolDowns.get(host)
    const offences = previous == null || now - previous.until > OFFENCE_MEMORY_MS ? 1 : previous.offences + 1
    const ms = Math.min(MAX_COOL_DOWN_MS, this.init.coolDownSeconds * 1000 * 2 ** Math.min(offences - 1, 20))
    this.coolDowns.set(host, { offences, until: now + ms })
  }

  /** Forgets cool-downs whose offences are no longer remembered; call now and then. */
  sweep (): void {
    const now = Date.now()
    for (const [host, c] of this.coolDowns) if (now - c.until > OFFENCE_MEMORY_MS) this.coolDowns.delete(host)
  }

  private coolingDown (host: string): boolean {
    const c = this.coolDowns.get(host)
    return c != null && Date.now() < c.until
  }

  private count (conn: Connection, delta: number): void {
    if (conn.direction !== 'inbound') return
    const host = sourceOf(conn.remoteAddr)
    const n = (this.connections.get(host) ?? 0) + delta
    if (n <= 0) this.connections.delete(host)
    else this.connections.set(host, n)
  }

  private denyReservation (peer: PeerId): boolean {
    const conn = this.node?.getConnections(peer).find(c => c.limits == null)
    if (conn == null) return true
    const host = sourceOf(conn.remoteAddr)
    const now = Date.now()
    const grants = this.grants.get(host) ?? new Map<string, Grant>()
    for (const [key, g] of grants) {
      if (this.relay?.reservations.has(g.peer) !== true && now - g.at > GRANT_GRACE_MS) grants.delete(key)
    }
    const key = peer.toString()
    if (!grants.has(key) && grants.size >= this.init.maxReservationsPerIp) {
      this.grants.set(host, grants)
      this.init.onRefuse?.('reservations-per-ip')
      return true
    }
    grants.set(key, { peer, at: now })
    this.grants.set(host, grants)
    return false
  }

  private release (peer: PeerId): void {
    const reservation = this.relay?.reservations.get(peer)
    if (reservation != null) {
      reservation.signal.clear()
      this.relay?.reservations.delete(peer)
    }
    const key = peer.toString()
    for (const [host, grants] of this.grants) {
      if (grants.delete(key) && grants.size === 0) this.grants.delete(host)
    }
  }
}
