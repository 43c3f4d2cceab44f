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
  /** Frames the target must answer, at least (for relay-info, which reads nothing: frames to send). */
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
  /** Frames the target answered (read, handled and answered). */
  answers: number
  /** Streams the target closed or reset before we finished writing. */
  cutShort: number
  /** Streams refused: the target was busy, had closed the connection (relays close one that sends unreadable frames), or was gone. */
  refused: number
  livenessChecks: number
  /** Answers by status (mailbox: the Status name's number; message: the receipt status). */
  statuses: Record<string, number>
  /** Set when the target stopped answering: the property's failure. */
  failure?: string
}

/** One piece of a batch: bytes written as they are (length prefix included, or deliberately wrong). */
type Piece = Uint8Array

const ENVELOPE_BUCKETS = [1024, 4096, 16384, 65536]

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() })
)
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never

/** Applies mutations to a copy of `bytes`: bit flips, overwrites, insertions, deletions, truncation. */
function mutate (bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(bytes)
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
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 })

/** Valid frames mutated anywhere: the framing inside may break. */
function mutated (seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...seeds), mutations).map(([seed, ms]) => mutate(seed, ms))
}

/**
 * Valid frames with one length-delimited field, one level down (`outer` of the top level, then
 * any of its fields), mutated: the frame still decodes, its content is wrong.
 */
function fieldMutated (seeds: Uint8Array[], outer: number[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...seeds), fc.nat(), mutations).map(([seed, pick, ms]) => {
    const top = decode(seed)
    const field = outer.find(f => top.has(f))
    if (field == null) return seed
    const inner = decode(top.get(field)?.[0] as Uint8Array)
    const names = [...inner.keys()].filter(k => inner.get(k)?.[0] instanceof Uint8Array)
    const target = names[pick % Math.max(1, names.length)]
    const rebuilt = encode([...inner.entries()].flatMap(([f, values]) => values.map(v =>
      v instanceof Uint8Array ? { field: f, bytes: f === target ? mutate(v, ms) : v } : { field: f, varint: v })))
    return encode([...top.entries()].flatMap(([f, values]) => values.map(v =>
      f === field ? { field: f, bytes: rebuilt } : v instanceof Uint8Array ? { field: f, bytes: v } : { field: f, varint: v })))
  })
}

/** Bytes of a length that matters (exact sizes, near the limits) or anything. */
function bytesAround (exact: number[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.constantFrom(...exact).chain(n => fc.uint8Array({ minLength: n, maxLength: n })),
    fc.uint8Array({ maxLength: 80 })
  )
}

/** Fields a decoder must skip (numbers above 15, unknown) or, among known numbers, refuse. */
function strayFields (min: number): fc.Arbitrary<PbField> {
  return fc.oneof(
    fc.record({ field: fc.integer({ min, max: 40 }), varint: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })) }),
    fc.record({ field: fc.integer({ min, max: 40 }), bytes: fc.uint8Array({ maxLength: 64 }) })
  )
}
const strayField = strayFields(1)
const unknownField = strayFields(16)

const goodId = fc.integer({ min: 1, max: 0xffffffff })
const oddId = fc.oneof(fc.constant(0), goodId, fc.bigInt({ min: 1n << 32n, max: 1n << 40n }))

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
function mailboxRequestFields (mailboxId: Uint8Array, token: Uint8Array, ids: fc.Arbitrary<number | bigint>, stray: fc.Arbitrary<PbField>): fc.Arbitrary<Uint8Array> {
  const owner = fc.tuple(bytesAround([32]), fc.oneof(ownerOpFields, fc.uint8Array({ maxLength: 200 })), bytesAround([64]))
    .map(([pk, op, sig]) => encode([{ field: 1, bytes: pk }, { field: 2, bytes: op }, { field: 3, bytes: sig }]))
  const deposit = fc.tuple(
    fc.oneof(fc.constant(mailboxId), bytesAround([32])), fc.oneof(fc.constant(token), bytesAround([32])),
    fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...ENVELOPE_BUCKETS).map(n => new Uint8Array(n))),
    fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 60, 0xffffffff))
  ).map(([m, t, e, ttl]) => encode([{ field: 1, bytes: m }, { field: 2, bytes: t }, { field: 3, bytes: e }, { field: 4, varint: ttl }]))
  return fc.tuple(
    ids,
    fc.array(fc.oneof(
      owner.map(b => ({ field: 2, bytes: b }) as PbField),
      deposit.map(b => ({ field: 3, bytes: b }) as PbField),
      fc.boolean().map(v => ({ field: 4, varint: v ? 1 : 0 }) as PbField),
      fc.boolean().map(v => ({ field: 5, varint: v ? 1 : 0 }) as PbField),
      stray
    ), { minLength: 0, maxLength: 3 })
  ).map(([id, fields]) => encode([{ field: 1, varint: id }, ...fields]))
}

