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
  /** A one-time invitation of one guest (16 bytes), sent back in `Content.inviteTag`. */
  inviteTag?: Uint8Array
}

/**
 * What travels between peers and rests at relays. Encoded, it is padded to one of
 * `ENVELOPE_BUCKETS`; the padding is not part of this type.
 */
export interface Envelope {
  /** 16 random bytes chosen by the sender; the Content inside carries the same id. */
  id: Uint8Array
  /** The libsignal sealed-sender ciphertext of an encoded Content. */
  sealed: Uint8Array
}

/** A text message. */
export interface ContentText {
  /** The text, at most 8,000 Unicode code points. */
  text: string
  /** The sender's sequence number in this conversation (for ordering), a safe integer ≥ 0. */
  seq: number
  /** A reply: the 16-byte id of the message it quotes. */
  replyTo?: Uint8Array
}

/** "I have seen these messages of yours": sent only by those who allow read receipts. */
export interface ContentReadReceipt {
  /** 1–256 envelope ids of 16 bytes. */
  ids: Uint8Array[]
}

/** The sender started or stopped typing; live only, never left at a relay. */
export interface ContentTyping {
  /** True: started; false: stopped. */
  started: boolean
}

/** The sender's reaction to a message; it replaces the sender's earlier one. */
export interface ContentReaction {
  /** The 16-byte id of the message. */
  target: Uint8Array
  /** One emoji, at most 16 code points; empty removes the reaction. */
  emoji: string
  /** In a group message: the 16-byte id of the group it was sealed for. */
  groupId?: Uint8Array
}

/** The sender changed the text of one of its messages. */
export interface ContentEdit {
  /** The 16-byte id of the sender's message. */
  target: Uint8Array
  /** The new text, 1–8,000 code points. */
  text: string
  /** In a group message: the 16-byte id of the group it was sealed for. */
  groupId?: Uint8Array
}

/** The sender deleted one of its messages for everyone. */
export interface ContentDelete {
  /** The 16-byte id of the sender's message. */
  target: Uint8Array
  /** In a group message: the 16-byte id of the group it was sealed for. */
  groupId?: Uint8Array
}

/**
 * What one side of a file's transfer tells the other about a File message: `cancelled` (from its
 * sender: it will not come), `held` (from its recipient: kept for later, asked for when wanted),
 * `wanted` (from its recipient: its user wants it now).
 */
export interface ContentFileNotice {
  /** The 16-byte id of the File message. */
  target: Uint8Array
  kind: 'cancelled' | 'held' | 'wanted'
}

/**
 * A file: its id and key, sizes, chunk size and root (the chunks travel on `/sotto/file/1.0.0`),
 * what to show (MIME type, name, an image's thumbnail), and its place in the conversation.
 */
export interface ContentFile {
  /** 16 random bytes, bound into every chunk. */
  id: Uint8Array
  /** The AES-256-GCM key, 32 bytes. */
  key: Uint8Array
  /** The real size in bytes. */
  size: number
  /** The size the plaintext is padded to: `paddedSize(size)`, nothing else. */
  paddedSize: number
  /** Plaintext bytes per chunk, 1,024–262,144. */
  chunkSize: number
  /** SHA-256 over the sealed chunks' SHA-256 hashes, in order (32 bytes). */
  root: Uint8Array
  /** The MIME type, at most 127 characters (may be empty). */
  mime: string
  /** The file name, 1–255 characters, no path separator or control character. */
  name: string
  /** An image's JPEG thumbnail, at most 16,384 bytes. */
  thumbnail?: Uint8Array
  /** The sender's sequence number in this conversation (shared with texts). */
  seq: number
}

/** "These messages are stored here": the ids of the envelopes that carried them. */
export interface ContentDeliveryReceipt {
  /** 1–256 envelope ids of 16 bytes. */
  ids: Uint8Array[]
}

/**
 * "These envelopes of yours reached me but do not decrypt" (the session moved on past their keys):
 * the sender seals those of its messages again, under the same ids.
 */
export interface ContentResendRequest {
  /** 1–256 envelope ids of 16 bytes. */
  ids: Uint8Array[]
}

/** The conversation's disappearing-messages timer changed. */
export interface ContentDisappearingTimer {
  /** The new timer in seconds, 0 (off) to one year. */
  seconds: number
}

/** The sender's mailbox at one of its relays, with a deposit token made for the recipient alone. */
export interface RelayToken {
  /** The relay's multiaddr, ending in /p2p/<relay PeerId> (no /p2p-circuit). */
  addr: string
  /** The sender's mailbox id at that relay (1–64 bytes; 32 from Sotto). */
  mailboxId: Uint8Array
  /** The contact deposit token registered there for the recipient (1–64 bytes; 32 from Sotto). */
  token: Uint8Array
}

/**
 * Where the recipient may leave messages for the sender while the sender is offline. The complete
 * current list: it replaces any earlier one; an empty list withdraws them all.
 */
export interface ContentTokens {
  /** At most 8 entries (`MAX_CARD_RELAYS`), one per relay. */
  relays: RelayToken[]
}

/** Signed changes of a group's membership log, parents first. */
export interface ContentGroupUpdate {
  /** The group id, 16 bytes. */
  groupId: Uint8Array
  /** 1-64 encoded SignedGroupChanges (groups.proto), each at most 12 KiB. */
  changes: Uint8Array[]
}

