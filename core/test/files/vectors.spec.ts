// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Test vectors of files (docs/PROTOCOL.md, "File protocol"): sealed chunks, hashes and root of a
 * small file made with a fixed id and key, and frames of `/sotto/file/1.0.0`, must stay byte for
 * byte what `vectors.json` says. `SOTTO_WRITE_VECTORS=1` rewrites the file instead (then update
 * the documentation).
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import {
  FileOp, FileStatus, checkChunkHashes, fileFrameCodec, openChunk, openFrame, sealFile, signFileOwnerOp, verifyFileOwnerOp
} from '../../src/files/index.js'
import { mailboxIdOf } from '../../src/mailbox/index.js'
import type { FileSecrets } from '../../src/files/index.js'

// The JSON file sits beside the sources, not in dist.
const FILE = fileURLToPath(new URL('../../../test/files/vectors.json', import.meta.url))

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
/** `n` bytes counting up from `first`. */
const counting = (first: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (first + i) & 0xff)
/** The vector file: 1,500 bytes of "sotto " repeated, in 1 KiB chunks. */
const PLAINTEXT = new TextEncoder().encode('sotto '.repeat(250))

async function compute (): Promise<Record<string, string>> {
  const chunks: string[] = []
  const hashes: string[] = []
  const sealer = sealFile(PLAINTEXT.length, async (o, l) => PLAINTEXT.subarray(o, o + l), { id: counting(0, 16), key: counting(0x20, 32) }, 1024)
  let next = await sealer.next()
  while (next.done !== true) {
    chunks.push(toHex(next.value.sealed))
    hashes.push(toHex(next.value.hash))
    next = await sealer.next()
  }
  const secrets = next.value
  const owner = await generateKeyPairFromSeed('Ed25519', counting(0, 32))
  const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', counting(0x40, 32))).toMultihash().bytes
  const mailboxId = mailboxIdOf(owner)
  const fetchOp = await signFileOwnerOp(owner, { op: FileOp.FETCH, relay, mailboxId, fileId: secrets.id, timestamp: 1_700_000_000_000 })
  const frame = (f: Parameters<typeof fileFrameCodec.encode>[0]): string => toHex(fileFrameCodec.encode(f))
  return {
    fileId: toHex(secrets.id),
    fileKey: toHex(secrets.key),
    plaintext: `"sotto " × 250 (${PLAINTEXT.length} bytes)`,
    chunkSize: '1024',
    chunk0: chunks[0]!,
    chunk1: chunks[1]!,
    hash0: hashes[0]!,
    hash1: hashes[1]!,
    root: toHex(secrets.root),
    ownerFetchOp: toHex(fetchOp.ownerOp),
    ownerFetchSignature: toHex(fetchOp.signature),
    openFetch: frame(openFrame({ op: FileOp.FETCH, fileId: secrets.id, from: 1, have: Uint8Array.of(0x01) })),
    openFetchByOwner: frame(openFrame({ op: FileOp.FETCH, fileId: secrets.id, ...fetchOp })),
    openPut: frame(openFrame({ op: FileOp.PUT, fileId: secrets.id, size: PLAINTEXT.length, chunkSize: 1024, mailboxId, token: counting(0x20, 32) })),
    have: frame({ have: { count: 2, bitmap: Uint8Array.of(0x01) } }),
    hashes: frame({ hashes: { start: 0, hashes: Buffer.from(hashes.join(''), 'hex') } }),
    chunk: frame({ chunk: { index: 1, sealed: new Uint8Array(Buffer.from(chunks[1]!, 'hex')) } }),
    doneOk: frame({ done: { status: FileStatus.OK, message: '' } }),
    doneQuota: frame({ done: { status: FileStatus.QUOTA, message: 'quota' } })
  }
}

describe('file test vectors', () => {
  it('match vectors.json', async () => {
    const computed = await compute()
    if (process.env.SOTTO_WRITE_VECTORS === '1') writeFileSync(FILE, JSON.stringify(computed, null, 2) + '\n')
    assert.deepEqual(computed, JSON.parse(readFileSync(FILE, 'utf8')))
  })

  it('open to the plaintext and decode to what they say', async () => {
    const v = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>
    const b = (k: string): Uint8Array => Buffer.from(v[k]!, 'hex')
    const secrets: FileSecrets = { id: b('fileId'), key: b('fileKey'), size: PLAINTEXT.length, chunkSize: 1024, root: b('root') }
    checkChunkHashes(secrets, [b('hash0'), b('hash1')])
    assert.deepEqual(Buffer.concat([openChunk(secrets, 0, b('chunk0')), openChunk(secrets, 1, b('chunk1'))]), Buffer.from(PLAINTEXT))
    const op = await verifyFileOwnerOp({ publicKey: (await generateKeyPairFromSeed('Ed25519', counting(0, 32))).publicKey.raw, ownerOp: b('ownerFetchOp'), signature: b('ownerFetchSignature') })
    assert.equal(op?.op, FileOp.FETCH)
    assert.equal(fileFrameCodec.decode(b('openFetch')).open?.from, 1)
    assert.equal(fileFrameCodec.decode(b('chunk')).chunk?.index, 1)
    assert.equal(fileFrameCodec.decode(b('doneQuota')).done?.status, FileStatus.QUOTA)
  })
})
