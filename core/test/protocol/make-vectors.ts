// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Writes `core/test/protocol/vectors.json` and the test-vector and schema sections of
 * `docs/PROTOCOL.md`. Run after `npx tsc -b core`:
 *
 *   node core/dist/test/protocol/make-vectors.js
 *
 * Keys come from fixed bytes. The Kyber prekey (libsignal cannot derive one from a seed) and the
 * XEdDSA signatures (randomized) are made once and kept from the existing file while they still
 * verify, so running this again changes nothing unless the formats changed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { KEMKeyPair, PrivateKey, PublicKey } from '@signalapp/libsignal-client'
import {
  encodeContent, encodeEnvelope, encodeInviteCardBody, encodeMessageFrame, INVITE_CARD_SIGNATURE_CONTEXT,
  INVITE_LINK_PREFIX, INVITE_QR_PREFIX, movedSigningInput, signInviteCard, verifySignedInviteCard
} from '../../src/protocol/index.js'
import { toBase45 } from '../../src/protocol/base45.js'
import * as pb from '../../src/protocol/sotto.js'
import { fromHex, toHex } from './fixtures.js'
import {
  cardFromJson, cardToJson, contentFromJson, frameFromJson, PROTOCOL_DOC_PATH, SCHEMA_PATH, varint,
  VECTORS_PATH
} from './vector-format.js'
import type { ContentJson, FrameJson, MovedJson, Vectors } from './vector-format.js'
import type { InviteCard } from '../../src/protocol/index.js'

/** 32 bytes counting up from `first`. */
function counting (first: number, length = 32): Uint8Array<ArrayBuffer> {
  return new Uint8Array(length).map((_, i) => (first + i) & 0xff)
}

const previous: Vectors | undefined = existsSync(VECTORS_PATH) ? JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors : undefined

const inputs = {
  identityPrivateKey: toHex(counting(0x01)),
  signedPreKeyPrivateKey: toHex(counting(0x21)),
  preKeyPrivateKey: toHex(counting(0x41)),
  peerIdSeed: toHex(counting(0x61)),
  relayPeerIdSeed: toHex(counting(0x81))
}

const identity = PrivateKey.deserialize(counting(0x01))
const identityPublic = identity.getPublicKey()
const signedPreKey = PrivateKey.deserialize(counting(0x21)).getPublicKey().serialize()
const preKey = PrivateKey.deserialize(counting(0x41)).getPublicKey().serialize()
const owner = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', counting(0x61))).toString()
const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', counting(0x81))).toString()

/** A signature from the previous file when it still verifies over `message`, else a new one. */
function keptSignature (old: string | undefined, message: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  if (old != null && identityPublic.verify(message, fromHex(old) as Uint8Array<ArrayBuffer>)) return fromHex(old) as Uint8Array<ArrayBuffer>
  return identity.sign(message)
}

const oldBundle = previous?.inviteCard.card.bundle
const kyberPreKey = oldBundle != null ? fromHex(oldBundle.kyberPreKey) as Uint8Array<ArrayBuffer> : KEMKeyPair.generate().getPublicKey().serialize()

const card: InviteCard = {
  version: 1,
  name: 'Alice 🦊',
  userId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  peerId: owner,
  bundle: {
    registrationId: 1234,
    deviceId: 1,
    preKeyId: 17,
    preKey,
    signedPreKeyId: 5,
    signedPreKey,
    signedPreKeySignature: keptSignature(oldBundle?.signedPreKeySignature, signedPreKey),
    identityKey: identityPublic.serialize(),
    kyberPreKeyId: 9,
    kyberPreKey,
    kyberPreKeySignature: keptSignature(oldBundle?.kyberPreKeySignature, kyberPreKey)
  },
  addrs: [
    `/ip4/192.0.2.10/tcp/4001/p2p/${owner}`,
    `/ip4/198.51.100.20/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${owner}`
  ],
  relays: [{
    addr: `/ip4/198.51.100.20/tcp/4001/p2p/${relay}`,
    mailboxId: new Uint8Array(32).fill(0xaa),
    introToken: new Uint8Array(32).fill(0xbb)
  }],
  createdAt: 1_767_225_600_000
}

