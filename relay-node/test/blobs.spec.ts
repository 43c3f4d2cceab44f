// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Blobs against the real daemon: a sender uploads a 50 MiB file for an offline recipient with its
 * deposit token, across a kill -9 of the relay (acknowledged chunks are kept, only the rest is sent
 * again); the owner downloads it identical and deletes it, and the relay's disk then holds nothing
 * of it; plaintext never reaches the relay's disk; the relay's memory stays flat; quota, size,
 * token and signature errors are clear.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  ChunkStore, FILE_PROTOCOL, FileOp, FileStatus, countBits, fetchFile, fileFrames, openFrame, queryFile, readPlaintext,
  sealToStore, signFileOwnerOp, uploadFile
} from '@sotto/core/files'
import { createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { clientNode, readTree, removeDir, startRelay, tempDir } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Ed25519PrivateKey, Libp2p } from '@libp2p/interface'
import type { FileSecrets } from '@sotto/core/files'

const MiB = 1024 * 1024
const MARKER = Buffer.from('PLAINTEXT-MARKER-OF-A-BLOB-41c9')

/** A test file's bytes at `offset`: each 4 KiB page is the marker, then SHA-256 of its number, repeated. */
function fileBytes (offset: number, length: number): Uint8Array {
  const out = Buffer.alloc(length)
  for (let page = Math.floor(offset / 4096); page * 4096 < offset + length; page++) {
    const body = Buffer.alloc(4096, createHash('sha256').update(String(page)).digest())
    MARKER.copy(body)
    const start = page * 4096
    body.copy(out, Math.max(0, start - offset), Math.max(0, offset - start), Math.min(4096, offset + length - start))
  }
  return out
}

function digestOf (size: number): string {
  const h = createHash('sha256')
  for (let o = 0; o < size; o += MiB) h.update(fileBytes(o, Math.min(MiB, size - o)))
  return h.digest('hex')
}

/** Resets a process's peak resident memory (VmHWM) to its current value. */
async function resetPeak (pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5')
}

/** Peak and current resident memory of a process, in bytes. */
async function memoryOf (pid: number): Promise<{ rss: number, peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024
  return { rss: kib('VmRSS'), peak: kib('VmHWM') }
}

/**
 * Runs a transfer of the 50 MiB file through the relay and fails if the relay's resident memory
 * grew by more than 40 MiB meanwhile: holding the file would add more than 50.
 */
async function flatWhile (relay: RelayProcess, what: string, transfer: () => Promise<unknown>): Promise<void> {
  await resetPeak(relay.proc.pid!)
  const before = await memoryOf(relay.proc.pid!)
  await transfer()
  const after = await memoryOf(relay.proc.pid!)
  console.log(`# relay RSS during the ${what}: ${(before.rss / MiB).toFixed(0)} MiB before, peak ${(after.peak / MiB).toFixed(0)} MiB`)
  assert.ok(after.peak - before.rss < 40 * MiB, `the relay's memory grew by ${((after.peak - before.rss) / MiB).toFixed(0)} MiB during the ${what}`)
}

