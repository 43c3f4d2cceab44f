// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Fuzzing live protocol handlers: fast-check generates frames — random bytes, protobuf built
 * field by field with odd values, and valid frames mutated — and sends them in batches over real
 * streams into a running relay or peer. Every few batches it checks the target still answers a
 * well-formed request; a target that stops answering fails the property, with its seed.
 */

import { randomBytes } from 'node:crypto'
import {
  MAILBOX_PROTOCOL, RELAY_INFO_PROTOCOL, createMailboxClient, encodeRequest, generateDepositToken,
  generateMailboxKey, hashDepositToken, signOwnerOp
} from '@sotto/core/mailbox'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import fc from 'fast-check'
import { RawStream, clientNode, openStream } from './node.js'
import { concat, decode, encode, lengthPrefixed, varint } from './pb.js'
import type { PbField } from './pb.js'
import type { Libp2p } from '@libp2p/interface'
import type { OwnerAction } from '@sotto/core/mailbox'

/** The message protocol of Sotto peers. */
export const MESSAGE_PROTOCOL = '/sotto/message/1.0.0'

/** Which handler to fuzz. */
export type FuzzProtocol = 'mailbox' | 'message' | 'relay-info'

/** Options of {@link fuzz}. */
export interface FuzzOptions {
  /** The target's multiaddr. */
  target: string
  protocol: FuzzProtocol
  /** Frames to send, at least. */
  frames: number
  /** fast-check seed. */
  seed: number
  /** Most frames in one batch (one stream). Default 64. */
  batch?: number
  /** Check the target answers after every this many batches. Default 10. */
  checkEvery?: number
}

/** What a fuzzing run did. */
export interface FuzzResult {
  protocol: FuzzProtocol
  seed: number
  runs: number
  /** Frames written whole. */
  frames: number
  bytes: number
  /** Frames the target answered. */
  answers: number
  /** Streams the target closed or reset before we finished writing. */
  cutShort: number
  /** Streams refused (the target was busy, or gone). */
  refused: number
  livenessChecks: number
  /** Set when the target stopped answering: the property's failure. */
  failure?: string
}

/** One piece of a batch: bytes written as they are (length prefix included, or deliberately wrong). */
type Piece = Uint8Array

const ENVELOPE_BUCKETS = [1024, 4096, 16384, 65536]

/** Mutations of a valid frame's body: bit flips, overwrites, insertions, deletions, truncation. */
function mutated (seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() })
  )
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([seed, ms]) => {
    let b: Uint8Array = Uint8Array.from(seed)
    for (const m of ms) {
      if (b.byteLength === 0) break
      const at = m.at % b.byteLength
      if (m.kind === 'flip') b[at] = (b[at] as number) ^ (1 << m.bit)
      else if (m.kind === 'set') b[at] = m.byte
      else if (m.kind === 'insert') b = concat([b.subarray(0, at), m.bytes, b.subarray(at)])
      else if (m.kind === 'delete') b = concat([b.subarray(0, at), b.subarray(at + m.length)])
      else b = b.slice(0, at)
    }
    return b
  })
}

/** Bytes of a length that matters (exact sizes, near the limits) or anything. */
function bytesAround (exact: number[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.constantFrom(...exact).chain(n => fc.uint8Array({ minLength: n, maxLength: n })),
    fc.uint8Array({ maxLength: 80 })
  )
}

/** Unknown or repeated fields, which a decoder must skip or refuse. */
const strayField: fc.Arbitrary<PbField> = fc.oneof(
  fc.record({ field: fc.integer({ min: 1, max: 40 }), varint: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })) }),
  fc.record({ field: fc.integer({ min: 1, max: 40 }), bytes: fc.uint8Array({ maxLength: 64 }) })
)

const oddId = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0xffffffff }), fc.bigInt({ min: 1n << 32n, max: 1n << 40n }))