/** The sender's sender key for a group. */
export interface ContentSenderKey {
  /** The group id, 16 bytes. */
  groupId: Uint8Array
  /** A libsignal SenderKeyDistributionMessage, at most 256 bytes. */
  distribution: Uint8Array
}

/** A text in a group. */
export interface ContentGroupText {
  /** The group id, 16 bytes. */
  groupId: Uint8Array
  /** The text, at most 8,000 Unicode code points. */
  text: string
  /** The sender's sequence number in this group, a safe integer ≥ 0. */
  seq: number
  /** The group's disappearing timer as the sender knows it, 0 (off) to one year. */
  disappearingSeconds: number
  /** A reply: the 16-byte id of the message of this group it quotes. */
  replyTo?: Uint8Array
  /** A file sent to the group (then `text` is empty): its pointer, as in a one-to-one File body. */
  file?: ContentFile
}

/**
 * Joining a group: an admin's ask (no `card`), or the answer with the sender's entry (`card` and
 * `depositToken` both).
 */
export interface ContentGroupJoin {
  /** The group id, 16 bytes. */
  groupId: Uint8Array
  /** The group's name in an ask; empty in an answer. */
  name: string
  /** The sender's encoded SignedInviteCard, without a one-time prekey (verify it). */
  card?: Uint8Array
  /** The deposit token the sender registered at its relays for this group, 1-64 bytes. */
  depositToken?: Uint8Array
}

/**
 * The plaintext inside the end-to-end encryption. At most one body (`text`, `deliveryReceipt`,
 * `disappearingTimer`, `tokens`, `resendRequest`, `readReceipt`, `typing`, `reaction`, `edit`, `delete`, `file`, `fileNotice`, …) is set. A Content without one (none was sent, or one this version does not
 * know) shows nothing, but its other fields count: one with only a `senderCard` introduces the
 * sender.
 */
export interface Content {
  /** Must equal the id of the envelope that carried it: the receiver checks. */
  id: Uint8Array
  /** When the sender wrote it (ms since epoch, the sender's clock). */
  sentAt: number
  /**
   * The sender's encoded SignedInviteCard, attached until the contact has replied, so a stranger's
   * first message can be shown as a request and answered. Not verified by `decodeContent`: check it
   * with `verifySignedInviteCard`, and that its identity key is the sealed sender's.
   */
  senderCard?: Uint8Array
  /** The `inviteTag` of the card the sender added (16 bytes), sent with `senderCard`. */
  inviteTag?: Uint8Array
  /** A text message. */
  text?: ContentText
  /** A delivery receipt. */
  deliveryReceipt?: ContentDeliveryReceipt
  /** A change of the disappearing-messages timer. */
  disappearingTimer?: ContentDisappearingTimer
  /** The sender's deposit tokens for the recipient. */
  tokens?: ContentTokens
  /** A request to seal messages again that did not decrypt. */
  resendRequest?: ContentResendRequest
  /** A read receipt. */
  readReceipt?: ContentReadReceipt
  /** A typing indicator. */
  typing?: ContentTyping
  /** A reaction to a message. */
  reaction?: ContentReaction
  /** An edit of one of the sender's messages. */
  edit?: ContentEdit
  /** A delete for everyone of one of the sender's messages. */
  delete?: ContentDelete
  /** A file: where its sealed chunks are and how to open them. */
  file?: ContentFile
  /** A notice about a File message's transfer. */
  fileNotice?: ContentFileNotice
  /** A restored installation's statement to a contact (sent without a session). */
  installationMoved?: ContentMoved
  /** A newer installation's statement, to the installation it replaced (sent without a session). */
  installationReplaced?: ContentMoved
  /** Changes of a group's membership. */
  groupUpdate?: ContentGroupUpdate
  /** A sender key for a group. */
  senderKey?: ContentSenderKey
  /** A text in a group. */
  groupText?: ContentGroupText
  /** Joining a group. */
  groupJoin?: ContentGroupJoin
}

/**
 * An installation's statement that it now holds its owner's identity, signed by the identity key
 * over `sotto:installation-moved:v1` || uint32be(installation) || card.
 */
export interface ContentMoved {
  /** 1 for the installation that made the identity; each restore takes the next number. */
  installation: number
  /** The installation's SignedInviteCard: its PeerId, fresh prekeys and relays. */
  card: Uint8Array
  /** The identity key's signature (64 bytes). */
  signature: Uint8Array
}

/** The recipient's verdict on one delivered envelope. */
export type ReceiptStatus = 'STORED' | 'DUPLICATE' | 'REJECTED'

/** Sender to recipient on `/sotto/message/1.0.0`: one envelope. */
export interface DeliverFrame {
  /** An encoded envelope (1 byte to 64 KiB; decode it with `decodeEnvelope`). */
  envelope: Uint8Array
}

/** Recipient to sender on `/sotto/message/1.0.0`: the answer to one Deliver, in order. */
export interface ReceiptFrame {
  /** The envelope's id; empty only when `status` is REJECTED because the envelope was unreadable. */
  id: Uint8Array
  /** STORED (durably, first time), DUPLICATE (stored before), REJECTED (never: do not retry). */
  status: ReceiptStatus
  /** Short diagnostic text, at most 256 characters; never shown as the recipient's words. */
  reason?: string
}

/** One frame of `/sotto/message/1.0.0`: exactly one of `deliver` and `receipt` is set. */
export interface MessageFrame {
  /** An envelope for the recipient. */
  deliver?: DeliverFrame
  /** The recipient's answer to a Deliver. */
  receipt?: ReceiptFrame
}
