// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A receiver against a lying sender, over a real libp2p stream: tampered, reordered, truncated and
 * foreign chunks and hash lists are refused before anything wrong is stored, an oversize frame is
 * refused from its length prefix, and what was stored before the lie is kept, so an honest sender
 * then completes the file.
 */
import assert from 'node:assert/strict'
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { FileIntegrityError, ProtocolError, TooLargeError } from '../../src/errors.js'
import {
  ChunkStore, FILE_PROTOCOL, FileStatus, MAX_FILE_FRAME_BYTES, fetchFile, fileFrames, handleFiles, sealToStore, sendHashes
} from '../../src/files/index.js'
import { encodeVarint } from '../../src/protocol/wire.js'
import { fileNode, plaintextAt, plaintextHash, quietLog, removeDirs, storedHash, tempDir } from './helpers.js'
import type { FileFrame, FileSecrets } from '../../src/files/index.js'
import type { Frames } from '../../src/protocol/index.js'
import type { Libp2p, Stream } from '@libp2p/interface'

const SIZE = 20 * 64 * 1024 - 5000

type Lie = (f: Frames<FileFrame>, stream: Stream) => Promise<void>

describe('file protocol: a lying sender', { timeout: 60_000 }, () => {
  let liar: Libp2p
  let honest: Libp2p
  let receiver: Libp2p
  let dir: string
  let file: ChunkStore
  let foreign: ChunkStore
  let secrets: FileSecrets
  let lie: Lie

  before(async () => {
    dir = await tempDir()
    ;[liar, honest, receiver] = await Promise.all([fileNode(), fileNode(), fileNode()])
    const a = await sealToStore(join(dir, 'a'), SIZE, async (o, l) => plaintextAt(o, l))
    const b = await sealToStore(join(dir, 'b'), SIZE, async (o, l) => plaintextAt(o, l))
    file = a.store
    foreign = b.store
    secrets = a.secrets
    await liar.handle(FILE_PROTOCOL, (stream: Stream) => {
      const f = fileFrames(stream)
      void f.read().then(async () => { await lie(f, stream) }).catch(() => {})
    })
    await handleFiles(honest, async () => ChunkStore.open(join(dir, 'a')), quietLog)
  })

  after(async () => {
    await file?.close()
    await foreign?.close()
    await Promise.all([liar, honest, receiver].map(async n => n?.stop()))
    await removeDirs(dir)
  })

  async function fetchFromLiar (name: string, how: Lie): Promise<{ dir: string, err: unknown }> {
    lie = how
    const into = join(dir, name)
    const err = await fetchFile(receiver, liar.getMultiaddrs()[0]!, secrets, into).then(() => undefined, (e: unknown) => e)
    return { dir: into, err }
  }

  async function held (at: string): Promise<number[]> {
    const store = await ChunkStore.open(at)
    if (store == null) return []
    const out = Array.from({ length: store.count }, (_, i) => i).filter(i => store.has(i))
    await store.close()
    return out
  }

  const chunk = async (f: Frames<FileFrame>, index: number, sealed: Uint8Array): Promise<void> => {
    await f.write({ chunk: { index, sealed: new Uint8Array(sealed) } })
  }

  it('refuses a tampered chunk and keeps the good ones before it', async () => {
    const { dir: at, err } = await fetchFromLiar('tampered', async (f) => {
      await sendHashes(f, file.hashes())
      await chunk(f, 0, await file.read(0))
      const bad = await file.read(1)
      bad[100] = (bad[100] ?? 0) ^ 1
      await chunk(f, 1, bad)
    })
    assert.ok(err instanceof FileIntegrityError, String(err))
    assert.deepEqual(await held(at), [0])
  })

  it('refuses a chunk sent under another index', async () => {
    const { dir: at, err } = await fetchFromLiar('reordered', async (f) => {
      await sendHashes(f, file.hashes())
      await chunk(f, 0, await file.read(1))
    })
    assert.ok(err instanceof FileIntegrityError, String(err))
    assert.deepEqual(await held(at), [])
  })

  it('refuses a chunk of another file', async () => {
    const { dir: at, err } = await fetchFromLiar('foreign-chunk', async (f) => {
      await sendHashes(f, file.hashes())
      await chunk(f, 0, await foreign.read(0))
    })
    assert.ok(err instanceof FileIntegrityError, String(err))
    assert.deepEqual(await held(at), [])
  })

  it('refuses the hash list of another file before accepting any chunk', async () => {
    const { dir: at, err } = await fetchFromLiar('foreign-hashes', async (f) => {
      await sendHashes(f, foreign.hashes())
      for (let i = 0; i < foreign.count; i++) await chunk(f, i, await foreign.read(i))
    })
    assert.ok(err instanceof FileIntegrityError, String(err))
    await assert.rejects(access(at), 'no chunk store was made')
  })

  it('refuses a hash list cut short', async () => {
    const { err } = await fetchFromLiar('short-hashes', async (f) => {
      await sendHashes(f, file.hashes().slice(0, -1))
      await chunk(f, 0, await file.read(0))
    })
    assert.ok(err instanceof FileIntegrityError || err instanceof ProtocolError, String(err))
  })

  it('refuses a chunk cut short', async () => {
    const { dir: at, err } = await fetchFromLiar('short-chunk', async (f) => {
      await sendHashes(f, file.hashes())
      await chunk(f, 0, (await file.read(0)).subarray(0, 60_000))
    })
    assert.ok(err instanceof FileIntegrityError, String(err))
    assert.deepEqual(await held(at), [])
  })

  it('does not take a file without its last chunk as complete', async () => {
    const { dir: at, err } = await fetchFromLiar('truncated', async (f, stream) => {
      await sendHashes(f, file.hashes())
      for (let i = 0; i < file.count - 1; i++) await chunk(f, i, await file.read(i))
      await f.write({ done: { status: FileStatus.OK, message: '' } })
      await stream.close()
    })
    assert.ok(err instanceof ProtocolError, String(err))
    assert.equal((await held(at)).length, file.count - 1)
  })

  it('refuses an oversize frame from its length prefix', async () => {
    const { err } = await fetchFromLiar('oversize', async (_f, stream) => {
      stream.send(encodeVarint(MAX_FILE_FRAME_BYTES + 1))
      stream.send(new Uint8Array(1024))
    })
    assert.ok(err instanceof TooLargeError, String(err))
  })

  it('completes each cut file from an honest sender, identical', async () => {
    const expected = plaintextHash(SIZE)
    for (const name of ['tampered', 'truncated']) {
      const at = join(dir, name)
      await fetchFile(receiver, honest.getMultiaddrs()[0]!, secrets, at)
      assert.equal(await storedHash(at, secrets), expected)
    }
  })
})
