// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Plain data types of Sotto's wire formats, shared by the codecs (`protocol/`) and the
 * libsignal layer (`crypto/`).
 */

/**
 * A libsignal prekey bundle as carried in an invite card. The Kyber prekey is mandatory; the
 * one-time EC prekey is optional.
 */
export interface PreKeyBundleData {
  registrationId: number
  /** libsignal device id, 1–127; Sotto uses 1. */
  deviceId: number
  /** One-time EC prekey, when one is offered. */
  preKeyId?: number
  preKey?: Uint8Array
  signedPreKeyId: number
  signedPreKey: Uint8Array
  signedPreKeySignature: Uint8Array
  /** The owner's libsignal identity public key (serialized, 33 bytes). */
  identityKey: Uint8Array
  kyberPreKeyId: number
  kyberPreKey: Uint8Array
  kyberPreKeySignature: Uint8Array
}

/** One of the card owner's relays: where to leave mail for them. */
export interface InviteRelay {
  /** The relay's multiaddr, ending in /p2p/<relay PeerId>. */
  addr: string
  /** The owner's mailbox id at that relay. */
  mailboxId: Uint8Array
  /** The introduction deposit token: lets a stranger leave a first message (lands in requests). */
  introToken: Uint8Array
}

/** The content of an invite card, verified. */
export interface InviteCard {
  /** Wire version of the card; 1. */
  version: number
  /** The owner's display name (untrusted text, at most 64 characters). */
  name: string
  /** The owner's Sotto user id (a UUID); also their libsignal address name. */
  userId: string
  /** The owner's libp2p PeerId (base58btc string). */
  peerId: string
  /** The owner's prekey bundle (its identityKey is the key that signs the card). */
  bundle: PreKeyBundleData
  /** Multiaddrs to reach the owner directly or through relay circuits. */
  addrs: string[]
  /** The owner's relays and mailboxes. */
  relays: InviteRelay[]
  /** When the card was made (ms since epoch). */
  createdAt: number
}