/** An envelope built field by field, padded to a bucket or not. */
const envelopeFields: fc.Arbitrary<Uint8Array> = fc.tuple(bytesAround([16]), fc.uint8Array({ minLength: 0, maxLength: 900 }), fc.constantFrom(...ENVELOPE_BUCKETS), fc.boolean())
  .map(([id, sealed, bucket, pad]) => {
    const body = encode([{ field: 1, bytes: id }, { field: 2, bytes: sealed }])
    if (!pad) return body
    // Padding that makes the envelope exactly one bucket long, when it fits.
    const room = bucket - body.byteLength - 4
    return room > 0 ? concat([body, encode([{ field: 3, bytes: new Uint8Array(room) }])]).slice(0, bucket) : body
  })

/** A Deliver frame around an envelope that may be anything (1 byte to 64 KiB): the recipient answers each. */
function deliverFrames (seedEnvelopes: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    envelopeFields,
    fc.tuple(fc.constantFrom(...seedEnvelopes), mutations).map(([e, ms]) => mutate(e, ms)),
    fc.uint8Array({ minLength: 1, maxLength: 1500 })
  ).filter(e => e.byteLength >= 1 && e.byteLength <= 65536)
    .map(e => encode([{ field: 1, bytes: encode([{ field: 1, bytes: e }]) }]))
}

/** Frames that end a message stream: receipts from the wrong side, strays, both or neither field. */
const messageKillers: fc.Arbitrary<Uint8Array> = (() => {
  const receipt = fc.tuple(bytesAround([0, 16]), fc.integer({ min: 0, max: 5 }), fc.string({ maxLength: 300 }))
    .map(([id, status, reason]) => ({ field: 2, bytes: encode([{ field: 1, bytes: id }, { field: 2, varint: status }, { field: 3, bytes: new TextEncoder().encode(reason) }]) }) as PbField)
  const deliver = envelopeFields.map(e => ({ field: 1, bytes: encode([{ field: 1, bytes: e }]) }) as PbField)
  return fc.oneof(
    fc.array(fc.oneof(deliver, receipt, strayField), { minLength: 0, maxLength: 3 }).map(fields => encode(fields)),
    fc.uint8Array({ maxLength: 512 })
  )
})()

/** Framing itself gone wrong: overlong or huge length prefixes, a frame cut short, empty frames. */
const badFraming: fc.Arbitrary<Piece> = fc.oneof(
  fc.constant(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
  fc.integer({ min: 70_000, max: 2 ** 31 }).map(n => varint(n)),
  fc.tuple(fc.integer({ min: 2, max: 5000 }), fc.uint8Array({ maxLength: 64 })).map(([n, b]) => concat([varint(n), b.subarray(0, Math.min(b.byteLength, n - 1))])),
  fc.constant(Uint8Array.from([0]))
)

/**
 * Batches for one stream: frames the handler answers and goes on after, then now and then one
 * that ends the stream (a handler is right to stop reading there), then now and then broken framing.
 */
function batches (survivors: fc.Arbitrary<Uint8Array>, killers: fc.Arbitrary<Uint8Array>, max: number): fc.Arbitrary<Piece[]> {
  return fc.tuple(
    fc.array(survivors.map(lengthPrefixed), { minLength: 1, maxLength: max, size: 'max' }),
    fc.option(killers.map(lengthPrefixed), { freq: 3 }),
    fc.option(badFraming, { freq: 8 })
  ).map(([frames, killer, tail]) => [...frames, ...(killer != null ? [killer] : []), ...(tail != null ? [tail] : [])])
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

/** A well-formed (undecryptable) envelope of 1024 bytes. */
function seedEnvelope (): Uint8Array {
  const body = encode([{ field: 1, bytes: new Uint8Array(randomBytes(16)) }, { field: 2, bytes: new Uint8Array(randomBytes(600)) }])
  return concat([body, encode([{ field: 3, bytes: new Uint8Array(1024 - body.byteLength - 3) }])])
}

/** A well-formed Deliver frame around a well-formed (undecryptable) envelope. */
function messageSeed (): Uint8Array {
  return encode([{ field: 1, bytes: encode([{ field: 1, bytes: seedEnvelope() }]) }])
}

/**
 * Whether the target still answers a well-formed request: tried a few times over a few seconds,
 * since a relay closes a connection that sent unreadable frames and limits how fast one host
 * connects again.
 */
async function answers (node: Libp2p, target: string, protocol: FuzzProtocol): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await answersOnce(node, target, protocol)) return true
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  return false
}

