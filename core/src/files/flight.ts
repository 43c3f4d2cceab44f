// SPDX-License-Identifier: AGPL-3.0-only
/**
 * How many bytes of a file stream may be on their way (sent, not yet acknowledged by the reader):
 * about {@link TARGET_DELAY_MS} of the link's time, learnt from the acknowledgements' delays.
 *
 * Why: without a bound, a sender fills everything between it and the reader (yamux's window, both
 * sockets' buffers, any queue at a slow link's bottleneck) — many seconds of data at 1 Mbit/s.
 * Everything else on the connection waits behind that, libp2p's connection monitor's ping
 * included, which times out after 5 s and aborts the connection mid-transfer (docs/reliability.md,
 * bug 9). With the bound, a ping waits behind about a second of chunks. The monitor's one ping is
 * about three round trips (open and select the protocol, ping, close), each behind the queue: with
 * a 1.5 s target the rig's 1 Mbit/s transfer was still cut off; with 1 s it was not.
 *
 * The rule is delay-based: while chunks are acknowledged within the target, the window grows by
 * what was acknowledged (doubling per round trip, as TCP's slow start), up to
 * {@link MAX_WINDOW_BYTES}; when every acknowledgement of a round trip takes longer, the window
 * shrinks in proportion to the shortest (`window × target / delay`), down to
 * {@link MIN_WINDOW_CHUNKS} chunks. On a fast link the acknowledgements come within milliseconds
 * and the window soon stops mattering; on a slow one, the queue it builds stays near the target.
 */

/** The longest an acknowledgement should take: a chunk's queueing, its own sending and the round trip. */
export const TARGET_DELAY_MS = 1_000
/** The window never shrinks below this many chunks, so a slow link stays busy. */
export const MIN_WINDOW_CHUNKS = 2
/** The window's start, in chunks. */
export const INITIAL_WINDOW_CHUNKS = 4
/** The window's ceiling: beyond yamux's stream window, so a fast link is never held back by it. */
export const MAX_WINDOW_BYTES = 16 * 1024 * 1024

/** Options of {@link FlightWindow}. */
export interface FlightWindowInit {
  /** The size of a chunk, in bytes (sets the window's floor and start). */
  chunkBytes: number
  /** The clock. Default `performance.now`. */
  now?: () => number
}

/** The sender's account of chunks in flight, acknowledged by count. */
export class FlightWindow {
  private readonly sent: Array<{ bytes: number, at: number, seq: number }> = []
  private readonly now: () => number
  private readonly floor: number
  private windowBytes: number
  private inFlight = 0
  private sentCount = 0
  private acked = 0
  /** The round trip under way ends with the acknowledgement of this chunk or a later one. */
  private roundEndSeq = 0
  /** The shortest delay acknowledged in the round trip under way. */
  private roundMin = Number.POSITIVE_INFINITY

  constructor (init: FlightWindowInit) {
    this.now = init.now ?? (() => performance.now())
    this.floor = MIN_WINDOW_CHUNKS * init.chunkBytes
    this.windowBytes = Math.max(this.floor, INITIAL_WINDOW_CHUNKS * init.chunkBytes)
  }

  /** The window now, in bytes. */
  get window (): number { return this.windowBytes }

  /** Bytes sent and not yet acknowledged. */
  get bytesInFlight (): number { return this.inFlight }

  /** True when `bytes` more may be sent now (one chunk always may when nothing is in flight). */
  mayCarry (bytes: number): boolean {
    return this.inFlight === 0 || this.inFlight + bytes <= this.windowBytes
  }

  /** A chunk of `bytes` was sent. */
  onSent (bytes: number): void {
    this.sent.push({ bytes, at: this.now(), seq: this.sentCount++ })
    this.inFlight += bytes
  }

  /**
   * The reader has received `count` chunks in all. Throws RangeError when that is more than were
   * sent or fewer than it said before (the caller turns it into a protocol error).
   */
  onAcked (count: number): void {
    if (count > this.sentCount || count < this.acked) throw new RangeError('acknowledged chunks that were not sent')
    const now = this.now()
    let bytes = 0
    let last: { bytes: number, at: number, seq: number } | undefined
    while (this.acked < count) {
      last = this.sent.shift()
      if (last == null) break
      bytes += last.bytes
      this.acked++
    }
    if (last == null) return
    this.inFlight -= bytes
    const delay = now - last.at
    if (delay <= TARGET_DELAY_MS) this.windowBytes = Math.min(MAX_WINDOW_BYTES, this.windowBytes + bytes)
    this.roundMin = Math.min(this.roundMin, delay)
    if (last.seq < this.roundEndSeq) return
    // Once per round trip, on its shortest delay: a queue that stays shrinks the window, a single
    // late acknowledgement (a reader's fsync, a lost packet sent again) does not.
    if (this.roundMin > TARGET_DELAY_MS) {
      this.windowBytes = Math.max(this.floor, Math.floor(this.windowBytes * TARGET_DELAY_MS / this.roundMin))
    }
    this.roundMin = Number.POSITIVE_INFINITY
    this.roundEndSeq = this.sentCount
  }
}
