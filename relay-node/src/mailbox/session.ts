// SPDX-License-Identifier: AGPL-3.0-only
/**
 * One mailbox stream's state, and what it may make the relay hold for it.
 *
 * A client that pipelines reads and never reads the answers once made the relay hold every 1 MiB
 * page it asked for: 128 per stream, 1,142 MiB for 4 streams in 4.5 s, kept after the client left.
 * Counting requests bounds nothing when one answer is a megabyte, so a session counts bytes: what
 * its answers being prepared may take, plus what the stream has not sent yet. Before a request is
 * taken on, its answer's largest size must fit the budget; until it does, the session reads no more
 * requests (the frame reader pauses the stream, and the muxer's flow control holds the client
 * back). A stream whose output has not drained within the drain timeout is aborted, which frees
 * what it held.
 */

import { MAX_REQUEST_FRAME_BYTES, MAX_RESPONSE_FRAME_BYTES, encodeResponse, frameStream } from '@sotto/core/mailbox'
import { StreamStalledError } from '../errors.js'
import type { Connection, Stream } from '@libp2p/interface'
import type { MailboxEnvelope, MailboxResponseInit } from '@sotto/core/mailbox'

/**
 * Bytes of unsent answers one session may hold: one read page (the largest answer) and room for
 * small answers beside it.
 */
export const SESSION_BUDGET_BYTES = MAX_RESPONSE_FRAME_BYTES + 64 * 1024

/** What the budget counts for an answer that is not a read page (the largest is ~100 bytes). */
export const SMALL_ANSWER_BYTES = 1024

/** How long a stream's output may wait to drain before the stream is aborted. */
export const DRAIN_TIMEOUT_MS = 30_000

/** A subscription, as a session knows it. */
export interface Subscriber {
  mailbox: string
  push(envelope: MailboxEnvelope): void
  end(message: string): void
}

/** One stream's state. */
export class Session {
  readonly frames
  readonly challenges = new Map<string, number>()
  readonly inFlight = new Set<Promise<void>>()
  subscription?: Subscriber
  private writable = true
  /** Bytes reserved for answers being prepared, not yet handed to the stream. */
  private owed = 0
  private wake?: () => void

  constructor (readonly stream: Stream, readonly connection: Connection, private readonly drainTimeoutMs = DRAIN_TIMEOUT_MS) {
    this.frames = frameStream(stream, MAX_REQUEST_FRAME_BYTES)
  }

  /** Bytes this session holds: answers being prepared, and bytes the stream has not sent. */
  get held (): number {
    return this.owed + this.stream.writeBufferLength
  }

  /**
   * Waits until an answer of at most `cost` bytes fits the budget (one always fits a session that
   * holds nothing), then reserves it. Resolves false, reserving nothing, if the stream closed or
   * was aborted for not draining in time.
   */
  async reserve (cost: number): Promise<boolean> {
    const deadline = Date.now() + this.drainTimeoutMs
    while (this.held > 0 && this.held + cost > SESSION_BUDGET_BYTES) {
      if (this.stream.status !== 'open') return false
      const left = deadline - Date.now()
      if (left <= 0) {
        this.stream.abort(new StreamStalledError('mailbox stream did not drain'))
        return false
      }
      await this.progress(left)
    }
    this.owed += cost
    return true
  }

  /** Gives back a reservation once its answer was handed to the stream (or dropped). */
  release (cost: number): void {
    this.owed -= cost
    const w = this.wake
    this.wake = undefined
    w?.()
  }

  /**
   * Writes one answer. Settles once the stream took it; a stream that does not take it within
   * the drain timeout is aborted, and so is every later answer on it dropped.
   */
  async send (res: MailboxResponseInit): Promise<void> {
    if (!this.writable) return
    const stalled = setTimeout(() => { this.stream.abort(new StreamStalledError('mailbox stream did not drain')) }, this.drainTimeoutMs)
    try {
      await this.frames.write(encodeResponse(res))
    } catch {
      this.writable = false
    } finally {
      clearTimeout(stalled)
    }
  }

  /** Resolves on the next sign of progress: the stream drained some, a reservation was given back, it closed, or `ms` passed. */
  private async progress (ms: number): Promise<void> {
    const stream = this.stream
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        stream.removeEventListener('drain', onDrain)
        stream.removeEventListener('close', done)
        this.wake = undefined
        resolve()
      }
      // The stream sends what it queued in a microtask queued by its own 'drain' listener, which
      // comes before this one: look at what is left after that.
      const onDrain = (): void => { queueMicrotask(done) }
      const timer = setTimeout(done, ms)
      stream.addEventListener('drain', onDrain)
      stream.addEventListener('close', done)
      this.wake = done
    })
  }
}

/** Runs async sections one at a time per key; keys with nothing waiting take no memory. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>()

  /** Runs `fn` once every section started before it under `key` has settled. */
  async run<T> (key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key)
    let release!: () => void
    const mine = new Promise<void>((resolve) => { release = resolve })
    const tail = previous == null ? mine : previous.then(async () => mine)
    this.tails.set(key, tail)
    try {
      await previous
      return await fn()
    } finally {
      release()
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }

  /** How many keys have a section running or waiting. */
  get size (): number {
    return this.tails.size
  }
}