const body = encodeInviteCardBody(card)
let signedCard: Uint8Array
const oldSigned = previous != null ? fromHex(previous.inviteCard.signedCard) : undefined
if (oldSigned != null && toHex(pb.SignedInviteCard.decode(oldSigned).body) === toHex(body)) {
  signedCard = oldSigned
} else {
  const { version: _version, ...unversioned } = card
  signedCard = signInviteCard(unversioned, identity)
}
if (!PublicKey.deserialize(card.bundle.identityKey as Uint8Array<ArrayBuffer>).equals(identityPublic)) throw new Error('unreachable')
verifySignedInviteCard(signedCard)
const signatureOffset = signedCard.byteLength - 1
// The body starts after the SignedInviteCard's tag (1 byte) and length (2 bytes); 'Alice' lies in
// the name field, after the version (2 bytes) and the name's tag and length (2 bytes).
const nameOffset = 1 + 2 + 2 + 2

/** The statement of installation 2 with the card above, its signature kept while it verifies. */
function movedStatement (old: MovedJson | undefined): MovedJson {
  const message = movedSigningInput(2, signedCard) as Uint8Array<ArrayBuffer>
  return { installation: 2, card: toHex(signedCard), signature: toHex(keptSignature(old?.signature, message)) }
}

const id = counting(0x00, 16)
const id2 = counting(0x10, 16)
const sentAt = 1_767_225_600_123

const envelopes = [
  { name: 'a 100-byte sealed payload: one padding chunk, 1024 bytes', sealed: counting(0x00, 100) },
  { name: 'an 873-byte sealed payload: 130 bytes to fill, two padding chunks, 1024 bytes', sealed: counting(0x00, 873) },
  { name: 'a 1002-byte sealed payload: 1 byte short of 1024, so 4096 bytes', sealed: counting(0x00, 1002) }
].map(e => ({ name: e.name, id: toHex(id), sealed: toHex(e.sealed), encoded: toHex(encodeEnvelope({ id, sealed: e.sealed })) }))

const contents: Array<{ name: string, content: ContentJson }> = [
  { name: 'text', content: { id: toHex(id), sentAt, text: { text: 'Hello, Bob! 👋', seq: 1 } } },
  { name: 'text with a sender card (8 opaque bytes here; a real one is a SignedInviteCard)', content: { id: toHex(id), sentAt, senderCard: 'c0c1c2c3c4c5c6c7', text: { text: 'Hi, we met at the meetup.', seq: 1 } } },
  { name: 'introduction: no body, only a sender card (opaque here)', content: { id: toHex(id2), sentAt, senderCard: 'c0c1c2c3c4c5c6c7' } },
  { name: 'delivery receipt', content: { id: toHex(id2), sentAt, deliveryReceipt: { ids: [toHex(id), toHex(counting(0x20, 16))] } } },
  { name: 'disappearing timer, one week', content: { id: toHex(id2), sentAt, disappearingTimer: { seconds: 604800 } } },
  {
    name: 'deposit tokens, one relay (the relay of the invite card above)',
    content: { id: toHex(id2), sentAt, tokens: { relays: [{ addr: `/ip4/198.51.100.20/tcp/4001/p2p/${relay}`, mailboxId: 'aa'.repeat(32), token: 'cc'.repeat(32) }] } }
  },
  { name: 'reply: a text quoting the first text above', content: { id: toHex(id2), sentAt, text: { text: 'Hello to you too', seq: 2, replyTo: toHex(id) } } },
  { name: 'read receipt', content: { id: toHex(id2), sentAt, readReceipt: { ids: [toHex(id)] } } },
  { name: 'typing started', content: { id: toHex(id2), sentAt, typing: { started: true } } },
  { name: 'typing stopped (an empty Typing: started is false)', content: { id: toHex(id2), sentAt, typing: { started: false } } },
  { name: 'reaction', content: { id: toHex(id2), sentAt, reaction: { target: toHex(id), emoji: '👍' } } },
  { name: 'reaction removed (empty emoji)', content: { id: toHex(id2), sentAt, reaction: { target: toHex(id), emoji: '' } } },
  { name: 'edit', content: { id: toHex(id2), sentAt, edit: { target: toHex(id), text: 'Hello, Bob! 👋 (edited)' } } },
  { name: 'delete for everyone', content: { id: toHex(id2), sentAt, delete: { target: toHex(id) } } },
  {
    name: 'file: the file of the file test vectors (1,500 bytes in 1 KiB chunks), as notes.txt, with a 4-byte thumbnail',
    content: {
      id: toHex(id2),
      sentAt,
      file: {
        id: toHex(counting(0x00, 16)),
        key: toHex(counting(0x20, 32)),
        size: 1500,
        paddedSize: 1507,
        chunkSize: 1024,
        root: '7066002d063dd3482e502ad91c3768dfae4336354fb85efa65fc1ae2e8eb4dc0',
        mime: 'text/plain',
        name: 'notes.txt',
        thumbnail: 'ffd8ffd9',
        seq: 2
      }
    }
  },
  { name: 'file notice: the sender cancelled the file of the message above', content: { id: toHex(counting(0x30, 16)), sentAt, fileNotice: { target: toHex(id2), kind: 'cancelled' } } },
  {
    name: 'installation moved: installation 2 with the invite card above, signed by its identity key',
    content: { id: toHex(id2), sentAt, installationMoved: movedStatement(previous?.contents.find(c => c.content.installationMoved != null)?.content.installationMoved) }
  }
]

