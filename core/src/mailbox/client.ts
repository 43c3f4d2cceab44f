// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The client side of `/sotto/mailbox/1.0.0` and `/sotto/relay-info/1.0.0`: one relay, many
 * mailboxes. Requests share one stream to the relay (answers may come out of order, matched by
 * id); each subscription has a stream of its own.
 */

import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  InvalidInputError, ProtocolError, QuotaExceededError, RateLimitedError, RelayRequestError,
  TimeoutError, TooLargeError, UnauthorizedError
} from '../errors.js'
import { silentLoggers } from '../logger.js'
import { dialTwice } from '../util/index.js'
import {
  DEPOSIT_TOKEN_BYTES, MAILBOX_ID_BYTES, MAILBOX_PROTOCOL, MAX_ACK_IDS, MAX_ENVELOPE_BYTES,
  MAX_READ_LIMIT, MAX_RELAY_INFO_FRAME_BYTES, MAX_RESPONSE_FRAME_BYTES, RELAY_INFO_PROTOCOL
} from './constants.js'
import { encodeRequest, parseRelayInfo, parseResponse } from './frames.js'
import { frameStream } from '../protocol/framing.js'
import { hashDepositToken, mailboxIdOf } from './keys.js'
import { signOwnerOp } from './owner-op.js'
import type { DepositTokenKind, MailboxEnvelope, MailboxRequest, MailboxResponse, OwnerAction, RelayInfo } from './frames.js'
import type { Logger, LoggerFactory } from '../logger.js'
import type { AbortOptions, Libp2p, PeerId, PrivateKey, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The part of a libp2p node the client uses. */
export type MailboxNode = Pick<Libp2p, 'dialProtocol'>

/** Options of {@link createMailboxClient}. */
export interface MailboxClientOptions {
  /** Milliseconds to wait for each answer from the relay. Default 15 000. */
  timeout?: number
  /** Seconds between keep-alive pings on a subscription stream. Default 30. */
  pingInterval?: number
  /** Where to log (never contents, keys or tokens). Default: silent. */
  logger?: LoggerFactory
}

/** Options of {@link MailboxClient.read}. */
export interface MailboxReadOptions extends AbortOptions {
  /** Only envelopes with an id greater than this. Default 0: from the oldest. */
  after?: number
  /** At most this many (1–1000; the relay may return fewer). Default 100. */
  limit?: number
}

/** One page of a mailbox, in deposit order. */
export interface MailboxPage {
  envelopes: MailboxEnvelope[]
  /** More envelopes wait after the last one of this page: read again with `after` = its id. */
  more: boolean
}

/** Options of {@link MailboxClient.subscribe}. */
export interface MailboxSubscribeOptions extends AbortOptions {
  /**
   * Called when the relay skipped pushes because this subscriber fell behind: the envelopes are
   * still in the mailbox, read them.
   */
  onBehind?(): void
}

/** A live subscription to a mailbox's new deposits. */
export interface MailboxSubscription {
  /** Ends the subscription and closes its stream. */
  close(): Promise<void>
  /** Settles when the subscription ends: with the error that ended it, or undefined after close(). */
  readonly closed: Promise<Error | undefined>
}

/** A client of one relay's mailbox service. */
export interface MailboxClient {
  /** The relay's address, ending in /p2p/<peerId>. */
  readonly relay: Multiaddr
  /** The relay's PeerId: owner signatures are bound to it. */
  readonly relayPeerId: PeerId
  /** Creates the mailbox owned by `mailboxKey` (idempotent) and returns its id. */
  create(mailboxKey: PrivateKey, options?: AbortOptions): Promise<Uint8Array>
  /** Registers a deposit token (32 bytes); the relay learns only its hash. */
  registerToken(mailboxKey: PrivateKey, token: Uint8Array, kind: DepositTokenKind, options?: AbortOptions): Promise<void>
  /** Revokes a deposit token: later deposits with it are refused. Idempotent. */
  revokeToken(mailboxKey: PrivateKey, token: Uint8Array, options?: AbortOptions): Promise<void>
  /**
   * Leaves a sealed envelope in someone's mailbox. Resolves once the relay has written it durably.
   * `ttlSeconds` 0 (the default) means the relay's retention; longer is capped to it.
   */
  deposit(mailboxId: Uint8Array, token: Uint8Array, envelope: Uint8Array, ttlSeconds?: number, options?: AbortOptions): Promise<void>
  /** Reads a page of one's own mailbox, oldest first. */
  read(mailboxKey: PrivateKey, options?: MailboxReadOptions): Promise<MailboxPage>
  /** Deletes envelopes (after they are stored safely); resolves to how many were deleted. */
  ack(mailboxKey: PrivateKey, ids: number[], options?: AbortOptions): Promise<number>
  /**
   * Pushes each new deposit to `onEnvelope` while the subscription lives. It does not replay what
   * is already stored: subscribe first, then read, and skip ids already seen.
   */
  subscribe(mailboxKey: PrivateKey, onEnvelope: (envelope: MailboxEnvelope) => void, options?: MailboxSubscribeOptions): Promise<MailboxSubscription>
  /** Deletes the mailbox, its envelopes and its tokens. */
  delete(mailboxKey: PrivateKey, options?: AbortOptions): Promise<void>
  /** What the relay says about itself: operator, jurisdiction, retention, quotas. */
  relayInfo(options?: AbortOptions): Promise<RelayInfo>
  /** Closes the request stream and every subscription. */
  close(): Promise<void>
}

/** Most requests one stream carries before their answers come back. */
const MAX_IN_FLIGHT = 64

/** Throws the error matching a relay's non-OK answer. */
function throwForStatus (res: MailboxResponse): void {
  const reason = res.message !== '' ? res.message : res.status
  switch (res.status) {
    case 'OK': return
    case 'QUOTA': throw new QuotaExceededError(`relay: ${reason}`)
    case 'RATE_LIMITED': throw new RateLimitedError(`relay: ${reason}`, res.retryAfter)
    case 'UNAUTHORIZED': throw new UnauthorizedError(`relay: ${reason}`)
    case 'TOO_LARGE': throw new TooLargeError(`relay: ${reason}`)
    default: throw new RelayRequestError(`relay: ${reason}`, res.status)
  }
}

interface Pending {
  resolve(res: MailboxResponse): void
  reject(err: Error): void
}

/** One stream to the relay carrying requests and their answers (and pushes, on a subscription). */
class Channel {
  private readonly frames
  private readonly pending = new Map<number, Pending>()
  private readonly slots: Array<() => void> = []
  private inFlight = 0
  private nextId = 1
  private ended?: Error
  private endedByRelay?: Error
  readonly closed: Promise<Error | undefined>

  constructor (private readonly stream: Stream, private readonly timeout: number, private readonly log: Logger,
    private readonly onPush?: (res: MailboxResponse) => void) {
    this.frames = frameStream(stream, MAX_RESPONSE_FRAME_BYTES)
    this.closed = this.readLoop()
  }

  get isOpen (): boolean {
    return this.ended == null
  }

  private async readLoop (): Promise<Error | undefined> {
    let reason: Error | undefined
    try {
      while (true) {
        const frame = await this.frames.read()
        if (frame == null) throw this.endedByRelay ?? new ProtocolError('relay closed the mailbox stream')
        const res = parseResponse(frame)
        if (res.id === 0 && res.status !== 'OK') {
          // The relay says why it is about to close this stream (shutdown, mailbox deleted, replaced).
          this.endedByRelay = new RelayRequestError(`relay: ${res.message !== '' ? res.message : res.status}`, res.status)
          continue
        }
        if (res.id === 0 && this.onPush != null) {
          this.onPush(res)
          continue
        }
        const waiting = this.pending.get(res.id)
        if (waiting == null) {
          // A late answer to a request that timed out, or the relay's answer to a frame it could not read.
          if (res.id === 0) throw new ProtocolError(`relay refused a frame: ${res.status} ${res.message}`)
          continue
        }
        this.pending.delete(res.id)
        waiting.resolve(res)
      }
    } catch (err) {
      reason = this.ended ?? (err instanceof InvalidInputError ? new ProtocolError('relay sent a malformed frame', { cause: err }) : err as Error)
    }
    this.end(reason)
    return reason === this.closedByUs ? undefined : reason
  }

  private readonly closedByUs = new Error('closed')

  private end (reason: Error): void {
    this.ended ??= reason
    for (const p of this.pending.values()) p.reject(this.ended === this.closedByUs ? new ProtocolError('mailbox stream closed') : this.ended)
    this.pending.clear()
  }

  async call (request: (id: number) => MailboxRequest, options?: AbortOptions): Promise<MailboxResponse> {
    // Bounded pipelining: the relay reads at most so many requests ahead of its answers.
    if (this.inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => { this.slots.push(resolve) })
    this.inFlight++
    try {
      return await this.exchange(request, options)
    } finally {
      this.inFlight--
      this.slots.shift()?.()
    }
  }

  private async exchange (request: (id: number) => MailboxRequest, options?: AbortOptions): Promise<MailboxResponse> {
    if (this.ended != null) throw new ProtocolError('mailbox stream is closed', { cause: this.ended })
    const id = this.nextId
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1
    let answer!: Pending
    const answered = new Promise<MailboxResponse>((resolve, reject) => { answer = { resolve, reject } })
    // The write below may fail after the answer was settled: nobody would be listening then.
    answered.catch(() => {})
    this.pending.set(id, answer)
    const timer = setTimeout(() => {
      const err = new TimeoutError(`relay did not answer within ${this.timeout} ms`)
      answer.reject(err)
      // A stream that leaves a request unanswered this long is wedged, or the relay is gone:
      // nothing else may wait on it. The next request opens another.
      this.end(err)
      this.stream.abort(err)
    }, this.timeout)
    const onAbort = (): void => {
      this.pending.delete(id)
      answer.reject(options?.signal?.reason ?? new Error('aborted'))
    }
    options?.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      // A stream that never drains must not hold the caller past the timeout: the answer's timer
      // rejects `answered` then, whether or not the write went out.
      await Promise.race([this.frames.write(encodeRequest(request(id)), options), answered])
      return await answered
    } finally {
      clearTimeout(timer)
      options?.signal?.removeEventListener('abort', onAbort)
      this.pending.delete(id)
    }
  }

  async close (): Promise<void> {
    if (this.ended == null) this.end(this.closedByUs)
    try {
      await this.stream.close({ signal: AbortSignal.timeout(2000) })
    } catch (err) {
      this.stream.abort(err as Error)
    }
    await this.closed
    this.log.debug('mailbox stream closed')
  }
}

