// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sotto's TCP transport sends what one turn of the event loop writes to a connection in one write
 * to the socket, where libp2p's own makes one per frame; the bytes arrive all the same.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { coalescingTcp } from '../../src/net/tcp.js'
import { countSocketWrites, socketsOf } from './socket-writes.js'
import type { Libp2p } from '@libp2p/interface'

const PROTOCOL = '/sotto-test/frames/1.0.0'
const FRAMES = 20

/** Writes {@link FRAMES} small frames in one turn; returns the dialler's socket writes and what arrived. */
async function oneTurnOfFrames (transport: typeof tcp, nodes: Libp2p[]): Promise<{ writes: number, received: number[] }> {
  const make = async (): Promise<Libp2p> => {
    const node = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [transport()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()]
    })
    nodes.push(node)
    return node
  }
  const [a, b] = [await make(), await make()]
  const received: number[] = []
  const all = new Promise<void>(resolve => {
    void b.handle(PROTOCOL, async (stream) => {
      const lp = lpStream(stream)
      while (received.length < FRAMES) received.push((await lp.read()).subarray()[0] ?? -1)
      resolve()
    })
  })
  const stream = await a.dialProtocol(b.getMultiaddrs(), PROTOCOL)
  const lp = lpStream(stream)
  // Let the stream's opening settle, then watch the dialler's sockets.
  await new Promise(resolve => setTimeout(resolve, 100))
  const spy = countSocketWrites()
  try {
    await Promise.all(Array.from({ length: FRAMES }, async (_, i) => lp.write(new Uint8Array([i]))))
    await all
    let writes = 0
    for (const s of socketsOf(a)) writes += spy.count(s)
    return { writes, received }
  } finally {
    spy.restore()
  }
}

describe('tcp transport', () => {
  const nodes: Libp2p[] = []
  after(async () => { await Promise.all(nodes.map(async n => n.stop())) })

  it('sends what one turn writes to a connection in one socket write', async () => {
    const plain = await oneTurnOfFrames(tcp, nodes)
    const coalesced = await oneTurnOfFrames(coalescingTcp, nodes)
    const inOrder = Array.from({ length: FRAMES }, (_, i) => i)
    assert.deepEqual(plain.received, inOrder)
    assert.deepEqual(coalesced.received, inOrder)
    assert.ok(plain.writes >= FRAMES, `libp2p's own transport wrote ${plain.writes} times`)
    assert.ok(coalesced.writes <= 2, `${coalesced.writes} socket writes for one turn`)
  })
})
