// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { InvalidInputError, TooLargeError } from '../../src/errors.js'
import {
  decodeEnvelope, encodeEnvelope, frames, MAX_MESSAGE_FRAME_BYTES, MESSAGE_PROTOCOL, messageFrameCodec, newEnvelopeId
} from '../../src/protocol/index.js'
import { toHex } from './fixtures.js'
import { frameFromJson, VECTORS_PATH } from './vector-format.js'
import type { Vectors } from './vector-format.js'
import type { FrameCodec, MessageFrame } from '../../src/protocol/index.js'
import type { Libp2p, Stream } from '@libp2p/interface'

const ECHO_PROTOCOL = '/sotto-test/frames/1.0.0'
const RAW_PROTOCOL = '/sotto-test/raw/1.0.0'

/** A codec for UTF-8 strings, to test framing apart from any message format. */
const textCodec: FrameCodec<string> = {
  encode: text => new TextEncoder().encode(text),
  decode: bytes => new TextDecoder().decode(bytes)
}

async function node (): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
}

/** A promise with its resolve function (Promise.withResolvers is ES2024). */
interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
}

function deferred<T> (): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>(r => { resolve = r })
  return { promise, resolve }
}

/** Settles with what the next read on the server side gives: a value, undefined, or an error. */
interface ServerRead {
  value?: unknown
  error?: Error
  streamStatus: string
}

