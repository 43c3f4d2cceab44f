// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A minimal MQTT 3.1.1 client, just enough for the benchmark: CONNECT (clean or persistent
 * session), SUBSCRIBE at QoS 1, PUBLISH at QoS 1 awaiting PUBACK, and receiving QoS 1 messages
 * (answered with PUBACK).
 */

import { connect } from 'node:net'
import type { Socket } from 'node:net'

function remainingLength (n: number): Buffer {
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return Buffer.from(out)
}

function str (s: string): Buffer {
  const b = Buffer.from(s)
  const len = Buffer.alloc(2)
  len.writeUInt16BE(b.byteLength)
  return Buffer.concat([len, b])
}

function packet (type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), remainingLength(body.byteLength), body])
}

function u16 (n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}

/** One MQTT connection. */
export class MqttClient {
  private buf: Buffer = Buffer.alloc(0)
  private nextId = 1
  private readonly acks = new Map<number, () => void>()
  private connack?: (rc: number) => void
  private suback?: () => void
  /** Called for each message received (already acknowledged). */
  onMessage?: (topic: string, payload: Buffer) => void

  private constructor (private readonly socket: Socket) {
    socket.setNoDelay(true)
    socket.on('data', (d: Buffer) => { this.onData(d) })
  }

  /** Connects and waits for CONNACK. */
  static async connect (port: number, clientId: string, clean: boolean): Promise<MqttClient> {
    const socket = connect({ host: '127.0.0.1', port })
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
    const client = new MqttClient(socket)
    const rc = new Promise<number>((resolve) => { client.connack = resolve })
    const body = Buffer.concat([str('MQTT'), Buffer.from([4, clean ? 0x02 : 0x00]), u16(600), str(clientId)])
    socket.write(packet(0x10, body))
    const code = await rc
    if (code !== 0) throw new Error(`CONNACK ${code}`)
    return client
  }

  /** Subscribes at QoS 1 and waits for SUBACK. */
  async subscribe (topic: string): Promise<void> {
    const done = new Promise<void>((resolve) => { this.suback = resolve })
    this.socket.write(packet(0x82, Buffer.concat([u16(this.id()), str(topic), Buffer.from([1])])))
    await done
  }

  /** Publishes at QoS 1 and waits for PUBACK. */
  async publish (topic: string, payload: Uint8Array): Promise<void> {
    const id = this.id()
    const acked = new Promise<void>((resolve) => { this.acks.set(id, resolve) })
    this.socket.write(packet(0x32, Buffer.concat([str(topic), u16(id), payload])))
    await acked
  }

  /** Sends DISCONNECT and closes. */
  async disconnect (): Promise<void> {
    await new Promise<void>((resolve) => {
      this.socket.end(packet(0xe0, Buffer.alloc(0)), () => { resolve() })
    })
    this.socket.destroy()
  }

  private id (): number {
    const id = this.nextId
    this.nextId = this.nextId >= 65535 ? 1 : this.nextId + 1
    return id
  }

  private onData (d: Buffer): void {
    this.buf = this.buf.byteLength === 0 ? d : Buffer.concat([this.buf, d])
    while (this.buf.byteLength >= 2) {
      let len = 0
      let mult = 1
      let i = 1
      let complete = false
      for (; i < Math.min(this.buf.byteLength, 5); i++) {
        const b = this.buf[i]!
        len += (b & 0x7f) * mult
        mult *= 128
        if ((b & 0x80) === 0) {
          complete = true
          break
        }
      }
      if (!complete) return
      const start = i + 1
      if (this.buf.byteLength < start + len) return
      const type = this.buf[0]!
      const body = this.buf.subarray(start, start + len)
      this.buf = this.buf.subarray(start + len)
      this.handle(type, body)
    }
  }

  private handle (type: number, body: Buffer): void {
    switch (type >> 4) {
      case 2: this.connack?.(body[1]!); break
      case 4: {
        const id = body.readUInt16BE(0)
        this.acks.get(id)?.()
        this.acks.delete(id)
        break
      }
      case 9: this.suback?.(); break
      case 3: {
        const qos = (type >> 1) & 3
        const tlen = body.readUInt16BE(0)
        const topic = body.subarray(2, 2 + tlen).toString()
        let at = 2 + tlen
        if (qos > 0) {
          const id = body.readUInt16BE(at)
          at += 2
          this.socket.write(packet(0x40, u16(id)))
        }
        this.onMessage?.(topic, body.subarray(at))
        break
      }
      default: break
    }
  }
}
