// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Peers: which contact each connected peer is, and how each contact is reachable now (direct,
 * through a relay, offline). A contact that connects is handed to the courier at once.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Events } from './context.js'
import type { ContactRecord } from './records.js'
import type { Presence } from './types.js'
import { isDirect } from '../net/direct-path.js'
import type { Logger } from '../logger.js'
import type { DirectPaths } from '../net/direct-path.js'
import type { MessengerNode } from '../net/node.js'
import type { RelayClients } from './relay-clients.js'
import type { Connection } from '@libp2p/interface'

/** What the peers component uses. */
export interface PeersComponents {
  node: Pick<MessengerNode, 'addEventListener' | 'removeEventListener' | 'getConnections' | 'peerStore'>
  events: Events
  log: Logger
  /** Told when a contact's peer connected. */
  courier: { peerConnected(contactId: string): void }
  /** Connections to a peer from the throwaway nodes that reach contacts through their relays. */
  clients: Pick<RelayClients, 'connectionsTo'>
  /** Told when a contact is reached only through relays, with the circuits' addresses. */
  direct?: Pick<DirectPaths, 'upgrade' | 'stop'>
}

/** Contacts' peers and their presence. */
export class Peers {
  private readonly byPeer = new Map<string, string>()
  private readonly presence = new Map<string, Presence>()
  private readonly onConnection = (evt: CustomEvent<Connection>): void => { this.update(evt.detail.remotePeer.toString()) }

  constructor (private readonly components: PeersComponents) {}

  /** Follows connections opening and closing. */
  start (): void {
    this.components.node.addEventListener('connection:open', this.onConnection)
    this.components.node.addEventListener('connection:close', this.onConnection)
  }

  /** Stops following connections. */
  stop (): void {
    this.components.direct?.stop()
    this.components.node.removeEventListener('connection:open', this.onConnection)
    this.components.node.removeEventListener('connection:close', this.onConnection)
  }

  /** How a contact is reachable now. */
  presenceOf (contactId: string): Presence {
    return this.presence.get(contactId) ?? 'offline'
  }

  /** A contact (new or known): connections of its peer change its presence. */
  follow (c: Pick<ContactRecord, 'id' | 'peerId'>): void {
    this.byPeer.set(c.peerId, c.id)
  }

  /** A contact was deleted: its peer is no longer followed. */
  forget (peerId: string): void {
    this.byPeer.delete(peerId)
  }

  /** Recomputes a peer's presence from its open connections; announces a change. */
  update (peer: string): void {
    const contactId = this.byPeer.get(peer)
    if (contactId == null) return
    const id = peerIdFromString(peer)
    const open = [...this.components.node.getConnections(id), ...this.components.clients.connectionsTo(id)].filter(c => c.status === 'open')
    const presence: Presence = open.length === 0 ? 'offline' : open.some(isDirect) ? 'direct' : 'relay'
    if (presence === 'relay') void this.components.direct?.upgrade(id, open.map(c => c.remoteAddr))
    if (this.presenceOf(contactId) !== presence) {
      this.presence.set(contactId, presence)
      this.components.events.emit('connection', { contactId, presence })
    }
    if (presence !== 'offline') this.components.courier.peerConnected(contactId)
  }

  /** Gives libp2p's peer store the addresses of a contact's card. */
  async rememberAddresses (c: ContactRecord): Promise<void> {
    const addrs = c.addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
    if (addrs.length === 0) return
    try {
      await this.components.node.peerStore.merge(peerIdFromString(c.peerId), { multiaddrs: addrs })
    } catch (err) {
      this.components.log.debug('could not remember addresses', { error: (err as Error).name })
    }
  }
}
