// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Frames over real libp2p streams on loopback: any frame sizes round-trip, and a length prefix
 * that is too large or never ends is refused before anything else is read.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import fc from 'fast-check'
import { createLibp2p } from 'libp2p'
import { encodeVarint, frameStream, varintLength } from '../../src/mailbox/index.js'
import type { Libp2p, Stream } from '@libp2p/interface'

const PROTOCOL = '/sotto-test/frames/1.0.0'
const MAX = 70_000

async function node (listen: string[]): Promise<Libp2p> {
  return createLibp2p({ addresses: { listen }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
}

describe('frameStream', () => {
  let a: Libp2p
  let b: Libp2p
  const inbound: Stream[] = []
  const waiting: Array<(s: Stream) => void> = []

  before(async () => {
    a = await node(['/ip4/127.0.0.1/tcp/0'])
    b = await node([])
    await a.handle(PROTOCOL, (stream) => {
      const w = waiting.shift()
      if (w != null) w(stream)
      else inbound.push(stream)
    })
  })

  after(async () => {
    await b.stop()
    await a.stop()
  })

  async function pair (): Promise<[Stream, Stream]> {
    const accepted = new Promise<Stream>((resolve) => {
      const s = inbound.shift()
      if (s != null) resolve(s)
      else waiting.push(resolve)
    })
    const out = await b.dialProtocol(a.getMultiaddrs()[0]!, PROTOCOL)
    return [out, await accepted]
  }

  it('round-trips any frames, in any split', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: MAX })), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 64, max: 80_000 }),
      async (sizes, chunk) => {
        const [out, inn] = await pair()
        const frames = sizes.map((n, i) => new Uint8Array(n).fill(i + 1))
        const wire = Buffer.concat(frames.flatMap(f => [Buffer.from(encodeVarint(f.byteLength)), Buffer.from(f)]))
        for (let at = 0; at < wire.byteLength; at += chunk) out.send(wire.subarray(at, at + chunk))
        await out.close()
        const reader = frameStream(inn, MAX)
        for (const f of frames) {
          const got = await reader.read()
          assert.ok(got != null)
          assert.equal(Buffer.compare(Buffer.from(got.subarray()), Buffer.from(f)), 0)
        }
        assert.equal(await reader.read(), null, 'a clean end between frames reads as null')
        await inn.close()
      }), { numRuns: 40 })
  })

  it('pauses the stream while frames wait unread, and resumes as they are read', async () => {
    const [out, inn] = await pair()
    const reader = frameStream(inn, MAX, 2000)
    const frames = Array.from({ length: 200 }, (_, i) => new Uint8Array(500).fill(i % 256))
    const writer = frameStream(out, MAX)
    let sent = 0
    const paused = new Promise<void>((resolve) => {
      const check = (): void => {
        if (inn.readStatus === 'paused') resolve()
        else if (sent < frames.length) void writer.write(frames[sent++]!).then(check)
      }
      check()
    })
    await paused
    assert.ok(sent < frames.length, 'the reader paused before everything was sent')
    const rest = (async () => {
      while (sent < frames.length) await writer.write(frames[sent++]!)
      await out.close()
    })()
    for (const f of frames) {
      const got = await reader.read()
      assert.ok(got != null)
      assert.equal(Buffer.compare(Buffer.from(got.subarray()), Buffer.from(f)), 0)
    }
    await rest
    assert.equal(await reader.read(), null)
    assert.notEqual(inn.status, 'aborted')
  })

  it('refuses a length above the maximum without reading on', async () => {
    const [out, inn] = await pair()
    out.send(encodeVarint(MAX + 1))
    await assert.rejects(frameStream(inn, MAX).read(), { name: 'TooLargeError' })
    out.abort(new Error('done'))
  })

  it('refuses a length prefix that does not end within the bytes the maximum needs', async () => {
    const [out, inn] = await pair()
    out.send(new Uint8Array(varintLength(MAX)).fill(0x80))
    await assert.rejects(frameStream(inn, MAX).read(), { name: 'InvalidInputError' })
    out.abort(new Error('done'))
  })

  it('encodes varints as protobuf does', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
      const v = encodeVarint(n)
      assert.equal(v.byteLength, varintLength(n))
      let back = 0
      let scale = 1
      for (const byte of v) {
        back += (byte & 0x7f) * scale
        scale *= 128
      }
      assert.equal(back, n)
      assert.equal(v[v.byteLength - 1]! & 0x80, 0)
    }))
  })
})
