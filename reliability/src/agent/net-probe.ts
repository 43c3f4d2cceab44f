// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Plain TCP probes for checking the rig's network itself: an echo server, and round trips to it.
 */

import { createConnection, createServer } from 'node:net'
import type { Server } from 'node:net'

/** Starts a TCP echo server on `host:port`. */
export async function echoServer (host: string, port: number): Promise<Server> {
  const server = createServer(socket => {
    socket.on('error', () => {})
    socket.pipe(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return server
}

/** Result of {@link roundTrips}. */
export interface RoundTrips {
  /** Milliseconds of each completed round trip. */
  rtts: number[]
  /** Why it stopped early, if it did (connect error, timeout). */
  error?: string
}

/**
 * Connects to an echo server and does `count` round trips of `bytes` bytes each, giving up on
 * any one after `timeoutMs`.
 */
export async function roundTrips (host: string, port: number, count: number, bytes: number, timeoutMs: number): Promise<RoundTrips> {
  const rtts: number[] = []
  const socket = createConnection({ host, port })
  socket.setNoDelay(true)
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connect timeout')), timeoutMs)
      socket.once('connect', () => { clearTimeout(timer); resolve() })
      socket.once('error', err => { clearTimeout(timer); reject(err) })
    })
    const payload = Buffer.alloc(bytes, 0x61)
    for (let i = 0; i < count; i++) {
      const started = performance.now()
      await new Promise<void>((resolve, reject) => {
        let got = 0
        const timer = setTimeout(() => { cleanup(); reject(new Error('echo timeout')) }, timeoutMs)
        const onData = (d: Buffer): void => {
          got += d.byteLength
          if (got >= bytes) { cleanup(); resolve() }
        }
        const onError = (err: Error): void => { cleanup(); reject(err) }
        const cleanup = (): void => {
          clearTimeout(timer)
          socket.off('data', onData)
          socket.off('error', onError)
        }
        socket.on('data', onData)
        socket.on('error', onError)
        socket.write(payload)
      })
      rtts.push(performance.now() - started)
    }
    return { rtts }
  } catch (err) {
    return { rtts, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message }
  } finally {
    socket.destroy()
  }
}
