// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The messenger's answer to its connection gater: whose private and loopback addresses may be
 * dialled. The user's own relays and accepted contacts (not blocked) may; a stranger whose request
 * waits, or anyone else, may not, so a card cannot point the app at a machine inside the user's
 * network (peers found by mDNS are allowed by the gater itself).
 */
import { decodeRecord, keys } from './records.js'
import { relayPeerIdOf } from './relay-clients.js'
import type { ContactRecord, ProfileRecord } from './records.js'
import type { DialRules } from '../net/node.js'
import type { Store } from '../storage/types.js'

/**
 * Dial rules over the store's contacts and the profile's relays (read at each question).
 * `isHomeRelay` answers for a relay being added, before it is in the profile.
 */
export function dialRules (store: Pick<Store, 'values'>, profile: Pick<ProfileRecord, 'relays'>, isHomeRelay: (peer: string) => boolean): DialRules {
  return {
    mayDialPrivate: async (peer: string): Promise<boolean> => {
      if (isHomeRelay(peer) || profile.relays.some(addr => relayPeerIdOf(addr) === peer)) return true
      for await (const bytes of store.values(keys.contacts())) {
        const c = decodeRecord<ContactRecord>(bytes)
        if (c.peerId === peer && (c.status !== 'request' || c.viaGroup === true) && !c.blocked) return true
      }
      return false
    }
  }
}
