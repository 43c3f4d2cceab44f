// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sotto's yamux grants receive window at half, so a request answered after a pause costs the
 * answering side one write instead of two; a bulk transfer still flows.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { noise } from '@libp2p/noise'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { coalescingTcp } from '../../src/net/tcp.js'
import { halfWindowYamux } from '../../src/net/yamux.js'
import { countSocketWrites, socketsOf } from './socket-writes.js'
import type { Libp2p, StreamMuxerFactory } from '@libp2p/interface'
import type { Socket } from 'node:net'

const PROTOCOL = '/sotto-test/window/1.0.0'
const ROUNDS = 30

/** A stream muxer as libp2p's options take it. */
type Muxer = () => StreamMuxerFactory

const nodes: Libp2p[] = []

async function pair (muxer: Muxer): Promise<[Libp2p, Libp2p]> {
  const make = async (): Promise<Libp2p> => {
    const node = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [coalescingTcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [muxer]
    })
    nodes.push(node)
    return node
  }
  return [await make(), await make()]
}

/** Socket writes of `sockets` while `work` runs. */
async function writesDuring (sockets: () => Socket[], work: () => Promise<void>): Promise<number> {
  const spy = countSocketWrites()
  try {
    await work()
    return sockets().reduce((n, s) => n + spy.count(s), 0)
  } finally {
    spy.restore()
  }
}

/**
 * {@link ROUNDS} requests, each answered after a pause (as a receipt follows a synced write);
 * returns the answering node's socket writes.
 */
async function answeredAfterPause (muxer: Muxer): Promise<number> {
  const [a, b] = await pair(muxer)
  await b.handle(PROTOCOL, async (stream) => {
    const lp = lpStream(stream)
    for (let i = 0; i < ROUNDS + 1; i++) {
      const request = await lp.read()
      await new Promise(resolve => setTimeout(resolve, 3))
      await lp.write(request.subarray())
    }
  })
  const lp = lpStream(await a.dialProtocol(b.getMultiaddrs(), PROTOCOL))
  // One round opens the stream; then watch the answering side.
  await lp.write(new Uint8Array(100))
  await lp.read()
  return await writesDuring(() => socketsOf(b), async () => {
    for (let i = 0; i < ROUNDS; i++) {
      await lp.write(randomBytes(100))
      await lp.read()
    }
  })
}

describe('net yamux: receive window granted at half', () => {
  after(async () => {
    await Promise.all(nodes.map(async n => { await n.stop() }))
  })

  it(`answers ${ROUNDS} paused requests in one write each, where libp2p's yamux takes two`, async (t) => {
    const stock = await answeredAfterPause(yamux())
    const ours = await answeredAfterPause(halfWindowYamux())
    t.diagnostic(`answering side's socket writes: libp2p's yamux ${stock}, Sotto's ${ours}`)
    assert.ok(stock >= 2 * ROUNDS - 2, `libp2p's yamux: ${stock} writes`)
    assert.ok(ours <= ROUNDS + 2, `Sotto's yamux: ${ours} writes for ${ROUNDS} answers`)
  })

  it('carries 8 MiB in one stream intact, across many windows', async () => {
    const [a, b] = await pair(halfWindowYamux())
    const received = new Promise<{ bytes: number, digest: string }>(resolve => {
      void b.handle(PROTOCOL, async (stream) => {
        const hash = createHash('sha256')
        let bytes = 0
        for await (const chunk of stream) {
          hash.update(chunk.subarray())
          bytes += chunk.byteLength
        }
        resolve({ bytes, digest: hash.digest('hex') })
      })
    })
    const stream = await a.dialProtocol(b.getMultiaddrs(), PROTOCOL)
    const sent = createHash('sha256')
    for (let i = 0; i < 128; i++) {
      const chunk = randomBytes(64 * 1024)
      sent.update(chunk)
      if (!stream.send(chunk)) await new Promise(resolve => stream.addEventListener('drain', resolve, { once: true }))
    }
    await stream.close()
    assert.deepEqual(await received, { bytes: 8 * 1024 * 1024, digest: sent.digest('hex') })
  })
})
