// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Direct paths through a relay's STUN responder (`--stun`), against the real daemon:
 * - the responder answers a Binding Request with the address and port it came from
 *   (XOR-MAPPED-ADDRESS, FINGERPRINT when the request had one), and ignores what is not one;
 * - relay-info publishes its port;
 * - two messengers that listen nowhere (reachable only through their relay, as behind NAT) open a
 *   direct WebRTC connection to each other once they are linked through the relay, and a file goes
 *   over it (the sender uploads nothing). The rig's `nat-hole-punch` does the same through real
 *   masquerading routers.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { after, before, describe, it } from 'node:test'
import { fetchRelayInfo } from '@sotto/core'
import fc from 'fast-check'
import { answerBinding } from '../src/stun.js'
import { removeDir, startRelay, tempDir } from './helpers.js'
import { Fleet, contactReaches, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Socket } from 'node:dgram'

const MAGIC = 0x2112a442

/** A Binding Request with `transaction` (12 bytes), with a FINGERPRINT if asked. */
function bindingRequest (transaction: Uint8Array, fingerprint: boolean): Buffer {
  const out = Buffer.alloc(20 + (fingerprint ? 8 : 0))
  out.writeUInt16BE(0x0001, 0)
  out.writeUInt16BE(fingerprint ? 8 : 0, 2)
  out.writeUInt32BE(MAGIC, 4)
  out.set(transaction, 8)
  if (fingerprint) {
    out.writeUInt16BE(0x8028, 20)
    out.writeUInt16BE(4, 22)
    out.writeUInt32BE((crc32(out.subarray(0, 20)) ^ 0x5354554e) >>> 0, 24)
  }
  return out
}

/** Reads an answer: its transaction, mapped address and whether its FINGERPRINT checks out. */
function readAnswer (msg: Buffer): { type: number, transaction: Buffer, address: string, port: number, fingerprint?: boolean } {
  const type = msg.readUInt16BE(0)
  assert.equal(msg.readUInt16BE(2), msg.length - 20, 'the length field covers the attributes')
  assert.equal(msg.readUInt32BE(4), MAGIC)
  assert.equal(msg.readUInt16BE(20), 0x0020, 'XOR-MAPPED-ADDRESS comes first')
  const port = msg.readUInt16BE(26) ^ (MAGIC >>> 16)
  const ip = (msg.readUInt32BE(28) ^ MAGIC) >>> 0
  const address = [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.')
  const answer = { type, transaction: msg.subarray(8, 20), address, port }
  if (msg.length === 40) {
    assert.equal(msg.readUInt16BE(32), 0x8028)
    return { ...answer, fingerprint: msg.readUInt32BE(36) === ((crc32(msg.subarray(0, 32)) ^ 0x5354554e) >>> 0) }
  }
  return answer
}

/** A free UDP port on loopback (bound, read, released). */
async function freeUdpPort (): Promise<number> {
  const s = createSocket('udp4')
  await new Promise<void>(resolve => { s.bind(0, '127.0.0.1', resolve) })
  const port = s.address().port
  await new Promise<void>(resolve => { s.close(() => { resolve() }) })
  return port
}

describe('direct paths through the relay\'s STUN responder', () => {
  let relay: RelayProcess
  let stunPort: number
  let client: Socket
  const fleet = new Fleet()

  before(async () => {
    stunPort = await freeUdpPort()
    relay = await startRelay({ args: ['--stun', `127.0.0.1:${stunPort}`] })
    client = createSocket('udp4')
    await new Promise<void>(resolve => { client.bind(0, '127.0.0.1', resolve) })
  })

  after(async () => {
    client.close()
    await fleet.cleanup()
    await relay.kill9()
    await removeDir(relay.dataDir)
  })

  /** Sends `datagrams` in order and resolves with the first answer. */
  async function firstAnswer (...datagrams: Buffer[]): Promise<Buffer> {
    const answer = new Promise<Buffer>(resolve => { client.once('message', resolve) })
    for (const d of datagrams) client.send(d, stunPort, '127.0.0.1')
    return answer
  }

  it('answers a Binding Request with the address and port it came from; ignores anything else', async () => {
    const garbage = [Buffer.from('not stun at all, just bytes'), bindingRequest(randomBytes(12), false).subarray(0, 19), Buffer.concat([bindingRequest(randomBytes(12), false), Buffer.alloc(3)])]
    const transaction = randomBytes(12)
    // The garbage goes first: the first answer must be the valid request's.
    const plain = readAnswer(await firstAnswer(...garbage, bindingRequest(transaction, false)))
    assert.deepEqual(plain, { type: 0x0101, transaction, address: '127.0.0.1', port: client.address().port })
    const signed = readAnswer(await firstAnswer(bindingRequest(transaction, true)))
    assert.equal(signed.fingerprint, true)
  })

  it('never throws on any datagram, and answers only well-formed Binding Requests', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), bytes => {
      const answer = answerBinding(bytes, { address: '10.0.0.1', port: 4242 })
      if (answer != null) assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint16(0), 0x0001)
    }), { numRuns: 2000 })
  })

  it('relay-info names the port', async () => {
    assert.equal((await fetchRelayInfo(relay.tcp)).stunPort, stunPort)
  })

  it('two messengers that listen nowhere open a direct WebRTC path, and a file goes over it', { timeout: 120_000 }, async () => {
    const alice = await fleet.start(await fleet.dir(), 'Alice', { relays: [relay.tcp], listen: [] })
    const bob = await fleet.start(await fleet.dir(), 'Bob', { relays: [relay.tcp], listen: [] })
    const { bobAtAlice, aliceAtBob } = await introduce(alice, bob)
    await contactReaches(alice, bobAtAlice, c => c.presence === 'direct', 60_000)
    await contactReaches(bob, aliceAtBob, c => c.presence === 'direct', 60_000)

    const files = await tempDir('sotto-direct-path-')
    try {
      const bytes = randomBytes(2 * 1024 * 1024 + 5)
      const path = join(files, 'photo.bin')
      await writeFile(path, bytes)
      const uploads: number[] = []
      alice.on('file', e => { if (e.state === 'transferring') uploads.push(e.bytes) })
      const message = await alice.sendFile(bobAtAlice, path)
      await nextEvent(bob, 'file', e => e.id === message.id && e.state === 'done', 60_000)
      const saved = await bob.saveFile(message.id, join(files, 'saved.bin'))
      assert.equal(saved.sha256, createHash('sha256').update(bytes).digest('hex'))
      // A sender reports progress only while it uploads to a relay.
      assert.deepEqual(uploads, [], 'Alice uploaded the file to the relay although a direct path was open')
    } finally {
      await removeDir(files)
    }
  })
})
