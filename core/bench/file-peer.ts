// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The sending end of the file bench, in its own process: a node with the messenger's transport
 * stack that serves the chunk store at its first argument on `/sotto/file/1.0.0`, and on
 * `/bench/raw/1.0.0` streams as many bytes as the store's sealed chunks hold, in 64 KiB writes that
 * wait for 'drain' (the raw baseline on the same path). Prints its address, serves until stdin closes.
 */
import { noise } from '@libp2p/noise'
import { createLibp2p } from 'libp2p'
import { ChunkStore, handleFiles } from '../src/files/index.js'
import { coalescingTcp } from '../src/net/tcp.js'
import { halfWindowYamux } from '../src/net/yamux.js'
import { FRAMED_STREAM_OPTIONS } from '../src/protocol/index.js'
import type { Stream } from '@libp2p/interface'

const dir = process.argv[2] ?? ''
const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [coalescingTcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [halfWindowYamux({ streamOptions: FRAMED_STREAM_OPTIONS })]
})
const quiet = { debug () {}, info () {}, warn () {}, error () {} }
await handleFiles(node, async () => ChunkStore.open(dir), quiet)
await node.handle('/bench/raw/1.0.0', (stream: Stream) => {
  void (async () => {
    const store = await ChunkStore.open(dir)
    const total = store?.sealedBytes ?? 0
    await store?.close()
    const piece = new Uint8Array(64 * 1024 + 16)
    for (let sent = 0; sent < total; sent += piece.byteLength) {
      if (!stream.send(piece.subarray(0, Math.min(piece.byteLength, total - sent)))) {
        await new Promise(resolve => { stream.addEventListener('drain', resolve, { once: true }) })
      }
    }
    await stream.close()
  })().catch((err: Error) => { stream.abort(err) })
})
process.stdout.write(JSON.stringify({ addr: node.getMultiaddrs()[0]?.toString() }) + '\n')
process.stdin.resume()
process.stdin.on('end', () => { void (async () => { await node.stop(); process.exit(0) })() })