describe('frames over libp2p (tcp + noise + yamux on 127.0.0.1)', () => {
  let alice: Libp2p
  let bob: Libp2p
  // Every stream Bob receives on ECHO_PROTOCOL reports its reads here, in order.
  const serverReads: Array<Deferred<ServerRead[]>> = []
  let nextServer = 0

  before(async () => {
    alice = await node()
    bob = await node()
    // Bob answers Deliver frames with STORED receipts until the sender closes.
    await bob.handle(MESSAGE_PROTOCOL, async (stream: Stream) => {
      const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
      try {
        for (let frame = await f.read(); frame !== undefined; frame = await f.read()) {
          if (frame.deliver == null) throw new Error('expected Deliver')
          await f.write({ receipt: { id: decodeEnvelope(frame.deliver.envelope).id, status: 'STORED' } })
        }
        await stream.close()
      } catch {
        // frames() has aborted the stream: the peer sees a reset.
      }
    })
    // Bob answers string frames of at most 64 bytes in capitals, and records every outcome.
    await bob.handle(ECHO_PROTOCOL, async (stream: Stream) => {
      const report = serverReads[nextServer++]
      const reads: ServerRead[] = []
      const f = frames(stream, textCodec, { maxBytes: 64 })
      try {
        while (true) {
          const value = await f.read()
          reads.push({ value, streamStatus: stream.status })
          if (value === undefined) break
          await f.write(value.toUpperCase())
        }
        await stream.close()
      } catch (err) {
        reads.push({ error: err as Error, streamStatus: stream.status })
        stream.abort(err as Error)
      }
      report?.resolve(reads)
    })
  })

  after(async () => {
    await alice?.stop()
    await bob?.stop()
  })

  /** Opens an echo stream; resolves to Bob's record of its reads once his handler is done. */
  async function openEcho (): Promise<{ stream: Stream, server: Promise<ServerRead[]> }> {
    const report = deferred<ServerRead[]>()
    serverReads.push(report)
    const stream = await alice.dialProtocol(bob.getMultiaddrs(), ECHO_PROTOCOL)
    return { stream, server: report.promise }
  }

  it('delivers envelopes and reads receipts in order, then sees the end of the stream', async () => {
    const stream = await alice.dialProtocol(bob.getMultiaddrs(), MESSAGE_PROTOCOL)
    const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
    const ids = [newEnvelopeId(), newEnvelopeId(), newEnvelopeId()]
    // Pipelined: all three go out before any receipt is read; the last is the largest envelope.
    for (const [i, id] of ids.entries()) {
      const sealed = new Uint8Array(i === 2 ? 65_000 : 100).fill(i)
      await f.write({ deliver: { envelope: encodeEnvelope({ id, sealed }) } })
    }
    await stream.close()
    const receipts: MessageFrame[] = []
    for (let frame = await f.read(); frame !== undefined; frame = await f.read()) receipts.push(frame)
    assert.deepEqual(receipts, ids.map(id => ({ receipt: { id, status: 'STORED' } })))
  })

  it('carries string frames both ways and ends cleanly', async () => {
    const { stream, server } = await openEcho()
    const f = frames(stream, textCodec, { maxBytes: 64 })
    await f.write('one')
    await f.write('')
    assert.equal(await f.read(), 'ONE')
    assert.equal(await f.read(), '')
    await stream.close()
    assert.equal(await f.read(), undefined)
    assert.deepEqual((await server).map(r => r.value), ['one', '', undefined])
  })

  it('refuses to write a frame over the maximum, sending nothing', async () => {
    const { stream, server } = await openEcho()
    const f = frames(stream, textCodec, { maxBytes: 64 })
    await assert.rejects(f.write('x'.repeat(65)), TooLargeError)
    await f.write('x'.repeat(64))
    await stream.close()
    assert.equal(await f.read(), 'X'.repeat(64))
    assert.deepEqual((await server).map(r => r.value), ['x'.repeat(64), undefined])
  })

  it('refuses an oversize frame from a peer by its length prefix, and keeps serving', async () => {
    const { stream, server } = await openEcho()
    // A raw writer that ignores the limit: a 1 MiB frame announced, a little of it sent.
    const raw = lpStream(stream)
    const announced = new Uint8Array(1024 * 1024)
    raw.write(announced).catch(() => {})
    const reads = await server
    assert.equal(reads.length, 1)
    // A three-byte prefix where one byte is all a length of at most 64 needs: refused as malformed.
    assert.ok(reads[0]?.error instanceof InvalidInputError, String(reads[0]?.error))
    assert.equal(reads[0]?.streamStatus, 'aborted')

    // Bob is still up, on the same connection, for the next stream.
    const next = await openEcho()
    const f = frames(next.stream, textCodec, { maxBytes: 64 })
    await f.write('still there?')
    assert.equal(await f.read(), 'STILL THERE?')
    await next.stream.close()
    assert.deepEqual((await next.server).map(r => r.value), ['still there?', undefined])
  })

  it('refuses a frame one byte over the maximum', async () => {
    const { stream, server } = await openEcho()
    stream.send(new Uint8Array([65, ...new Uint8Array(65)]))
    const reads = await server
    assert.ok(reads[0]?.error instanceof TooLargeError, String(reads[0]?.error))
    assert.match(reads[0]?.error?.message ?? '', /65 bytes exceeds 64/)
  })

  it('refuses a length prefix longer than any allowed length', async () => {
    const { stream, server } = await openEcho()
    stream.send(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]))
    const reads = await server
    assert.ok(reads[0]?.error instanceof InvalidInputError, String(reads[0]?.error))
    assert.match(reads[0]?.error?.message ?? '', /length prefix/)
  })

  it('refuses a frame cut short by the end of the stream', async () => {
    const { stream, server } = await openEcho()
    stream.send(new Uint8Array([40, 1, 2, 3]))
    await stream.close()
    const reads = await server
    assert.ok(reads[0]?.error instanceof InvalidInputError, String(reads[0]?.error))
    assert.match(reads[0]?.error?.message ?? '', /ended inside a frame/)
  })

  it('refuses a frame its codec cannot decode, and aborts the stream', async () => {
    const stream = await alice.dialProtocol(bob.getMultiaddrs(), MESSAGE_PROTOCOL)
    const closed = new Promise<Event>(resolve => stream.addEventListener('close', resolve, { once: true }))
    // A well-framed message that is not a MessageFrame: Bob's reader throws and resets the stream.
    lpStream(stream).write(new Uint8Array([0xff, 0xff, 0xff])).catch(() => {})
    await closed
    assert.ok(stream.status === 'reset' || stream.status === 'aborted', stream.status)
    // The handler's error did not take Bob down: a new stream works.
    const f = frames(await alice.dialProtocol(bob.getMultiaddrs(), MESSAGE_PROTOCOL), messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
    const id = newEnvelopeId()
    await f.write({ deliver: { envelope: encodeEnvelope({ id, sealed: new Uint8Array(10) }) } })
    assert.deepEqual(await f.read(), { receipt: { id, status: 'STORED' } })
  })

  it('puts on the wire exactly the framed bytes of the test vectors', async () => {
    const vectors = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors
    const received = deferred<string>()
    await bob.handle(RAW_PROTOCOL, async (stream: Stream) => {
      const chunks: string[] = []
      for await (const chunk of stream) chunks.push(toHex(chunk.subarray()))
      received.resolve(chunks.join(''))
      await stream.close()
    })
    const stream = await alice.dialProtocol(bob.getMultiaddrs(), RAW_PROTOCOL)
    const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
    for (const v of vectors.messageFrames) await f.write(frameFromJson(v.frame))
    await stream.close()
    assert.equal(await received.promise, vectors.messageFrames.map(v => v.framed).join(''))
  })

  it('checks its options', () => {
    assert.throws(() => frames({} as Stream, textCodec, { maxBytes: 0 }), InvalidInputError)
  })
})