class DefaultMailboxClient implements MailboxClient {
  readonly relay: Multiaddr
  readonly relayPeerId: PeerId
  private readonly relayBytes: Uint8Array
  private readonly timeout: number
  private readonly pingInterval: number
  private readonly log: Logger
  private channel?: Promise<Channel>
  private readonly subscriptions = new Set<MailboxSubscription>()
  private closing = false

  constructor (private readonly node: MailboxNode, relay: Multiaddr | string, options: MailboxClientOptions) {
    this.relay = typeof relay === 'string' ? multiaddr(relay) : relay
    const id = this.relay.getComponents().findLast(c => c.name === 'p2p')?.value
    if (id == null) throw new InvalidInputError('the relay address must end in /p2p/<peerId>')
    this.relayPeerId = peerIdFromString(id)
    this.relayBytes = this.relayPeerId.toMultihash().bytes
    this.timeout = options.timeout ?? 15_000
    this.pingInterval = (options.pingInterval ?? 30) * 1000
    this.log = (options.logger ?? silentLoggers).forComponent('core:mailbox')
  }

  private async openChannel (onPush?: (res: MailboxResponse) => void, options?: AbortOptions): Promise<Channel> {
    if (this.closing) throw new ProtocolError('mailbox client is closed')
    const signal = options?.signal != null ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeout)]) : AbortSignal.timeout(this.timeout)
    const stream = await this.dial(MAILBOX_PROTOCOL, signal)
    return new Channel(stream, this.timeout, this.log, onPush)
  }

  /** A stream to the relay for `protocol`, dialled once more after a failed dial (see util/redial.ts). */
  private async dial (protocol: string, signal: AbortSignal): Promise<Stream> {
    return dialTwice(async () => this.node.dialProtocol(this.relay, protocol, { signal }), signal, err => {
      this.log.debug('relay dial failed; dialling once more', { error: err.name })
    })
  }

  private async requestChannel (options?: AbortOptions): Promise<Channel> {
    const current = this.channel != null ? await this.channel.catch(() => undefined) : undefined
    if (current?.isOpen === true) return current
    const next = this.openChannel(undefined, options)
    this.channel = next
    return next
  }

  private async ownerCall (channel: Channel, key: PrivateKey, action: OwnerAction, options?: AbortOptions): Promise<MailboxResponse> {
    const mailboxId = mailboxIdOf(key)
    const send = async (freshness: { timestamp: number } | { challenge: Uint8Array }): Promise<MailboxResponse> => {
      const signed = await signOwnerOp(key, { ...action, relay: this.relayBytes, mailboxId, freshness })
      return channel.call(id => ({ id, type: 'owner', ...signed }), options)
    }
    let res = await send({ timestamp: Date.now() })
    if (res.status === 'STALE_AUTH') {
      // Our clock and the relay's disagree: prove freshness with the relay's own challenge instead.
      this.log.debug('clock differs from the relay; signing over a challenge', { skewMs: res.serverTime - Date.now() })
      const ch = await channel.call(id => ({ id, type: 'challenge' }), options)
      throwForStatus(ch)
      if (ch.challenge == null) throw new ProtocolError('relay sent no challenge')
      res = await send({ challenge: ch.challenge })
    }
    throwForStatus(res)
    return res
  }

  private async owner (key: PrivateKey, action: OwnerAction, options?: AbortOptions): Promise<MailboxResponse> {
    return this.ownerCall(await this.requestChannel(options), key, action, options)
  }

  async create (mailboxKey: PrivateKey, options?: AbortOptions): Promise<Uint8Array> {
    await this.owner(mailboxKey, { kind: 'create' }, options)
    return mailboxIdOf(mailboxKey)
  }

  async registerToken (mailboxKey: PrivateKey, token: Uint8Array, kind: DepositTokenKind, options?: AbortOptions): Promise<void> {
    await this.owner(mailboxKey, { kind: 'register-token', tokenHash: hashDepositToken(token), tokenKind: kind }, options)
  }

  async revokeToken (mailboxKey: PrivateKey, token: Uint8Array, options?: AbortOptions): Promise<void> {
    await this.owner(mailboxKey, { kind: 'revoke-token', tokenHash: hashDepositToken(token) }, options)
  }

  async deposit (mailboxId: Uint8Array, token: Uint8Array, envelope: Uint8Array, ttlSeconds = 0, options?: AbortOptions): Promise<void> {
    if (mailboxId.byteLength !== MAILBOX_ID_BYTES) throw new InvalidInputError(`a mailbox id is ${MAILBOX_ID_BYTES} bytes`)
    if (token.byteLength !== DEPOSIT_TOKEN_BYTES) throw new InvalidInputError(`a deposit token is ${DEPOSIT_TOKEN_BYTES} bytes`)
    if (envelope.byteLength > MAX_ENVELOPE_BYTES) throw new TooLargeError(`envelope of ${envelope.byteLength} bytes exceeds ${MAX_ENVELOPE_BYTES}`)
    if (envelope.byteLength === 0) throw new InvalidInputError('envelope is empty')
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > 0xffffffff) throw new InvalidInputError('ttl is out of range')
    const channel = await this.requestChannel(options)
    throwForStatus(await channel.call(id => ({ id, type: 'deposit', mailboxId, token, envelope, ttl: ttlSeconds }), options))
  }

  async read (mailboxKey: PrivateKey, options?: MailboxReadOptions): Promise<MailboxPage> {
    const after = options?.after ?? 0
    const limit = options?.limit ?? 100
    if (!Number.isSafeInteger(after) || after < 0) throw new InvalidInputError('after is out of range')
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) throw new InvalidInputError(`limit must be 1–${MAX_READ_LIMIT}`)
    const res = await this.owner(mailboxKey, { kind: 'read', after, limit }, options)
    if (res.envelopes.some(e => e.id <= after)) throw new ProtocolError('relay returned envelopes already read')
    return { envelopes: res.envelopes, more: res.more }
  }

  async ack (mailboxKey: PrivateKey, ids: number[], options?: AbortOptions): Promise<number> {
    if (ids.length === 0) return 0
    let deleted = 0
    for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
      const res = await this.owner(mailboxKey, { kind: 'ack', ids: ids.slice(i, i + MAX_ACK_IDS) }, options)
      deleted += res.deleted
    }
    return deleted
  }

  async subscribe (mailboxKey: PrivateKey, onEnvelope: (envelope: MailboxEnvelope) => void, options?: MailboxSubscribeOptions): Promise<MailboxSubscription> {
    const log = this.log
    const onPush = (res: MailboxResponse): void => {
      try {
        if (res.pushed != null) onEnvelope(res.pushed)
        else if (res.more) options?.onBehind?.()
      } catch (err) {
        log.error('subscriber callback failed', { error: (err as Error).name })
      }
    }
    const channel = await this.openChannel(onPush, options)
    try {
      await this.ownerCall(channel, mailboxKey, { kind: 'subscribe' }, options)
    } catch (err) {
      await channel.close()
      throw err
    }
    const ping = setInterval(() => {
      channel.call(id => ({ id, type: 'ping' })).catch(async () => channel.close())
    }, this.pingInterval)
    ping.unref?.()
    const subscription: MailboxSubscription = {
      close: async () => {
        clearInterval(ping)
        this.subscriptions.delete(subscription)
        await channel.close()
      },
      closed: channel.closed.then((reason) => {
        clearInterval(ping)
        this.subscriptions.delete(subscription)
        return reason
      })
    }
    this.subscriptions.add(subscription)
    return subscription
  }

  async delete (mailboxKey: PrivateKey, options?: AbortOptions): Promise<void> {
    await this.owner(mailboxKey, { kind: 'delete' }, options)
  }

  async relayInfo (options?: AbortOptions): Promise<RelayInfo> {
    const signal = options?.signal != null ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeout)]) : AbortSignal.timeout(this.timeout)
    const stream = await this.dial(RELAY_INFO_PROTOCOL, signal)
    try {
      const frame = await frameStream(stream, MAX_RELAY_INFO_FRAME_BYTES).read({ signal })
      if (frame == null) throw new ProtocolError('relay sent no relay info')
      const info = parseRelayInfo(frame)
      await stream.close({ signal })
      return info
    } catch (err) {
      stream.abort(err as Error)
      if (err instanceof InvalidInputError) throw new ProtocolError('relay sent malformed relay info', { cause: err })
      throw err
    }
  }

  async close (): Promise<void> {
    this.closing = true
    await Promise.all([...this.subscriptions].map(async s => s.close()))
    const channel = await this.channel?.catch(() => undefined)
    await channel?.close()
  }
}

/**
 * A client of the mailbox service at `relay` (a multiaddr ending in /p2p/<peerId>), using `node`
 * to dial it.
 */
export function createMailboxClient (node: MailboxNode, relay: Multiaddr | string, options: MailboxClientOptions = {}): MailboxClient {
  return new DefaultMailboxClient(node, relay, options)
}