async function answersOnce (node: Libp2p, target: string, protocol: FuzzProtocol): Promise<boolean> {
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
  const result: FuzzResult = { protocol: options.protocol, seed: options.seed, runs: 0, frames: 0, bytes: 0, answers: 0, cutShort: 0, refused: 0, livenessChecks: 0, statuses: {} }
  const batchMax = options.batch ?? 64
  const checkEvery = options.checkEvery ?? 10
  try {
    let survivors: fc.Arbitrary<Uint8Array>
    let killers: fc.Arbitrary<Uint8Array>
    let protocol: string
    if (options.protocol === 'mailbox') {
      const { seeds, mailboxId, token } = await mailboxSeeds(node, options.target)
      survivors = fc.oneof(
        { arbitrary: mailboxRequestFields(mailboxId, token, goodId, unknownField), weight: 5 },
        { arbitrary: fieldMutated(seeds, [2, 3]), weight: 5 }
      )
      killers = fc.oneof(mailboxRequestFields(mailboxId, token, oddId, strayField), mutated(seeds), fc.uint8Array({ maxLength: 512 }))
      protocol = MAILBOX_PROTOCOL
    } else if (options.protocol === 'message') {
      survivors = deliverFrames([seedEnvelope(), seedEnvelope()])
      killers = fc.oneof(messageKillers, mutated([messageSeed()]))
      protocol = MESSAGE_PROTOCOL
    } else {
      survivors = fc.uint8Array({ maxLength: 256 })
      killers = fc.uint8Array({ maxLength: 4096 })
      protocol = RELAY_INFO_PROTOCOL
    }
    // Rounds of 100 runs, each with its own seed (`seed + round`), until enough frames went out.
    const property = fc.asyncProperty(batches(survivors, killers, batchMax), async (batch) => {
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
        for (const f of s.frames) {
          let key = 'undecodable'
          try {
            const fields = decode(f)
            key = options.protocol === 'message' ? `receipt:${String(decode(fields.get(2)?.[0] as Uint8Array).get(2)?.[0] ?? 0)}` : `status:${String(fields.get(2)?.[0] ?? 0)}`
          } catch {}
          result.statuses[key] = (result.statuses[key] ?? 0) + 1
        }
        s.abort()
      }
      if (s == null || result.runs % checkEvery === 0) {
        result.livenessChecks++
        if (!await answers(node, options.target, options.protocol)) {
          throw new Error(`the target stopped answering on ${protocol} after ${result.frames} frames`)
        }
      }
      return true
    })
    // The relay-info handler reads nothing: there, frames sent count; elsewhere, frames answered.
    const enough = (): boolean => options.protocol === 'relay-info' ? result.frames >= options.frames : result.answers >= options.frames
    for (let round = 0; !enough(); round++) {
      await fc.assert(property, { numRuns: 100, seed: options.seed + round, endOnFailure: true, verbose: 0 })
    }
  } catch (err) {
    result.failure = (err as Error).message.slice(0, 2000)
  } finally {
    await node.stop()
  }
  return result
}

/**
 * Sends `count` Deliver frames of `envelopeBytes`-byte envelopes (well padded, undecryptable) in one
 * burst on one stream, as a sender's courier pipelines them; resolves with how many the recipient
 * answered before the stream ended, and how it ended.
 */
export async function deliverBurst (target: string, count: number, envelopeBytes: number): Promise<{ answered: number, sent: number, error?: string }> {
  const node = await clientNode()
  try {
    const s = new RawStream(await openStream(node, target, MESSAGE_PROTOCOL, 10_000))
    let sent = 0
    for (let i = 0; i < count; i++) {
      const body = encode([{ field: 1, bytes: new Uint8Array(randomBytes(16)) }, { field: 2, bytes: new Uint8Array(randomBytes(Math.min(600, envelopeBytes - 40))) }])
      const pad = envelopeBytes - body.byteLength - 1 - varint(envelopeBytes).byteLength
      const envelope = concat([body, encode([{ field: 3, bytes: new Uint8Array(Math.max(0, pad)) }])]).slice(0, envelopeBytes)
      if (!await s.send(lengthPrefixed(encode([{ field: 1, bytes: encode([{ field: 1, bytes: envelope }]) }])))) break
      sent++
    }
    await s.waitFrames(count, 30_000)
    const answered = s.frames.length
    await s.finish(2000)
    return { answered, sent, ...(s.error != null ? { error: s.error } : {}) }
  } finally {
    await node.stop()
  }
}