/** An OwnerOp built field by field. */
const ownerOpFields: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.integer({ min: 0, max: 9 }), bytesAround([34, 38]), bytesAround([32]), fc.oneof(fc.nat(), fc.constant(Date.now())),
  bytesAround([32]), bytesAround([32]), fc.integer({ min: 0, max: 3 }), fc.nat(), fc.integer({ min: 0, max: 2000 }),
  fc.array(fc.nat(), { maxLength: 20 }), fc.array(strayField, { maxLength: 2 })
).map(([kind, relay, mailbox, ts, challenge, tokenHash, tokenKind, after, limit, ids, stray]) => encode([
  { field: 1, varint: kind }, { field: 2, bytes: relay }, { field: 3, bytes: mailbox }, { field: 4, varint: ts },
  { field: 5, bytes: challenge }, { field: 6, bytes: tokenHash }, { field: 7, varint: tokenKind },
  { field: 8, varint: after }, { field: 9, varint: limit }, ...ids.map(id => ({ field: 10, varint: id })), ...stray
]))

/** A mailbox Request built field by field. */
function mailboxRequestFields (mailboxId: Uint8Array, token: Uint8Array): fc.Arbitrary<Uint8Array> {
  const owner = fc.tuple(bytesAround([32]), fc.oneof(ownerOpFields, fc.uint8Array({ maxLength: 200 })), bytesAround([64]))
    .map(([pk, op, sig]) => encode([{ field: 1, bytes: pk }, { field: 2, bytes: op }, { field: 3, bytes: sig }]))
  const deposit = fc.tuple(
    fc.oneof(fc.constant(mailboxId), bytesAround([32])), fc.oneof(fc.constant(token), bytesAround([32])),
    fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...ENVELOPE_BUCKETS).map(n => new Uint8Array(n))),
    fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 1n << 40n }))
  ).map(([m, t, e, ttl]) => encode([{ field: 1, bytes: m }, { field: 2, bytes: t }, { field: 3, bytes: e }, { field: 4, varint: ttl }]))
  return fc.tuple(
    oddId,
    fc.array(fc.oneof(
      owner.map(b => ({ field: 2, bytes: b }) as PbField),
      deposit.map(b => ({ field: 3, bytes: b }) as PbField),
      fc.boolean().map(v => ({ field: 4, varint: v ? 1 : 0 }) as PbField),
      fc.boolean().map(v => ({ field: 5, varint: v ? 1 : 0 }) as PbField),
      strayField
    ), { minLength: 0, maxLength: 3 })
  ).map(([id, fields]) => encode([{ field: 1, varint: id }, ...fields]))
}

/** A MessageFrame built field by field: Deliver (an envelope, well padded or not) or Receipt. */
const messageFrameFields: fc.Arbitrary<Uint8Array> = (() => {
  const envelope = fc.tuple(bytesAround([16]), fc.uint8Array({ minLength: 0, maxLength: 900 }), fc.constantFrom(...ENVELOPE_BUCKETS), fc.boolean())
    .map(([id, sealed, bucket, pad]) => {
      const body = encode([{ field: 1, bytes: id }, { field: 2, bytes: sealed }])
      if (!pad) return body
      // Padding that makes the envelope exactly one bucket long, when it fits.
      const room = bucket - body.byteLength - 4
      return room > 0 ? concat([body, encode([{ field: 3, bytes: new Uint8Array(room) }])]).slice(0, bucket) : body
    })
  const deliver = fc.oneof(envelope, fc.uint8Array({ maxLength: 1500 }))
    .map(e => ({ field: 1, bytes: encode([{ field: 1, bytes: e }]) }) as PbField)
  const receipt = fc.tuple(bytesAround([0, 16]), fc.integer({ min: 0, max: 5 }), fc.string({ maxLength: 300 }))
    .map(([id, status, reason]) => ({ field: 2, bytes: encode([{ field: 1, bytes: id }, { field: 2, varint: status }, { field: 3, bytes: new TextEncoder().encode(reason) }]) }) as PbField)
  return fc.array(fc.oneof({ arbitrary: deliver, weight: 6 }, { arbitrary: receipt, weight: 1 }, { arbitrary: strayField, weight: 1 }), { minLength: 0, maxLength: 2 })
    .map(fields => encode(fields))
})()

