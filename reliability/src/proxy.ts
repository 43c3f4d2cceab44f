// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A userspace TCP proxy that impairs a link the kernel cannot (this kernel has no `netem`):
 * it delays every chunk, and drops some. A dropped chunk is either discarded — the byte stream
 * is corrupted, as by a broken middlebox: Noise then fails and the connection dies — or stalled:
 * held back, with everything behind it, for a retransmission timeout, which is what a TCP
 * application sees when a packet is lost and sent again.
 */

import { createConnection, createServer } from 'node:net'
import type { Server, Socket } from 'node:net'

/** How a link is impaired. */
export interface Impairment {
  /** Added to every chunk in each direction, in milliseconds. */
  delayMs: number
  /** Share of chunks dropped, 0–1. */
  dropRate: number
  /** `discard`: the bytes are lost (the stream is corrupt); `stall`: held back for `stallMs`. */
  dropMode: 'discard' | 'stall'
  /** How long a stalled chunk is held, in milliseconds (a TCP retransmission timeout). Default 300. */
  stallMs?: number
}

/** No impairment at all. */
export const CLEAR: Impairment = { delayMs: 0, dropRate: 0, dropMode: 'stall' }

/** One listening address forwarded to one target. */
export interface ProxyRoute {
  listenHost: string
  listenPort: number
  targetHost: string
  targetPort: number
}

/** What the proxy did so far. */
export interface ProxyStats {
  /** Connections accepted. */
  connections: number
  /** Connections open now. */
  open: number
  /** Chunks and bytes forwarded, both directions. */
  chunks: number
  bytes: number
  /** Chunks discarded or stalled. */
  discarded: number
  stalled: number
  /** Bytes forwarded towards each route's target, by `host:port` of the route's listener. */
  bytesToTarget: Record<string, number>
}

/** Most bytes queued in one direction before the source is paused. */
const HIGH_WATER = 1024 * 1024
const LOW_WATER = 256 * 1024

/** A small seeded generator (mulberry32): the same seed drops the same chunks. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One direction of one connection: chunks leave in order, each at its due time. */
class DelayLine {
  private readonly queue: Array<{ due: number, chunk: Buffer }> = []
  private queued = 0
  private lastDue = 0
  private timer?: NodeJS.Timeout
  private ending = false

  constructor (private readonly from: Socket, private readonly to: Socket, private readonly proxy: ChunkProxy, private readonly route: string) {
    from.on('data', (chunk: Buffer) => { this.take(chunk) })
    from.on('end', () => {
      this.ending = true
      this.pump()
    })
  }

  private take (chunk: Buffer): void {
    const imp = this.proxy.impairment
    const now = Date.now()
    let extra = 0
    if (imp.dropRate > 0 && this.proxy.random() < imp.dropRate) {
      if (imp.dropMode === 'discard') {
        this.proxy.counters.discarded++
        return
      }
      this.proxy.counters.stalled++
      extra = imp.stallMs ?? 300
    }
    const due = Math.max(now + imp.delayMs + extra, this.lastDue)
    this.lastDue = due
    this.queue.push({ due, chunk })
    this.queued += chunk.byteLength
    if (this.queued > HIGH_WATER) this.from.pause()
    this.pump()
  }

  private pump (): void {
    if (this.timer != null) return
    const now = Date.now()
    while (this.queue.length > 0 && (this.queue[0]?.due ?? 0) <= now) {
      const { chunk } = this.queue.shift() as { due: number, chunk: Buffer }
      this.queued -= chunk.byteLength
      this.proxy.counters.chunks++
      this.proxy.counters.bytes += chunk.byteLength
      this.proxy.counters.bytesToTarget[this.route] = (this.proxy.counters.bytesToTarget[this.route] ?? 0) + chunk.byteLength
      if (!this.to.destroyed) this.to.write(chunk)
    }
    if (this.queued < LOW_WATER && this.from.isPaused()) this.from.resume()
    const head = this.queue[0]
    if (head != null) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        this.pump()
      }, Math.max(0, head.due - now))
      return
    }
    if (this.ending && !this.to.destroyed) this.to.end()
  }

  stop (): void {
    clearTimeout(this.timer)
    this.queue.length = 0
  }
}

/** The proxy: one listener per route, two delay lines per connection. */
export class ChunkProxy {
  impairment: Impairment
  readonly random: () => number
  readonly counters: Omit<ProxyStats, 'open'> = { connections: 0, chunks: 0, bytes: 0, discarded: 0, stalled: 0, bytesToTarget: {} }
  private readonly servers: Server[] = []
  private readonly sockets = new Set<Socket>()

  constructor (private readonly routes: ProxyRoute[], impairment: Impairment = CLEAR, seed = 1) {
    this.impairment = { ...impairment }
    this.random = seededRandom(seed)
  }

  /** Listens on every route. */
  async start (): Promise<void> {
    for (const route of this.routes) {
      const key = `${route.listenHost}:${route.listenPort}`
      const server = createServer({ allowHalfOpen: true }, client => { this.accept(client, route, key) })
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(route.listenPort, route.listenHost, () => {
          server.off('error', reject)
          resolve()
        })
      })
      this.servers.push(server)
    }
  }

  /** Changes the impairment for every chunk from now on. */
  set (impairment: Impairment): void {
    this.impairment = { ...impairment }
  }

  /** Counters so far. */
  stats (): ProxyStats {
    return { ...this.counters, bytesToTarget: { ...this.counters.bytesToTarget }, open: this.sockets.size / 2 }
  }

  /** Resets every open connection (both sides see a reset). */
  resetAll (): void {
    for (const s of this.sockets) s.resetAndDestroy()
  }

  /** Stops listening and destroys every connection. */
  async close (): Promise<void> {
    this.resetAll()
    await Promise.all(this.servers.map(async s => new Promise<void>(resolve => { s.close(() => resolve()) })))
  }

  private accept (client: Socket, route: ProxyRoute, key: string): void {
    this.counters.connections++
    const upstream = createConnection({ host: route.targetHost, port: route.targetPort, allowHalfOpen: true })
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    this.sockets.add(client)
    this.sockets.add(upstream)
    const lines = [new DelayLine(client, upstream, this, key), new DelayLine(upstream, client, this, `${key}<`)]
    const destroy = (): void => {
      for (const l of lines) l.stop()
      client.destroy()
      upstream.destroy()
    }
    for (const [s, other] of [[client, upstream], [upstream, client]] as const) {
      s.on('error', destroy)
      s.on('close', () => {
        this.sockets.delete(s)
        // What this side sent still drains towards the other; after that, nothing can flow.
        const grace = setTimeout(() => { other.destroy() }, this.impairment.delayMs + (this.impairment.stallMs ?? 300) + 5000)
        grace.unref()
        other.once('close', () => { clearTimeout(grace) })
      })
    }
  }
}
