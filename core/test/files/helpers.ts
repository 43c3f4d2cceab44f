// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test helpers for file transfers: libp2p nodes with the messenger's transport stack on loopback,
 * a large plaintext made on the fly (so the test process does not hold it), and a scan of a
 * directory's raw bytes for a marker.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { noise } from '@libp2p/noise'
import { createLibp2p } from 'libp2p'
import { coalescingTcp } from '../../src/net/tcp.js'
import { halfWindowYamux } from '../../src/net/yamux.js'
import { FRAMED_STREAM_OPTIONS } from '../../src/protocol/index.js'
import { ChunkStore, readPlaintext } from '../../src/files/index.js'
import type { FileSecrets, FileSource } from '../../src/files/index.js'
import type { Libp2p } from '@libp2p/interface'
import type { Logger } from '../../src/logger.js'

/** A marker written into every 4 KiB of test plaintext; it must never appear on disk. */
export const MARKER = Buffer.from('SOTTO-PLAINTEXT-MARKER-7f3a')

const BLOCK = randomBytes(1024 * 1024)

/** Bytes of a test file at `offset`: random-looking, the marker and the offset in each 4 KiB. */
export function plaintextAt (offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length;) {
    const at = offset + i
    const inPage = at % 4096
    const n = Math.min(length - i, 4096 - inPage)
    const page = Buffer.alloc(4096)
    BLOCK.copy(page, 0, (at - inPage) % BLOCK.length, (at - inPage) % BLOCK.length + 4096)
    MARKER.copy(page, 0)
    page.writeDoubleBE(at - inPage, MARKER.length)
    out.set(page.subarray(inPage, inPage + n), i)
    i += n
  }
  return out
}

/** SHA-256 of the test file of `size` bytes. */
export function plaintextHash (size: number): string {
  const h = createHash('sha256')
  for (let o = 0; o < size; o += 1024 * 1024) h.update(plaintextAt(o, Math.min(1024 * 1024, size - o)))
  return h.digest('hex')
}

/** SHA-256 of the plaintext held in a complete chunk store. */
export async function storedHash (dir: string, secrets: FileSecrets): Promise<string> {
  const store = await ChunkStore.open(dir)
  if (store == null) throw new Error(`no chunk store at ${dir}`)
  try {
    const h = createHash('sha256')
    for await (const piece of readPlaintext(store, secrets)) h.update(piece)
    return h.digest('hex')
  } finally {
    await store.close()
  }
}

/** A libp2p node like the messenger's (TCP, Noise, yamux with framed stream options) on loopback. */
export async function fileNode (): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [coalescingTcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [halfWindowYamux({ streamOptions: FRAMED_STREAM_OPTIONS })]
  })
}

/** A fresh temporary directory. */
export async function tempDir (prefix = 'sotto-files-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** Removes directories. */
export async function removeDirs (...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map(async d => rm(d, { recursive: true, force: true })))
}

/** Paths of files under `dir` whose raw bytes contain `marker`. */
export async function filesContaining (dir: string, marker: Uint8Array): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if ((await readFile(path)).includes(Buffer.from(marker))) found.push(path)
  }
  return found
}

/** A logger that drops everything. */
export const quietLog: Logger = { debug () {}, info () {}, warn () {}, error () {} }

/** Samples this process's RSS every 20 ms until stopped; returns the peak. */
export function rssSampler (): { stop(): number } {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 20)
  return {
    stop: () => {
      clearInterval(timer)
      return Math.max(peak, process.memoryUsage.rss())
    }
  }
}

/** Serves the chunk store at `dir` (for any file id), calling `onRead` after each chunk it reads. */
export function countingSource (dir: string, onRead: () => void): FileSource {
  return async () => {
    const store = await ChunkStore.open(dir)
    if (store == null) return undefined
    const read = store.read.bind(store)
    store.read = async (i) => {
      const sealed = await read(i)
      onRead()
      return sealed
    }
    return store
  }
}