const frames: Array<{ name: string, frame: FrameJson }> = [
  { name: 'Deliver (the first envelope above)', frame: { deliver: { envelope: envelopes[0]?.encoded ?? '' } } },
  { name: 'Receipt STORED', frame: { receipt: { id: toHex(id), status: 'STORED' } } },
  { name: 'Receipt DUPLICATE', frame: { receipt: { id: toHex(id), status: 'DUPLICATE' } } },
  { name: 'Receipt REJECTED with a reason', frame: { receipt: { id: toHex(id), status: 'REJECTED', reason: 'not accepted' } } },
  { name: 'Receipt REJECTED for an unreadable envelope (empty id)', frame: { receipt: { id: '', status: 'REJECTED', reason: 'unreadable envelope' } } }
]

const vectors: Vectors = {
  about: 'Test vectors of Sotto\'s wire formats, quoted in docs/PROTOCOL.md. Byte strings are lowercase hex. ' +
    'Made by core/test/protocol/make-vectors.ts, checked by core/test/protocol/vectors.spec.ts.',
  inviteCard: {
    inputs,
    card: cardToJson(card),
    signatureContext: toHex(new TextEncoder().encode(INVITE_CARD_SIGNATURE_CONTEXT)) + '00',
    body: toHex(body),
    signedCard: toHex(signedCard),
    link: INVITE_LINK_PREFIX + Buffer.from(signedCard).toString('base64url'),
    qr: INVITE_QR_PREFIX + toBase45(signedCard),
    rejected: [
      { name: 'last signature byte changed', xorAt: signatureOffset, xor: 0x01, error: 'BadSignatureError' },
      { name: 'name changed (\'Alice\' to \'Blice\')', xorAt: nameOffset, xor: 0x03, error: 'BadSignatureError' }
    ]
  },
  envelopes,
  contents: contents.map(c => ({ ...c, encoded: toHex(encodeContent(contentFromJson(c.content))) })),
  messageFrames: frames.map(f => {
    const encoded = encodeMessageFrame(frameFromJson(f.frame))
    return { ...f, encoded: toHex(encoded), framed: toHex(varint(encoded.byteLength)) + toHex(encoded) }
  }),
  invalid: [
    { name: 'envelope of 3 bytes (not a bucket size)', decoder: 'decodeEnvelope', bytes: '0a0100', error: 'InvalidInputError' },
    { name: 'content with a 15-byte id', decoder: 'decodeContent', bytes: '0a0f' + toHex(counting(0, 15)) + '2202100a', error: 'InvalidInputError' },
    { name: 'content: an edit with an empty text', decoder: 'decodeContent', bytes: '0a10' + toHex(id) + '1000' + '6a12' + '0a10' + toHex(id), error: 'InvalidInputError' },
    { name: 'content: a reaction with a 15-byte target', decoder: 'decodeContent', bytes: '0a10' + toHex(id) + '1000' + '6211' + '0a0f' + toHex(counting(0, 15)), error: 'InvalidInputError' },
    { name: 'frame: a Receipt without a status', decoder: 'decodeMessageFrame', bytes: '1212' + '0a10' + toHex(id), error: 'InvalidInputError' },
    { name: 'frame: a Receipt with status 9', decoder: 'decodeMessageFrame', bytes: '1214' + '0a10' + toHex(id) + '1009', error: 'InvalidInputError' },
    { name: 'frame: neither Deliver nor Receipt', decoder: 'decodeMessageFrame', bytes: '1a00', error: 'InvalidInputError' }
  ]
}
if (toHex(cardFromJson(vectors.inviteCard.card).bundle.identityKey) !== toHex(identityPublic.serialize())) throw new Error('unreachable')

