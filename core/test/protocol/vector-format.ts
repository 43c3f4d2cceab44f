// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The shape of `vectors.json` and its conversions: byte strings are lowercase hex in the file.
 */
import { fileURLToPath } from 'node:url'
import { fromHex, toHex } from './fixtures.js'
import type { Content, InviteCard, MessageFrame, ReceiptStatus } from '../../src/protocol/index.js'

/** Where the vectors live: in the source tree, next to this file's source. */
export const VECTORS_PATH = fileURLToPath(new URL('../../../test/protocol/vectors.json', import.meta.url))

/** The specification that must quote every vector. */
export const PROTOCOL_DOC_PATH = fileURLToPath(new URL('../../../../docs/PROTOCOL.md', import.meta.url))

/** The schema, quoted in the specification. */
export const SCHEMA_PATH = fileURLToPath(new URL('../../../src/protocol/sotto.proto', import.meta.url))

/** An invite card with hex byte strings. */
export interface CardJson {
  version: number
  name: string
  userId: string
  peerId: string
  bundle: {
    registrationId: number
    deviceId: number
    preKeyId?: number
    preKey?: string
    signedPreKeyId: number
    signedPreKey: string
    signedPreKeySignature: string
    identityKey: string
    kyberPreKeyId: number
    kyberPreKey: string
    kyberPreKeySignature: string
  }
  addrs: string[]
  relays: Array<{ addr: string, mailboxId: string, introToken: string }>
  createdAt: number
}

/** A Content with hex byte strings. */
export interface ContentJson {
  id: string
  sentAt: number
  senderCard?: string
  text?: { text: string, seq: number, replyTo?: string }
  deliveryReceipt?: { ids: string[] }
  readReceipt?: { ids: string[] }
  typing?: { started: boolean }
  reaction?: { target: string, emoji: string }
  edit?: { target: string, text: string }
  delete?: { target: string }
  fileNotice?: { target: string, kind: 'cancelled' | 'held' | 'wanted' }
  disappearingTimer?: { seconds: number }
  tokens?: { relays: Array<{ addr: string, mailboxId: string, token: string }> }
  file?: { id: string, key: string, size: number, paddedSize: number, chunkSize: number, root: string, mime: string, name: string, thumbnail?: string, seq: number }
  installationMoved?: MovedJson
  installationReplaced?: MovedJson
}

/** An installation's statement with hex byte strings. */
export interface MovedJson { installation: number, card: string, signature: string }

/** A MessageFrame with hex byte strings. */
export interface FrameJson {
  deliver?: { envelope: string }
  receipt?: { id: string, status: ReceiptStatus, reason?: string }
}

/** The whole file. */
export interface Vectors {
  about: string
  inviteCard: {
    inputs: {
      identityPrivateKey: string
      signedPreKeyPrivateKey: string
      preKeyPrivateKey: string
      peerIdSeed: string
      relayPeerIdSeed: string
    }
    card: CardJson
    signatureContext: string
    body: string
    signedCard: string
    link: string
    qr: string
    rejected: Array<{ name: string, xorAt: number, xor: number, error: string }>
  }
  envelopes: Array<{ name: string, id: string, sealed: string, encoded: string }>
  contents: Array<{ name: string, content: ContentJson, encoded: string }>
  messageFrames: Array<{ name: string, frame: FrameJson, encoded: string, framed: string }>
  invalid: Array<{ name: string, decoder: 'decodeEnvelope' | 'decodeContent' | 'decodeMessageFrame', bytes: string, error: string }>
}

/** The card from its JSON form. */
export function cardFromJson (json: CardJson): InviteCard {
  const { preKey, preKeyId, ...b } = json.bundle
  return {
    ...json,
    bundle: {
      ...b,
      ...(preKeyId != null && preKey != null ? { preKeyId, preKey: fromHex(preKey) } : {}),
      signedPreKey: fromHex(b.signedPreKey),
      signedPreKeySignature: fromHex(b.signedPreKeySignature),
      identityKey: fromHex(b.identityKey),
      kyberPreKey: fromHex(b.kyberPreKey),
      kyberPreKeySignature: fromHex(b.kyberPreKeySignature)
    },
    addrs: [...json.addrs],
    relays: json.relays.map(r => ({ addr: r.addr, mailboxId: fromHex(r.mailboxId), introToken: fromHex(r.introToken) }))
  }
}

