// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The agent's libp2p side: plain client nodes (TCP, Noise, yamux), and raw streams that write
 * whatever bytes a test wants and collect the length-prefixed frames that come back.
 */

import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { Libp2p, Stream } from '@libp2p/interface'

/** A client node: dials only. */
export async function clientNode (): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: 100_000, dialTimeout: 10_000 }
  })
}

/** Opens a stream to `addr` (a multiaddr ending in /p2p/<id>) for `protocol`. */
export async function openStream (node: Libp2p, addr: string, protocol: string, timeoutMs = 10_000): Promise<Stream> {
  return node.dialProtocol(multiaddr(addr), protocol, { signal: AbortSignal.timeout(timeoutMs), runOnLimitedConnection: true })
}

/** A stream written raw and read as length-prefixed frames (unbounded prefix parsing kept safe). */
export class RawStream {
  /** Whole frames received and not yet taken. */
  readonly frames: Uint8Array[] = []
  /** Bytes received in all. */
  received = 0
  /** Set once the stream has closed (by either side); `error` is the remote's reset, if any. */
  ended = false
  error?: string
  private buffer = new Uint8Array(0)
  private wake?: () => void
  readonly closed: Promise<void>

  constructor (readonly stream: Stream, private readonly maxFrame = 8 * 1024 * 1024) {
    stream.addEventListener('message', evt => {
      const data = evt.data.subarray()
      this.received += data.byteLength
      const merged = new Uint8Array(this.buffer.byteLength + data.byteLength)
      merged.set(this.buffer, 0)
      merged.set(data, this.buffer.byteLength)
      this.buffer = merged
      this.parse()
      this.notify()
    })
    this.closed = new Promise(resolve => {
      stream.addEventListener('close', evt => {
        this.ended = true
        const err = (evt as Event & { error?: Error }).error
        if (err != null) this.error = err.name
        this.notify()
        resolve()
      })
    })
  }

  private parse (): void {
    while (true) {
      let length = 0
      let scale = 1
      let prefix = 0
      let complete = false
      while (prefix < this.buffer.byteLength && prefix < 10) {
        const b = this.buffer[prefix++] as number
        length += (b & 0x7f) * scale
        scale *= 128
        if (b < 0x80) {
          complete = true
          break
        }
      }
      if (!complete || length > this.maxFrame || this.buffer.byteLength < prefix + length) return
      this.frames.push(this.buffer.slice(prefix, prefix + length))
      this.buffer = this.buffer.slice(prefix + length)
    }
  }

  private notify (): void {
    const w = this.wake
    this.wake = undefined
    w?.()
  }

  /** Sends bytes; waits for the stream to drain when its buffer is full. False once it cannot send. */
  async send (bytes: Uint8Array): Promise<boolean> {
    if (this.ended || this.stream.writeStatus !== 'writable') return false
    try {
      if (this.stream.send(bytes)) return true
    } catch {
      return false
    }
    return new Promise<boolean>(resolve => {
      const onDrain = (): void => { this.stream.removeEventListener('close', onClose); resolve(true) }
      const onClose = (): void => { this.stream.removeEventListener('drain', onDrain); resolve(false) }
      this.stream.addEventListener('drain', onDrain, { once: true })
      this.stream.addEventListener('close', onClose, { once: true })
    })
  }

  /** Waits until at least `n` frames arrived in all (or the stream ended, or `timeoutMs` passed). */
  async waitFrames (n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.frames.length < n && !this.ended && Date.now() < deadline) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.wake = () => { clearTimeout(timer); resolve() }
      })
    }
  }

  /** Closes our side and waits a little for the remote's; aborts if it takes longer. */
  async finish (timeoutMs = 2000): Promise<void> {
    try {
      await this.stream.close({ signal: AbortSignal.timeout(timeoutMs) })
    } catch {
      this.stream.abort(new Error('done'))
    }
  }

  /** Aborts the stream at once. */
  abort (): void {
    this.stream.abort(new Error('agent abort'))
  }
}
