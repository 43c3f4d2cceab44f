// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The far end of the bench's raw libp2p baseline, run as its own process so that the baseline
 * crosses processes as Sotto's path does: a plain libp2p node (TCP, Noise, yamux) that answers
 * each one-byte frame on the protocol named by its first argument with one byte. It prints its
 * addresses, then serves until its stdin closes.
 */
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'

const protocol = process.argv[2] ?? '/bench/1.0.0'
const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()]
})
await node.handle(protocol, async (stream) => {
  const lp = lpStream(stream, { maxDataLength: 1 << 20 })
  while (true) {
    const frame = await lp.read().catch(() => null)
    if (frame == null) break
    if (frame.byteLength > 1) continue
    await lp.write(new Uint8Array([1]))
  }
})
process.stdout.write(JSON.stringify({ addrs: node.getMultiaddrs().map(String) }) + '\n')
process.stdin.resume()
process.stdin.on('end', () => { void (async () => { await node.stop(); process.exit(0) })() })
