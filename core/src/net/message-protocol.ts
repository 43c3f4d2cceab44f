// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `/sotto/message/1.0.0`: envelopes delivered directly between two peers, each answered by a
 * receipt once the recipient has stored it durably.
 *
 * One stream carries many envelopes: the sender pipelines Deliver frames, the recipient answers
 * Receipts in the same order.
 */
import { ProtocolError, TimeoutError } from '../errors.js'
import { MAX_MESSAGE_FRAME_BYTES, MESSAGE_PROTOCOL, decodeEnvelope, frames, messageFrameCodec } from '../protocol/index.js'
import type { Logger } from '../logger.js'
import type { MessengerNode } from './node.js'
import type { Frames, MessageFrame } from '../protocol/index.js'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What the recipient answered for one envelope. */
export interface DeliveryResult {
  status: 'STORED' | 'DUPLICATE' | 'REJECTED'
  reason?: string
}

/** Handles one incoming envelope; resolves once it is durably stored (or refused). */
export type EnvelopeHandler = (envelope: Uint8Array, from: PeerId) => Promise<DeliveryResult>

/**
 * Most envelopes, and bytes of envelopes, a recipient processes at once on one stream before it
 * stops reading (the stream is then paused, and the sender held back by flow control).
 */
const MAX_IN_FLIGHT = 128
const MAX_IN_FLIGHT_BYTES = 16 * MAX_MESSAGE_FRAME_BYTES

/**
 * Most envelopes a sender leaves unanswered on one stream. Below the recipient's
 * {@link MAX_IN_FLIGHT}, so an honest sender never makes a recipient stop reading. (One that
 * sends more is held back by flow control, not cut off.)
 */
export const MAX_UNANSWERED = 64

/**
 * Most bytes of envelopes a sender leaves unanswered on one stream: half of what a recipient
 * processes at once ({@link MAX_IN_FLIGHT_BYTES}), so a burst of large envelopes keeps flowing.
 */
export const MAX_UNANSWERED_BYTES = 8 * MAX_MESSAGE_FRAME_BYTES

/**
 * Serves `/sotto/message/1.0.0`: reads Deliver frames, hands each envelope to `onEnvelope` and
 * writes the receipts in order. A peer that sends garbage loses its stream, nothing else.
 */
