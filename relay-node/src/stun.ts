// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A STUN binding responder (RFC 5389, the Binding method only): a Binding Request on UDP is
 * answered with a Binding Success Response carrying XOR-MAPPED-ADDRESS, the address and port the
 * request came from. That is all a messenger behind NAT needs to gather a server-reflexive ICE
 * candidate, so two people each behind a NAT can open a direct WebRTC path between them.
 *
 * It learns nothing the relay does not already know (the user's IP address), which is why a
 * messenger asks only its own home relays' responders and never a public STUN server. Off by
 * default (`--stun HOST:PORT`). No state is kept per request; anything that is not a well-formed
 * Binding Request is dropped unanswered. An answer is at most 24 bytes longer than the request
 * it answers (XOR-MAPPED-ADDRESS, plus FINGERPRINT only if the request had one), so a forged
 * source address gains an attacker little amplification.
 */
import { createSocket } from 'node:dgram'
import { isIPv4 } from 'node:net'
import { crc32 } from 'node:zlib'
import type { Socket } from 'node:dgram'

const HEADER_BYTES = 20
const MAGIC_COOKIE = 0x2112a442
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const XOR_MAPPED_ADDRESS = 0x0020
const FINGERPRINT = 0x8028
const FINGERPRINT_XOR = 0x5354554e
/** Largest request answered: a binding request with the attributes ICE agents add fits easily. */
const MAX_REQUEST_BYTES = 548

/** Where a request came from. */
export interface StunSource {
  address: string
  port: number
}

/**
 * The answer to one datagram, or undefined when it is not a well-formed Binding Request (never
 * throws: the bytes come from anyone on the network).
 */
export function answerBinding (request: Uint8Array, from: StunSource): Uint8Array | undefined {
  if (request.byteLength < HEADER_BYTES || request.byteLength > MAX_REQUEST_BYTES) return undefined
  const view = new DataView(request.buffer, request.byteOffset, request.byteLength)
  const type = view.getUint16(0)
  const length = view.getUint16(2)
  if (type !== BINDING_REQUEST || view.getUint32(4) !== MAGIC_COOKIE) return undefined
  if (length % 4 !== 0 || HEADER_BYTES + length !== request.byteLength) return undefined
  const transaction = request.subarray(8, HEADER_BYTES)
  const mapped = xorMappedAddress(from)
  if (mapped == null) return undefined
  const fingerprinted = hasFingerprint(request)
  const body = HEADER_BYTES + mapped.byteLength + (fingerprinted ? 8 : 0)
  const out = new Uint8Array(body)
  const w = new DataView(out.buffer)
  w.setUint16(0, BINDING_SUCCESS)
  w.setUint16(2, body - HEADER_BYTES)
  w.setUint32(4, MAGIC_COOKIE)
  out.set(transaction, 8)
  out.set(mapped, HEADER_BYTES)
  if (fingerprinted) {
    const at = HEADER_BYTES + mapped.byteLength
    w.setUint16(at, FINGERPRINT)
    w.setUint16(at + 2, 4)
    w.setUint32(at + 4, (crc32(out.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0)
  }
  return out
}

/** The XOR-MAPPED-ADDRESS attribute (type, length and value) for `from`. */
function xorMappedAddress (from: StunSource): Uint8Array | undefined {
  const v4 = isIPv4(from.address) ? from.address : from.address.startsWith('::ffff:') && isIPv4(from.address.slice(7)) ? from.address.slice(7) : undefined
  if (v4 == null) return undefined
  const out = new Uint8Array(12)
  const w = new DataView(out.buffer)
  w.setUint16(0, XOR_MAPPED_ADDRESS)
  w.setUint16(2, 8)
  w.setUint8(5, 0x01)
  w.setUint16(6, (from.port ^ (MAGIC_COOKIE >>> 16)) & 0xffff)
  const ip = v4.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0
  w.setUint32(8, (ip ^ MAGIC_COOKIE) >>> 0)
  return out
}

/** True when the request's last attribute is a FINGERPRINT. */
function hasFingerprint (request: Uint8Array): boolean {
  if (request.byteLength < HEADER_BYTES + 8) return false
  const view = new DataView(request.buffer, request.byteOffset, request.byteLength)
  return view.getUint16(request.byteLength - 8) === FINGERPRINT && view.getUint16(request.byteLength - 6) === 4
}

/** A running responder. */
export interface StunResponder {
  /** The UDP port it answers on. */
  readonly port: number
  /** Stops answering and closes the socket. */
  close(): Promise<void>
}

/** Starts a responder on `listen` (`HOST:PORT`, IPv4). */
export async function startStun (listen: string): Promise<StunResponder> {
  const colon = listen.lastIndexOf(':')
  const host = listen.slice(0, colon).replace(/^\[|\]$/g, '')
  const socket: Socket = createSocket('udp4')
  socket.on('message', (msg, rinfo) => {
    const answer = answerBinding(msg, rinfo)
    if (answer != null) socket.send(answer, rinfo.port, rinfo.address)
  })
  // A datagram refused by the network (ICMP) must not stop the responder.
  socket.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(Number(listen.slice(colon + 1)), host, () => { socket.off('error', reject); resolve() })
  })
  return {
    port: socket.address().port,
    close: async () => { await new Promise<void>(resolve => { socket.close(() => { resolve() }) }) }
  }
}