describe('sotto-relay: blobs', () => {
  let relay: RelayProcess
  let dir: string
  let sender: Libp2p
  let owner: Libp2p
  let key: Ed25519PrivateKey
  let mailboxId: Uint8Array
  let token: Uint8Array
  let big: { secrets: FileSecrets, store: ChunkStore }
  const relays: RelayProcess[] = []

  const start = async (dataDir?: string, ...extra: string[]): Promise<RelayProcess> => {
    relay = await startRelay({ ...(dataDir != null ? { dataDir } : {}), args: ['--max-file-bytes', '60MiB', '--max-file-bytes-per-mailbox', '64MiB', ...extra] })
    relays.push(relay)
    return relay
  }
  const relayBytes = (): Uint8Array => peerIdFromString(relay.peerId).toMultihash().bytes
  const signed = async (op: FileOp.QUERY | FileOp.FETCH | FileOp.DELETE, fileId: Uint8Array, by = key) =>
    signFileOwnerOp(by, { op, relay: relayBytes(), mailboxId, fileId, timestamp: Date.now() })

  before(async () => {
    dir = await tempDir('sotto-blobs-')
    await start()
    ;[sender, owner] = await Promise.all([clientNode(), clientNode()])
    key = await generateMailboxKey()
    const client = createMailboxClient(owner, relay.tcp)
    mailboxId = await client.create(key)
    token = generateDepositToken()
    await client.registerToken(key, token, 'contact')
    big = await sealToStore(join(dir, 'big'), 50 * MiB, async (o, l) => fileBytes(o, l))
  })

  after(async () => {
    await big?.store.close()
    await Promise.all([sender, owner].map(async n => n?.stop()))
    for (const r of relays) if (r.proc.exitCode == null && r.proc.signalCode == null) await r.kill9()
    await removeDir(relay?.dataDir)
    await removeDir(dir)
  })

  it('takes an upload across a kill -9, keeping every acknowledged chunk', { timeout: 300_000 }, async () => {
    const count = big.store.count
    let acked = 0
    let killed: Promise<void> | undefined
    await assert.rejects(uploadFile(sender, multiaddr(relay.tcp), big.secrets.id, big.store, { mailboxId, token }, {
      onProgress: (held) => {
        acked = Math.max(acked, held)
        if (held >= count / 3) killed ??= relay.kill9()
      }
    }))
    await killed
    assert.ok(acked >= count / 3 && acked < count, `acknowledged ${acked} of ${count}`)
    await start(relay.dataDir)
    // Every acknowledged chunk survived the kill: the owner can see it, and it is not sent again.
    const have = await queryFile(owner, multiaddr(relay.tcp), big.secrets.id, { owner: await signed(FileOp.QUERY, big.secrets.id) })
    const kept = countBits(have.bitmap, have.count)
    assert.ok(kept >= acked && kept < count, `kept ${kept} of ${count}, ${acked} were acknowledged`)
    await assert.rejects(fetchFile(owner, multiaddr(relay.tcp), big.secrets, join(dir, 'early'), { owner: await signed(FileOp.FETCH, big.secrets.id) }), { name: 'NotFoundError' })
    const sent = await uploadFile(sender, multiaddr(relay.tcp), big.secrets.id, big.store, { mailboxId, token })
    assert.equal(sent, count - kept, 'only the chunks the relay lacked were sent')
    const tree = await readTree(relay.dataDir)
    assert.deepEqual(tree.filter(f => f.bytes.includes(MARKER)).map(f => f.path), [])
  })

  it('serves the blob to its owner only, identical, and deletes it when asked', { timeout: 300_000 }, async () => {
    const id = big.secrets.id
    const stranger = await generateMailboxKey()
    await assert.rejects(fetchFile(owner, multiaddr(relay.tcp), big.secrets, join(dir, 'x'), { owner: await signed(FileOp.FETCH, id, stranger) }), { name: 'UnauthorizedError' })
    await assert.rejects(fetchFile(owner, multiaddr(relay.tcp), big.secrets, join(dir, 'x'), { owner: await signed(FileOp.FETCH, new Uint8Array(16)) }), { name: 'UnauthorizedError' })
    const into = join(dir, 'downloaded')
    const sig = await signed(FileOp.FETCH, id)
    await flatWhile(relay, 'download', async () => fetchFile(owner, multiaddr(relay.tcp), big.secrets, into, { owner: sig }))
    const store = await ChunkStore.open(into)
    const h = createHash('sha256')
    for await (const piece of readPlaintext(store!, big.secrets)) h.update(piece)
    await store!.close()
    assert.equal(h.digest('hex'), digestOf(50 * MiB))
    const blobDir = join(relay.dataDir, 'blobs', Buffer.from(mailboxId).toString('hex'))
    assert.ok((await readdir(blobDir)).length > 0)
    await import('@sotto/core/files').then(async m => m.deleteRemoteFile(owner, multiaddr(relay.tcp), id, await signed(FileOp.DELETE, id)))
    assert.deepEqual(await readdir(blobDir), [])
  })

  it('refuses a file over the size limit, over the quota, and with a bad token, clearly', { timeout: 120_000 }, async () => {
    const refused = async (fields: Parameters<typeof openFrame>[0]): Promise<{ status: FileStatus, message: string }> => {
      const stream = await sender.dialProtocol(multiaddr(relay.tcp), FILE_PROTOCOL)
      const f = fileFrames(stream)
      await f.write(openFrame(fields))
      const answer = await f.read()
      stream.abort(new Error('done'))
      assert.ok(answer?.done != null)
      return answer.done
    }
    const base = { op: FileOp.PUT, fileId: new Uint8Array(16).fill(1), chunkSize: 64 * 1024, mailboxId, token }
    const tooLarge = await refused({ ...base, size: 61 * MiB })
    assert.equal(tooLarge.status, FileStatus.TOO_LARGE)
    assert.match(tooLarge.message, /at most 62914560 bytes/)
    assert.equal((await refused({ ...base, size: MiB, token: generateDepositToken() })).status, FileStatus.UNAUTHORIZED)

    // 50 MiB held, 20 more do not fit a 64 MiB quota.
    await flatWhile(relay, 'upload', async () => uploadFile(sender, multiaddr(relay.tcp), big.secrets.id, big.store, { mailboxId, token }))
    const second = await sealToStore(join(dir, 'second'), 20 * MiB, async (o, l) => fileBytes(o, l))
    try {
      await assert.rejects(uploadFile(sender, multiaddr(relay.tcp), second.secrets.id, second.store, { mailboxId, token }), (err: Error) => {
        assert.equal(err.name, 'QuotaExceededError')
        assert.match(err.message, /file quota/)
        return true
      })
    } finally {
      await second.store.close()
    }
    const have = await queryFile(owner, multiaddr(relay.tcp), big.secrets.id, { owner: await signed(FileOp.QUERY, big.secrets.id) })
    assert.equal(countBits(have.bitmap, have.count), big.store.count)
  })

  it('deletes blobs after the retention, like envelopes', { timeout: 120_000 }, async () => {
    const blobDir = join(relay.dataDir, 'blobs', Buffer.from(mailboxId).toString('hex'))
    assert.ok((await readdir(blobDir)).length > 0, 'the 50 MiB blob is held')
    await relay.stop()
    // Fifteen days on: past the default retention of fourteen.
    await start(relay.dataDir, '--clock-offset', String(15 * 86_400_000))
    assert.deepEqual(await readdir(blobDir), [])
  })
})