writeFileSync(VECTORS_PATH, JSON.stringify(vectors, null, 2) + '\n')

/** Hex wrapped at 64 characters, in a fenced block. */
function block (hex: string): string {
  return '```\n' + (hex.match(/.{1,64}/g) ?? ['']).join('\n') + '\n```'
}

/** A hex string shortened for a table; the full bytes are in a block nearby. */
function short (hex: string): string {
  return hex.length <= 72 ? `\`${hex}\`` : `\`${hex.slice(0, 24)}…${hex.slice(-24)}\` (${hex.length / 2} bytes)`
}

function cardTable (c: InviteCard): string {
  const b = c.bundle
  const rows: Array<[string, string]> = [
    ['version', String(c.version)],
    ['name', `\`${c.name}\``],
    ['userId', `\`${c.userId}\``],
    ['peerId', `\`${c.peerId}\``],
    ['bundle.registrationId', String(b.registrationId)],
    ['bundle.deviceId', String(b.deviceId)],
    ['bundle.preKeyId', String(b.preKeyId)],
    ['bundle.preKey', short(toHex(b.preKey ?? new Uint8Array()))],
    ['bundle.signedPreKeyId', String(b.signedPreKeyId)],
    ['bundle.signedPreKey', short(toHex(b.signedPreKey))],
    ['bundle.signedPreKeySignature', short(toHex(b.signedPreKeySignature))],
    ['bundle.identityKey', short(toHex(b.identityKey))],
    ['bundle.kyberPreKeyId', String(b.kyberPreKeyId)],
    ['bundle.kyberPreKey', short(toHex(b.kyberPreKey))],
    ['bundle.kyberPreKeySignature', short(toHex(b.kyberPreKeySignature))],
    ...c.addrs.map((a, i): [string, string] => [`addrs[${i}]`, `\`${a}\``]),
    ...c.relays.flatMap((r, i): Array<[string, string]> => [
      [`relays[${i}].addr`, `\`${r.addr}\``],
      [`relays[${i}].mailboxId`, short(toHex(r.mailboxId))],
      [`relays[${i}].introToken`, short(toHex(r.introToken))]
    ]),
    ['createdAt', String(c.createdAt)]
  ]
  return '| field | value |\n| --- | --- |\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')
}

