// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `/sotto/forward/1.0.0`: deposits this relay makes at other relays for its own users — those who
 * hold a circuit relay reservation here — so that a user hiding their IP address never connects to
 * a contact's relay. The target relay sees this relay's PeerId and address; nobody but this relay
 * sees the user's. One request, one answer, then the stream closes. Others are refused with
 * `FORWARD_NOT_A_USER`; each user's forwards are rate-limited.
 */
import { isLinkLocal, isPrivate } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import {
  FORWARD_PROTOCOL, MAX_FORWARD_REQUEST_BYTES, createMailboxClient, encodeForwardResponse, frameStream, parseForwardRequest
} from '@sotto/core/mailbox'
import { RateLimiter } from './mailbox/index.js'
import type { RateLimit } from './mailbox/index.js'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { ForwardAnswer, ForwardDeposit, MailboxClient } from '@sotto/core/mailbox'
import type { Logger } from 'pino'

export { FORWARD_PROTOCOL }

/** A forward request's whole exchange must end within this. */
const STREAM_TIMEOUT_MS = 30_000
/** How long the target relay has to answer a deposit. */
const TARGET_TIMEOUT_MS = 15_000
/** Target relays with a client kept open; the least recently used beyond this is closed. */
const MAX_TARGETS = 256

/** What the forward service uses. */
export interface ForwardInit {
  /** The relay's node: it dials the target relays. */
  node: Pick<Libp2p, 'dialProtocol' | 'peerId'>
  /** Whether `peer` holds a reservation here: one of this relay's users. */
  isUser(peer: PeerId): boolean
  /** Each user's forwards: a bucket per PeerId. */
  rate: RateLimit
  /** Whether target relays at private, loopback or link-local addresses may be reached (tests, private networks). */
  allowPrivateTargets: boolean
  /** Where failures to reach a target relay are noted (at debug). */
  log: Logger
  /** The rate limiter's clock, in ms (default `Date.now`). */
  now?: () => number
  /** Counts each forward's outcome. */
  onForward?(status: ForwardAnswer['status']): void
}

/** The forward service: handle its protocol with {@link ForwardService.handle}. */
export class ForwardService {
  private readonly clients = new Map<string, MailboxClient>()
  private readonly rate: RateLimiter
  private stopped = false

  constructor (private readonly init: ForwardInit) {
    this.rate = new RateLimiter(init.rate, init.now)
  }

  /** Handles one stream: reads a request, forwards it, answers, closes. */
  readonly handle = async (stream: Stream, connection: Connection): Promise<void> => {
    const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
    try {
      const frames = frameStream(stream, MAX_FORWARD_REQUEST_BYTES)
      const frame = await frames.read({ signal })
      if (frame == null) return
      const answer = await this.answer(frame.subarray(), connection.remotePeer)
      this.init.onForward?.(answer.status)
      await frames.write(encodeForwardResponse(answer), { signal })
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err as Error)
    }
  }

  /** Forgets full rate buckets. */
  sweep (): void {
    this.rate.sweep()
  }

  /** Closes every client of a target relay. */
  async stop (): Promise<void> {
    this.stopped = true
    const all = [...this.clients.values()]
    this.clients.clear()
    await Promise.allSettled(all.map(async c => c.close()))
  }

  private async answer (body: Uint8Array, peer: PeerId): Promise<ForwardAnswer> {
    // Who asks is checked before what they ask: a stranger learns nothing else from the answer.
    if (!this.init.isUser(peer)) return { status: 'NOT_A_USER', message: 'this relay forwards only for peers holding a reservation here', retryAfter: 0 }
    if (this.stopped) return { status: 'UNAVAILABLE', message: 'the relay is stopping', retryAfter: 0 }
    let request: ForwardDeposit
    try {
      request = parseForwardRequest(body)
    } catch (err) {
      const tooLarge = (err as Error).name === 'TooLargeError'
      return { status: tooLarge ? 'TOO_LARGE' : 'BAD_REQUEST', message: tooLarge ? 'too large' : 'malformed request', retryAfter: 0 }
    }
    const target = multiaddr(request.relay)
    if (target.getComponents().at(-1)?.value === this.init.node.peerId.toString()) {
      return { status: 'BAD_REQUEST', message: 'deposit here directly, not through forwarding', retryAfter: 0 }
    }
    if (!this.init.allowPrivateTargets && (isPrivate(target) || isLinkLocal(target) || !/^\/ip[46]\//.test(request.relay))) {
      return { status: 'BAD_REQUEST', message: 'the target relay must be at a public IP address', retryAfter: 0 }
    }
    const rate = this.rate.take(peer.toString())
    if (!rate.ok) return { status: 'RATE_LIMITED', message: 'too many forwards from you', retryAfter: rate.retryAfterMs }
    try {
      await this.client(request.relay).deposit(request.mailboxId, request.token, request.envelope, request.ttl, { signal: AbortSignal.timeout(TARGET_TIMEOUT_MS) })
      return { status: 'OK', message: '', retryAfter: 0 }
    } catch (err) {
      return this.refusal(err as Error, request.relay)
    }
  }

  /** The answer for a deposit the target relay refused, or that could not be made. */
  private refusal (err: Error, relay: string): ForwardAnswer {
    const named: Record<string, ForwardAnswer['status']> = {
      UnauthorizedError: 'UNAUTHORIZED',
      QuotaExceededError: 'QUOTA',
      TooLargeError: 'TOO_LARGE',
      RateLimitedError: 'RATE_LIMITED'
    }
    const status = named[err.name]
    if (status != null) return { status, message: `the target relay refused: ${err.message}`, retryAfter: (err as { retryAfterMs?: number }).retryAfterMs ?? 0 }
    // The connection may be gone: the next forward to this relay starts afresh.
    const client = this.clients.get(relay)
    this.clients.delete(relay)
    void client?.close().catch(() => {})
    this.init.log.debug({ err: err.name, reason: err.message }, 'a forwarded deposit did not reach its relay')
    return { status: 'UNREACHABLE', message: 'the target relay could not be reached', retryAfter: 0 }
  }

  private client (relay: string): MailboxClient {
    let client = this.clients.get(relay)
    if (client != null) {
      // Most recently used last.
      this.clients.delete(relay)
      this.clients.set(relay, client)
      return client
    }
    client = createMailboxClient(this.init.node, relay, { timeout: TARGET_TIMEOUT_MS })
    this.clients.set(relay, client)
    if (this.clients.size > MAX_TARGETS) {
      const [oldest, old] = this.clients.entries().next().value as [string, MailboxClient]
      this.clients.delete(oldest)
      void old.close().catch(() => {})
    }
    return client
  }
}
