// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Direct paths through a relay's STUN responder (`--stun`), against the real daemon:
 * - the responder answers a Binding Request with the address and port it came from
 *   (XOR-MAPPED-ADDRESS, FINGERPRINT when the request had one), and ignores what is not one;
 * - relay-info publishes its port.
 *
 * The direct path it serves is shown end to end through real masquerading routers by the rig's
 * `nat-hole-punch` (two messengers in one process on loopback proved flaky for WebRTC: see
 * docs/reliability.md).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { crc32 } from 'node:zlib'
import { after, before, describe, it } from 'node:test'
import { fetchRelayInfo } from '@sotto/core'
import fc from 'fast-check'
import { answerBinding } from '../src/stun.js'
import { removeDir, startRelay } from './helpers.js'
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

  before(async () => {
    stunPort = await freeUdpPort()
    relay = await startRelay({ args: ['--stun', `127.0.0.1:${stunPort}`] })
    client = createSocket('udp4')
    await new Promise<void>(resolve => { client.bind(0, '127.0.0.1', resolve) })
  })

  after(async () => {
    client.close()
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
    const signedAnswer = await firstAnswer(bindingRequest(transaction, true))
    assert.equal(readAnswer(signedAnswer).fingerprint, true)
    assert.ok(signedAnswer.length <= bindingRequest(transaction, true).length + 24)
  })

  it('never throws on any datagram, and answers only well-formed Binding Requests', () => {
    // Binding Requests with any attributes, and any bytes at all.
    const requests = fc.record({ transaction: fc.uint8Array({ minLength: 12, maxLength: 12 }), attributes: fc.uint8Array({ maxLength: 120 }) }).map(({ transaction, attributes }) => {
      const body = attributes.subarray(0, attributes.length - attributes.length % 4)
      const out = Buffer.concat([bindingRequest(transaction, false), body])
      out.writeUInt16BE(body.length, 2)
      return new Uint8Array(out)
    })
    fc.assert(fc.property(requests, bytes => {
      const answer = answerBinding(bytes, { address: '10.0.0.1', port: 4242 })
      assert.ok(answer != null, 'a well-formed Binding Request was not answered')
      assert.deepEqual(answer.subarray(8, 20), bytes.subarray(8, 20), 'the answer names another transaction')
      assert.ok(answer.byteLength <= bytes.byteLength + 24, 'an answer much larger than its request')
    }), { numRuns: 1000 })
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), bytes => {
      const answer = answerBinding(bytes, { address: '10.0.0.1', port: 4242 })
      if (answer == null) return
      assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint16(0), 0x0001)
      assert.ok(answer.byteLength <= bytes.byteLength + 24, 'an answer much larger than its request')
    }), { numRuns: 2000 })
  })

  it('relay-info names the port', async () => {
    assert.equal((await fetchRelayInfo(relay.tcp)).stunPort, stunPort)
  })
})