/** Framing itself gone wrong: overlong or huge length prefixes, a frame cut short, empty frames. */
const badFraming: fc.Arbitrary<Piece> = fc.oneof(
  fc.constant(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
  fc.integer({ min: 70_000, max: 2 ** 31 }).map(n => varint(n)),
  fc.tuple(fc.integer({ min: 2, max: 5000 }), fc.uint8Array({ maxLength: 64 })).map(([n, b]) => concat([varint(n), b.subarray(0, Math.min(b.byteLength, n - 1))])),
  fc.constant(Uint8Array.from([0]))
)

/** Batches of pieces for one protocol: mostly whole frames, sometimes broken framing last. */
function batches (bodies: fc.Arbitrary<Uint8Array>, max: number): fc.Arbitrary<Piece[]> {
  return fc.tuple(
    fc.array(bodies.map(lengthPrefixed), { minLength: 1, maxLength: max }),
    fc.option(badFraming, { freq: 8 })
  ).map(([frames, tail]) => tail == null ? frames : [...frames, tail])
}

/** Well-formed mailbox frames to mutate: deposits with a real token, signed owner ops, ping, challenge. */
async function mailboxSeeds (node: Libp2p, target: string): Promise<{ seeds: Uint8Array[], mailboxId: Uint8Array, token: Uint8Array }> {
  const client = createMailboxClient(node, target, { timeout: 30_000 })
  const key = await generateMailboxKey()
  const mailboxId = await client.create(key)
  const token = generateDepositToken()
  await client.registerToken(key, token, 'contact')
  await client.close()
  const relay = multiaddr(target).getComponents().findLast(c => c.name === 'p2p')?.value
  if (relay == null) throw new Error('target has no /p2p/')
  const relayBytes = peerIdFromString(relay).toMultihash().bytes
  const seeds: Uint8Array[] = [
    encodeRequest({ id: 1, type: 'ping' }),
    encodeRequest({ id: 2, type: 'challenge' }),
    encodeRequest({ id: 3, type: 'deposit', mailboxId, token, envelope: new Uint8Array(randomBytes(1024)), ttl: 60 }),
    encodeRequest({ id: 4, type: 'deposit', mailboxId, token, envelope: new Uint8Array(randomBytes(200)), ttl: 0 })
  ]
  const actions: OwnerAction[] = [
    { kind: 'create' }, { kind: 'read', after: 0, limit: 10 }, { kind: 'ack', ids: [1, 2, 3] },
    { kind: 'register-token', tokenHash: hashDepositToken(generateDepositToken()), tokenKind: 'introduction' },
    { kind: 'revoke-token', tokenHash: hashDepositToken(generateDepositToken()) }, { kind: 'subscribe' }
  ]
  for (const [i, action] of actions.entries()) {
    const signed = await signOwnerOp(key, { ...action, relay: relayBytes, mailboxId, freshness: { timestamp: Date.now() } })
    seeds.push(encodeRequest({ id: 10 + i, type: 'owner', ...signed }))
  }
  return { seeds, mailboxId, token }
}

/** A well-formed Deliver frame around a well-formed (undecryptable) envelope. */
function messageSeed (): Uint8Array {
  const body = encode([{ field: 1, bytes: new Uint8Array(randomBytes(16)) }, { field: 2, bytes: new Uint8Array(randomBytes(600)) }])
  const envelope = concat([body, encode([{ field: 3, bytes: new Uint8Array(1024 - body.byteLength - 3) }])])
  return encode([{ field: 1, bytes: encode([{ field: 1, bytes: envelope }]) }])
}

/** Whether the target still answers a well-formed request. */
async function answers (node: Libp2p, target: string, protocol: FuzzProtocol): Promise<boolean> {
  let s: RawStream
  try {
    const proto = protocol === 'mailbox' ? MAILBOX_PROTOCOL : protocol === 'message' ? MESSAGE_PROTOCOL : RELAY_INFO_PROTOCOL
    s = new RawStream(await openStream(node, target, proto, 10_000))
  } catch {
    return false
  }
  try {
    if (protocol === 'mailbox') await s.send(lengthPrefixed(encodeRequest({ id: 7, type: 'ping' })))
    if (protocol === 'message') await s.send(lengthPrefixed(messageSeed()))
    await s.waitFrames(1, 10_000)
    const frame = s.frames[0]
    if (frame == null) return false
    if (protocol === 'mailbox') return decode(frame).get(2)?.[0] === 1
    if (protocol === 'message') return decode(frame).get(2) != null
    return decode(frame).get(3) != null
  } catch {
    return false
  } finally {
    s.abort()
  }
}

/** Runs the fuzzer against one handler. */
export async function fuzz (options: FuzzOptions): Promise<FuzzResult> {
  const node = await clientNode()
  const result: FuzzResult = { protocol: options.protocol, seed: options.seed, runs: 0, frames: 0, bytes: 0, answers: 0, cutShort: 0, refused: 0, livenessChecks: 0 }
  const batchMax = options.batch ?? 64
  const checkEvery = options.checkEvery ?? 10
  try {
    let bodies: fc.Arbitrary<Uint8Array>
    let protocol: string
    if (options.protocol === 'mailbox') {
      const { seeds, mailboxId, token } = await mailboxSeeds(node, options.target)
      bodies = fc.oneof(
        { arbitrary: mailboxRequestFields(mailboxId, token), weight: 4 },
        { arbitrary: mutated(seeds), weight: 4 },
        { arbitrary: fc.uint8Array({ maxLength: 512 }), weight: 2 }
      )
      protocol = MAILBOX_PROTOCOL
    } else if (options.protocol === 'message') {
      bodies = fc.oneof(
        { arbitrary: messageFrameFields, weight: 4 },
        { arbitrary: mutated([messageSeed(), messageSeed()]), weight: 4 },
        { arbitrary: fc.uint8Array({ maxLength: 512 }), weight: 2 }
      )
      protocol = MESSAGE_PROTOCOL
    } else {
      bodies = fc.uint8Array({ maxLength: 256 })
      protocol = RELAY_INFO_PROTOCOL
    }
    // Enough runs for the frames asked for, whatever the batches' sizes turn out to be.
    const runs = Math.ceil(options.frames / (batchMax / 2)) * 2
    await fc.assert(fc.asyncProperty(batches(bodies, batchMax), async (batch) => {
      if (result.frames >= options.frames) return true
      result.runs++
      let s: RawStream | undefined
      try {
        s = new RawStream(await openStream(node, options.target, protocol, 10_000), 16 * 1024 * 1024)
      } catch {
        result.refused++
      }
      if (s != null) {
        for (const piece of batch) {
          if (!await s.send(piece)) {
            result.cutShort++
            break
          }
          result.frames++
          result.bytes += piece.byteLength
        }
        await s.finish(5000)
        await Promise.race([s.closed, new Promise(resolve => setTimeout(resolve, 5000))])
        result.answers += s.frames.length
        s.abort()
      }
      if (s == null || result.runs % checkEvery === 0) {
        result.livenessChecks++
        if (!await answers(node, options.target, options.protocol)) {
          throw new Error(`the target stopped answering on ${protocol} after ${result.frames} frames`)
        }
      }
      return true
    }), { numRuns: runs, seed: options.seed, endOnFailure: true, verbose: 0 })
  } catch (err) {
    result.failure = (err as Error).message.slice(0, 2000)
  } finally {
    await node.stop()
  }
  return result
}