const v = vectors
const doc: string[] = [
  'Generated by `node core/dist/test/protocol/make-vectors.js` from `core/test/protocol/vectors.json`;',
  '`vectors.spec.ts` checks the code against that file, and that every byte string in it appears here.',
  'Byte strings are hex.',
  '',
  '### Invite card',
  '',
  'Keys from fixed bytes: libsignal `PrivateKey.deserialize` of 32 bytes counting up from the first',
  'byte shown, libp2p `generateKeyPairFromSeed(\'Ed25519\', …)` likewise. The Kyber prekey and the',
  'signatures are random (XEdDSA signs with fresh randomness); they are fixed here as inputs, so',
  'the **body** is checked byte for byte and the **signed card** by verifying it.',
  '',
  '| input | 32 bytes |',
  '| --- | --- |',
  `| identity private key | \`${v.inviteCard.inputs.identityPrivateKey}\` |`,
  `| signed prekey private key | \`${v.inviteCard.inputs.signedPreKeyPrivateKey}\` |`,
  `| one-time prekey private key | \`${v.inviteCard.inputs.preKeyPrivateKey}\` |`,
  `| owner's libp2p Ed25519 seed | \`${v.inviteCard.inputs.peerIdSeed}\` |`,
  `| relay's libp2p Ed25519 seed | \`${v.inviteCard.inputs.relayPeerIdSeed}\` |`,
  '',
  cardTable(card),
  '',
  'The Kyber prekey (serialized, with its type byte):',
  '',
  block(v.inviteCard.card.bundle.kyberPreKey),
  '',
  `Signature context (\`${INVITE_CARD_SIGNATURE_CONTEXT}\` and a zero byte): \`${v.inviteCard.signatureContext}\``,
  '',
  'Encoded `InviteCardBody`, exact:',
  '',
  block(v.inviteCard.body),
  '',
  'Encoded `SignedInviteCard` (verifies, and decodes to the card above):',
  '',
  block(v.inviteCard.signedCard),
  '',
  'As a link (one line; wrapped here):',
  '',
  block(v.inviteCard.link),
  '',
  `Its QR form is \`${INVITE_QR_PREFIX}\` and the ${v.inviteCard.qr.length - INVITE_QR_PREFIX.length} base45 characters of the signed card;`,
  `it begins \`${v.inviteCard.qr.slice(0, 40)}\` and ends \`${v.inviteCard.qr.slice(-20)}\` (\`vectors.json\` has all of it:`,
  'it contains spaces, which this page could not show reliably).',
  '',
  'Rejected: the signed card above with one byte changed (XOR):',
  '',
  '| change | byte offset | XOR | Sotto throws |',
  '| --- | --- | --- | --- |',
  ...v.inviteCard.rejected.map(r => `| ${r.name} | ${r.xorAt} | \`${r.xor.toString(16).padStart(2, '0')}\` | \`${r.error}\` |`),
  '',
  '### Envelopes',
  '',
  `Id \`${toHex(id)}\`; the sealed bytes count up from \`00\` (wrapping at \`ff\`).`,
  '',
  ...v.envelopes.flatMap((e, i) => [`Envelope ${i + 1}, ${e.name}:`, '', block(e.encoded), '']),
  '### Content',
  '',
  ...v.contents.flatMap(c => [
    `${c.name[0]?.toUpperCase()}${c.name.slice(1)}:`,
    '',
    '```json',
    JSON.stringify(c.content),
    '```',
    '',
    block(c.encoded),
    ''
  ]),
  '### Frames of `/sotto/message/1.0.0`',
  '',
  'Each with its length prefix as sent on the stream ("framed"); the frame alone is the same',
  'bytes without the leading varint.',
  '',
  ...v.messageFrames.flatMap(f => [
    `${f.name}: \`${JSON.stringify(f.frame.receipt ?? { envelope: 'envelope 1' })}\``,
    '',
    block(f.framed),
    ''
  ]),
  '### Invalid input',
  '',
  '| input | decoder | bytes | Sotto throws |',
  '| --- | --- | --- | --- |',
  ...v.invalid.map(x => `| ${x.name} | \`${x.decoder}\` | \`${x.bytes}\` | \`${x.error}\` |`)
]

/** Replaces what lies between `<!-- name:begin -->` and `<!-- name:end -->`. */
function fill (text: string, name: string, content: string): string {
  const begin = `<!-- ${name}:begin -->`
  const end = `<!-- ${name}:end -->`
  const from = text.indexOf(begin)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`docs/PROTOCOL.md has no ${name} markers`)
  return text.slice(0, from + begin.length) + '\n' + content + '\n' + text.slice(to)
}

let protocol = readFileSync(PROTOCOL_DOC_PATH, 'utf8')
protocol = fill(protocol, 'schema', '```protobuf\n' + readFileSync(SCHEMA_PATH, 'utf8').trimEnd() + '\n```')
protocol = fill(protocol, 'vectors', doc.join('\n'))
writeFileSync(PROTOCOL_DOC_PATH, protocol)
console.log(`wrote ${VECTORS_PATH} and ${PROTOCOL_DOC_PATH}`)