export async function handleMessages (node: MessengerNode, onEnvelope: EnvelopeHandler, log: Logger): Promise<void> {
  await node.handle(MESSAGE_PROTOCOL, (stream: Stream, connection: Connection) => {
    serveStream(stream, connection, onEnvelope, log).catch(err => {
      log.warn('message stream ended with an error', { peer: connection.remotePeer.toString(), error: errorName(err) })
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
  }, { runOnLimitedConnection: true, maxInboundStreams: 8 })
}

async function serveStream (stream: Stream, connection: Connection, onEnvelope: EnvelopeHandler, log: Logger): Promise<void> {
  const f = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
  let written = Promise.resolve()
  let failed: Error | undefined
  const inFlight = new Set<Promise<void>>()
  let inFlightBytes = 0
  while (true) {
    const frame = await f.read()
    if (frame == null) break
    if (frame.deliver == null) throw new ProtocolError('expected a Deliver frame')
    const bytes = frame.deliver.envelope.byteLength
    const result = onEnvelope(frame.deliver.envelope, connection.remotePeer).catch((err): DeliveryResult => {
      log.warn('envelope refused', { peer: connection.remotePeer.toString(), error: errorName(err) })
      return { status: 'REJECTED', reason: 'error' }
    })
    const id = envelopeIdOf(frame.deliver.envelope)
    // Receipts leave in arrival order, each once its envelope is durable.
    written = written.then(async () => {
      if (failed != null) return
      const r = await result
      await f.write({ receipt: { id, status: r.status, ...(r.reason != null ? { reason: r.reason } : {}) } })
    }).catch((err: Error) => {
      // The sender went away: its envelopes are stored (or not) all the same, and it will resend
      // whatever it got no receipt for. Reading stops with the aborted stream.
      failed ??= err
      stream.abort(err)
    })
    const tracked = written.finally(() => {
      inFlight.delete(tracked)
      inFlightBytes -= bytes
    })
    inFlight.add(tracked)
    inFlightBytes += bytes
    while (inFlight.size >= MAX_IN_FLIGHT || inFlightBytes >= MAX_IN_FLIGHT_BYTES) await Promise.race(inFlight)
  }
  await written
  if (failed != null) throw failed
  await stream.close()
}

/** The id a receipt names: the envelope's, or empty when the envelope is unreadable. */
function envelopeIdOf (envelope: Uint8Array): Uint8Array {
  try {
    return decodeEnvelope(envelope).id
  } catch {
    return new Uint8Array(0)
  }
}

/**
 * A sender's side of one stream to a contact: send envelopes, get their receipts.
 */
export class MessageLink {
  private readonly frames: Frames<MessageFrame>
  private readonly waiting: Array<{ bytes: number, resolve(r: DeliveryResult): void, reject(err: Error): void }> = []
  private unansweredBytes = 0
  /** Sends wait here, in call order, for a slot in the window of unanswered envelopes. */
  private gate: Promise<void> = Promise.resolve()
  private readonly freed: Array<() => void> = []
  private failed?: Error
  readonly closed: Promise<void>

  private constructor (readonly stream: Stream, readonly peer: PeerId) {
    this.frames = frames(stream, messageFrameCodec, { maxBytes: MAX_MESSAGE_FRAME_BYTES })
    this.closed = this.readReceipts()
  }

  /**
   * Opens a stream to `peer` (dialling if needed) within `timeoutMs`: at the addresses the node
   * knows for it, or at `at` (an address ending in /p2p/<peer>, such as a circuit) when given.
   */
  static async open (node: Pick<Libp2p, 'dialProtocol'>, peer: PeerId, timeoutMs: number, at?: Multiaddr): Promise<MessageLink> {
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const stream = await node.dialProtocol(at ?? peer, MESSAGE_PROTOCOL, { signal, runOnLimitedConnection: true })
      return new MessageLink(stream, peer)
    } catch (err) {
      if (signal.aborted) throw new TimeoutError(`could not reach ${peer.toString()} in ${timeoutMs} ms`, { cause: err })
      throw err
    }
  }

  /** True while the stream can carry envelopes. */
  get usable (): boolean {
    return this.failed == null && this.stream.status === 'open'
  }

  /** Sends one envelope; resolves with the recipient's receipt. Receipts arrive in order. */
  async send (envelope: Uint8Array): Promise<DeliveryResult> {
    const admitted = this.gate.then(async () => this.slot(envelope.byteLength))
    this.gate = admitted.catch(() => {})
    await admitted
    this.unansweredBytes += envelope.byteLength
    const receipt = new Promise<DeliveryResult>((resolve, reject) => { this.waiting.push({ bytes: envelope.byteLength, resolve, reject }) })
    // If the write fails, the link fails too and rejects this receipt; nobody may be awaiting it.
    receipt.catch(() => {})
    try {
      await this.frames.write({ deliver: { envelope } })
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
    return receipt
  }

  /** Closes the stream; pending sends fail. */
  close (): void {
    this.fail(new ProtocolError('link closed'))
    this.stream.abort(new Error('link closed'))
  }

  /** Resolves once `bytes` more fit the window ({@link MAX_UNANSWERED}, {@link MAX_UNANSWERED_BYTES}). */
  private async slot (bytes: number): Promise<void> {
    while (this.failed == null && this.waiting.length > 0 &&
      (this.waiting.length >= MAX_UNANSWERED || this.unansweredBytes + bytes > MAX_UNANSWERED_BYTES)) {
      await new Promise<void>(resolve => { this.freed.push(resolve) })
    }
    if (this.failed != null) throw this.failed
  }

  private async readReceipts (): Promise<void> {
    try {
      while (true) {
        const frame = await this.frames.read()
        if (frame == null) throw new ProtocolError('the recipient closed the stream')
        const next = this.waiting.shift()
        if (frame.receipt == null || next == null) throw new ProtocolError('unexpected frame from recipient')
        this.unansweredBytes -= next.bytes
        next.resolve({ status: frame.receipt.status, ...(frame.receipt.reason != null ? { reason: frame.receipt.reason } : {}) })
        this.freed.shift()?.()
      }
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)))
    }
  }

  private fail (err: Error): void {
    this.failed ??= err
    for (const w of this.waiting.splice(0)) w.reject(this.failed)
    for (const wake of this.freed.splice(0)) wake()
  }
}

function errorName (err: unknown): string {
  return (err as { name?: string })?.name ?? 'Error'
}
