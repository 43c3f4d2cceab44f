// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Invites: the card that says who this messenger is and where to reach it, as a link, a QR
 * payload, or signed and attached to envelopes until a contact has answered.
 */
import { currentPreKeyBundle } from '../crypto/index.js'
import { circuitAddress } from '../net/node.js'
import { MAX_CARD_ADDRS, encodeInviteLink, encodeInviteQr, signInviteCard } from '../protocol/index.js'
import type { LocalIdentity } from '../crypto/index.js'
import type { MessengerNode } from '../net/node.js'
import type { InviteCard } from '../protocol/index.js'
import type { Store } from '../storage/types.js'
import type { ProfileRecord, RelayRecord } from './records.js'

/** What invites use. */
export interface InvitesComponents {
  identity: LocalIdentity
  store: Pick<Store, 'transaction'>
  profile: ProfileRecord
  node: Pick<MessengerNode, 'peerId' | 'getMultiaddrs'>
  /** The home relays whose mailbox is ready. */
  homeRelays: { ready(): Promise<RelayRecord[]> }
}

/** Makes invites. */
export class Invites {
  constructor (private readonly components: InvitesComponents) {}

  /** A fresh invite link; with `inviteTag`, a guest's one-time invitation (docs/PROTOCOL.md, "Invite to Sotto"). */
  async link (inviteTag?: Uint8Array): Promise<string> {
    return encodeInviteLink({ ...await this.card(), ...(inviteTag != null ? { inviteTag } : {}) }, this.components.identity.keyPair.privateKey)
  }

  /** The same invite in the compact form for QR codes. */
  async qr (): Promise<string> {
    return encodeInviteQr(await this.card(), this.components.identity.keyPair.privateKey)
  }

  /** This messenger's signed card, attached to envelopes until the contact has answered (with `inviteTag`, for a guest's invitation). */
  async ownCard (inviteTag?: Uint8Array): Promise<Uint8Array> {
    return signInviteCard({ ...await this.card(), ...(inviteTag != null ? { inviteTag } : {}) }, this.components.identity.keyPair.privateKey)
  }

  /** The card behind invites and introductions: who we are and where to reach us. */
  private async card (): Promise<Omit<InviteCard, 'version'>> {
    const { identity, store, profile, node, homeRelays } = this.components
    // Without one-time prekeys: an invite may be used by several people, a one-time key only once.
    const bundle = await currentPreKeyBundle(store.transaction(), identity, { oneTime: false })
    const relays = await homeRelays.ready()
    const me = node.peerId.toString()
    // Circuits through our relays first: they reach us from anywhere the relay is reachable from.
    const addrs = [...new Set([
      ...relays.map(r => circuitAddress(r.addr, me).toString()),
      ...node.getMultiaddrs().map(ma => ma.toString())
    ])]
    return {
      name: profile.name,
      userId: identity.userId,
      peerId: me,
      bundle,
      addrs: addrs.slice(0, MAX_CARD_ADDRS),
      relays: relays.map(r => ({ addr: r.addr, mailboxId: r.mailboxId, introToken: r.introToken })),
      createdAt: Date.now()
    }
  }
}