/** The card's JSON form. */
export function cardToJson (card: InviteCard): CardJson {
  const { preKey, preKeyId, ...b } = card.bundle
  return {
    version: card.version,
    name: card.name,
    userId: card.userId,
    peerId: card.peerId,
    bundle: {
      registrationId: b.registrationId,
      deviceId: b.deviceId,
      ...(preKeyId != null && preKey != null ? { preKeyId, preKey: toHex(preKey) } : {}),
      signedPreKeyId: b.signedPreKeyId,
      signedPreKey: toHex(b.signedPreKey),
      signedPreKeySignature: toHex(b.signedPreKeySignature),
      identityKey: toHex(b.identityKey),
      kyberPreKeyId: b.kyberPreKeyId,
      kyberPreKey: toHex(b.kyberPreKey),
      kyberPreKeySignature: toHex(b.kyberPreKeySignature)
    },
    addrs: card.addrs,
    relays: card.relays.map(r => ({ addr: r.addr, mailboxId: toHex(r.mailboxId), introToken: toHex(r.introToken) })),
    createdAt: card.createdAt
  }
}

/** The Content from its JSON form. */
export function contentFromJson (json: ContentJson): Content {
  const content: Content = { id: fromHex(json.id), sentAt: json.sentAt }
  if (json.senderCard != null) content.senderCard = fromHex(json.senderCard)
  if (json.text != null) {
    const { replyTo, ...text } = json.text
    content.text = { ...text, ...(replyTo != null ? { replyTo: fromHex(replyTo) } : {}) }
  }
  if (json.readReceipt != null) content.readReceipt = { ids: json.readReceipt.ids.map(fromHex) }
  if (json.typing != null) content.typing = { ...json.typing }
  if (json.reaction != null) content.reaction = { target: fromHex(json.reaction.target), emoji: json.reaction.emoji }
  if (json.edit != null) content.edit = { target: fromHex(json.edit.target), text: json.edit.text }
  if (json.delete != null) content.delete = { target: fromHex(json.delete.target) }
  if (json.fileNotice != null) content.fileNotice = { target: fromHex(json.fileNotice.target), kind: json.fileNotice.kind }
  if (json.deliveryReceipt != null) content.deliveryReceipt = { ids: json.deliveryReceipt.ids.map(fromHex) }
  if (json.disappearingTimer != null) content.disappearingTimer = { ...json.disappearingTimer }
  if (json.tokens != null) {
    content.tokens = { relays: json.tokens.relays.map(r => ({ addr: r.addr, mailboxId: fromHex(r.mailboxId), token: fromHex(r.token) })) }
  }
  if (json.file != null) {
    const { thumbnail, ...file } = json.file
    content.file = { ...file, id: fromHex(file.id), key: fromHex(file.key), root: fromHex(file.root), ...(thumbnail != null ? { thumbnail: fromHex(thumbnail) } : {}) }
  }
  const moved = (m: MovedJson): NonNullable<Content['installationMoved']> => ({ installation: m.installation, card: fromHex(m.card), signature: fromHex(m.signature) })
  if (json.installationMoved != null) content.installationMoved = moved(json.installationMoved)
  if (json.installationReplaced != null) content.installationReplaced = moved(json.installationReplaced)
  return content
}

/** The frame from its JSON form. */
export function frameFromJson (json: FrameJson): MessageFrame {
  if (json.deliver != null) return { deliver: { envelope: fromHex(json.deliver.envelope) } }
  if (json.receipt != null) {
    const { id, ...rest } = json.receipt
    return { receipt: { id: fromHex(id), ...rest } }
  }
  return {}
}

/** Every hex byte string in the vectors, for the check that the specification quotes them all. */
export function hexStrings (value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (/^(?:[0-9a-f]{2})+$/.test(value)) out.push(value)
  } else if (Array.isArray(value)) {
    for (const v of value) hexStrings(v, out)
  } else if (value != null && typeof value === 'object') {
    for (const v of Object.values(value)) hexStrings(v, out)
  }
  return out
}

/** A byte string as an unsigned varint, as frames are prefixed. */
export function varint (value: number): Uint8Array {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80)
    value = Math.floor(value / 0x80)
  }
  out.push(value)
  return new Uint8Array(out)
}
