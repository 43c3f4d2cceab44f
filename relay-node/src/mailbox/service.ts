// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay side of `/sotto/mailbox/1.0.0`: one handler per stream, reading request frames,
 * answering each by id, and pushing new deposits to subscribed owners.
 *
 * Deposits on one stream are admitted in the order they arrive (token, rate, quota, then the
 * store's append fixes their order) and answered when their synced write is done, so many
 * deposits can share one group commit. Owner operations run concurrently.
 */

import { toHex } from '@sotto/core/util'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  AUTH_WINDOW_MS, CHALLENGE_TTL_MS, MAX_ENVELOPE_BYTES, MAX_REQUEST_FRAME_BYTES, MAX_RESPONSE_FRAME_BYTES,
  READ_PAGE_BYTES, decodeOwnerOp, parseRequest, verifyOwnerOp
} from '@sotto/core/mailbox'
import { CapacityError, MailboxFullError, MailboxNotFoundError, TokenConflictError } from '../errors.js'
import { PushQueue } from './push-queue.js'
import { MailboxRates } from './rates.js'
import { KeyedLock, SMALL_ANSWER_BYTES, Session } from './session.js'
import type { Subscriber } from './session.js'
import type { MailboxLimits, MailboxServiceComponents } from './components.js'
import type { MailboxStore } from './store.js'
import type { Connection, Stream } from '@libp2p/interface'
import type { MailboxEnvelope, MailboxRequest, MailboxResponseInit, MailboxStatus, OwnerOpData } from '@sotto/core/mailbox'
import type { Logger } from 'pino'

/** Most requests one stream may have in flight before the service stops reading it. */
const MAX_IN_FLIGHT = 128
/** Most challenges one stream may hold. */
const MAX_CHALLENGES = 8
/** Most pushes queued for one subscriber before the rest are skipped (they stay stored). */
const MAX_PENDING_PUSHES = 64
/** Most envelope bytes queued for one subscriber, likewise: 16 envelopes of the largest size. */
const MAX_PENDING_PUSH_BYTES = 1024 * 1024
/** Most remembered timestamp signatures (replay guard); beyond it, owners must use challenges. */
const MAX_REPLAY_ENTRIES = 200_000
/**
 * Oversize, malformed or undecodable frames one connection may send before the relay closes it.
 * Clients never send such frames (they check sizes first): a connection that does is not one.
 */
const MAX_FRAME_STRIKES = 3
/**
 * How long a connection condemned for unreadable frames stays open before it is reset, so that
 * the answers already written reach the peer (a reset discards what it has not read yet).
 */
const CLOSE_GRACE_MS = 250

function sha256 (data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest()
}


function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b)
}

/**
 * Stops granting the sender flow-control window on `stream`: yamux grants more as soon as data
 * arrives (doubling it when it comes fast), so a stream that has sent something unreadable could
 * otherwise go on pushing junk until the reset reaches it.
 */
function stopReading (stream: Stream): void {
  if (stream.readStatus === 'readable') stream.pause()
}

/** An answer, or the note that it was sent already (a read page is sent under its mailbox's lock). */
type Answer = MailboxResponseInit & { sent?: boolean }

function decodeOp (op: Uint8Array): OwnerOpData | Error {
  try {
    return decodeOwnerOp(op)
  } catch (err) {
    return err as Error
  }
}

function statusOf (err: unknown): { status: MailboxStatus, message: string } {
  if (err instanceof MailboxFullError) return { status: 'QUOTA', message: 'mailbox is full' }
  if (err instanceof CapacityError) return { status: 'QUOTA', message: err.message }
  if (err instanceof MailboxNotFoundError) return { status: 'UNAUTHORIZED', message: 'unauthorized' }
  if (err instanceof TokenConflictError) return { status: 'BAD_REQUEST', message: 'token is in use' }
  if ((err as Error)?.name === 'StoreClosedError') return { status: 'UNAVAILABLE', message: 'relay is not storing now' }
  return { status: 'INTERNAL', message: 'relay failed' }
}

/** The mailbox protocol handler and its state. */
export class MailboxService {
  private readonly store: MailboxStore
  private readonly limits: MailboxLimits
  private readonly log: Logger
  private readonly rates: MailboxRates
  private readonly subscribers = new Map<string, Subscriber[]>()
  private readonly sessions = new Set<Session>()
  private readonly replay = new Map<string, number>()
  private readonly strikes = new WeakMap<Connection, number>()
  private readonly reads = new KeyedLock()
  private stopping = false

  constructor (private readonly components: MailboxServiceComponents) {
    this.store = components.store
    this.limits = components.limits
    this.log = components.log
    this.rates = new MailboxRates(this.limits, components.now)
  }

  /** The libp2p stream handler. */
  readonly handle = (stream: Stream, connection: Connection): void => {
    void this.serve(stream, connection)
  }

  /** How many subscriptions are live. */
  get subscriptionCount (): number {
    let n = 0
    for (const s of this.subscribers.values()) n += s.length
    return n
  }

  /** Forgets idle rate buckets and old replay entries; call now and then. */
  sweep (): void {
    this.rates.sweep()
    const now = this.components.now()
    for (const [k, until] of this.replay) if (until <= now) this.replay.delete(k)
  }

  /**
   * Stops taking requests (new ones are answered UNAVAILABLE), waits for those in flight to be
   * answered, and ends every subscription.
   */
  async stop (): Promise<void> {
    this.stopping = true
    const inFlight = [...this.sessions].flatMap(s => [...s.inFlight])
    await Promise.allSettled(inFlight)
    for (const list of this.subscribers.values()) for (const s of [...list]) s.end('relay is shutting down')
    this.subscribers.clear()
  }

  private async serve (stream: Stream, connection: Connection): Promise<void> {
    const session = new Session(stream, connection, this.components.drainTimeoutMs)
    this.sessions.add(session)
    // Set when the stream carried something unreadable: nothing more from it is worth reading.
    let broken = false
    try {
      while (true) {
        let frame
        try {
          frame = await session.frames.read()
        } catch (err) {
          stopReading(stream)
          const name = (err as Error).name
          if (name === 'TooLargeError') {
            await session.send({ id: 0, status: 'TOO_LARGE', message: `frame exceeds ${MAX_REQUEST_FRAME_BYTES} bytes` })
            this.components.metrics?.request('frame', 'TOO_LARGE')
            this.strike(connection)
          } else if (name === 'InvalidInputError') {
            await session.send({ id: 0, status: 'BAD_REQUEST', message: 'bad frame length' })
            this.components.metrics?.request('frame', 'BAD_REQUEST')
            this.strike(connection)
          }
          broken = true
          break
        }
        if (frame == null) break
        const parsed = parseRequest(frame)
        if (!parsed.ok) {
          const status: MailboxStatus = parsed.error.name === 'TooLargeError' ? 'TOO_LARGE' : 'BAD_REQUEST'
          if (parsed.id === 0) stopReading(stream)
          this.components.metrics?.request('frame', status)
          await session.send({ id: parsed.id, status, message: parsed.error.message })
          // A frame that does not even decode leaves nothing to answer by: end the stream.
          if (parsed.id === 0) {
            this.strike(connection)
            broken = true
            break
          }
          continue
        }
        const request = parsed.request
        if (this.stopping) {
          await session.send({ id: request.id, status: 'UNAVAILABLE', message: 'relay is shutting down' })
          continue
        }
        const op = request.type === 'owner' ? decodeOp(request.op) : undefined
        // Reserved before the request is taken on: until its answer fits, nothing more is read.
        const cost = op != null && !(op instanceof Error) && op.kind === 'read' ? MAX_RESPONSE_FRAME_BYTES : SMALL_ANSWER_BYTES
        if (!await session.reserve(cost)) break
        const answer: Promise<Answer> = request.type === 'deposit'
          ? (await this.admitDeposit(request, connection)).answer
          : this.answer(request, session, op)
        const done = answer
          .then(async (res) => { if (res.sent !== true) await session.send(res) })
          .finally(() => { session.release(cost) })
        session.inFlight.add(done)
        void done.finally(() => session.inFlight.delete(done))
        if (session.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(session.inFlight)
      }
    } finally {
      session.subscription?.end('')
      await Promise.allSettled([...session.inFlight])
      this.sessions.delete(session)
      if (broken) {
        // The answer is on its way; a graceful close would wait for the sender while it kept
        // sending, and every byte it sent would be decrypted and dropped. Reset instead.
        stream.abort(new Error('unreadable frame'))
      } else {
        try {
          await stream.close({ signal: AbortSignal.timeout(5000) })
        } catch (err) {
          stream.abort(err as Error)
        }
      }
    }
  }

  /**
   * Counts an oversize, malformed or undecodable frame against its connection; at the limit,
   * cools its IP down and resets it after a short grace.
   */
  private strike (connection: Connection): void {
    const n = (this.strikes.get(connection) ?? 0) + 1
    this.strikes.set(connection, n)
    if (n === MAX_FRAME_STRIKES) {
      this.log.warn({ frames: n }, 'closing a connection that keeps sending unreadable frames')
      this.components.onUnreadable?.(connection)
      for (const s of connection.streams) stopReading(s)
      setTimeout(() => { connection.abort(new Error('unreadable frames')) }, CLOSE_GRACE_MS).unref()
    }
  }

  /**
   * Checks a deposit and, if it passes, hands it to the store. Resolves once it is admitted (its
   * place in the mailbox fixed); `answer` resolves once it is durable.
   */
  private async admitDeposit (request: Extract<MailboxRequest, { type: 'deposit' }>, connection: Connection): Promise<{ answer: Promise<MailboxResponseInit> }> {
    const started = process.hrtime.bigint()
    const id = request.id
    const finish = (res: MailboxResponseInit): MailboxResponseInit => {
      this.components.metrics?.request('deposit', res.status)
      this.components.metrics?.depositSeconds(Number(process.hrtime.bigint() - started) / 1e9)
      return res
    }
    const tokenHash = sha256(request.token)
    let token
    try {
      token = await this.store.getToken(tokenHash)
    } catch (err) {
      const { status, message } = statusOf(err)
      this.log.error({ err: (err as Error).name }, 'token lookup failed')
      return { answer: Promise.resolve(finish({ id, status, message })) }
    }
    if (token == null || !equal(token.mailboxId, request.mailboxId)) {
      return { answer: Promise.resolve(finish({ id, status: 'UNAUTHORIZED', message: 'unauthorized' })) }
    }
    const refusal = this.rates.deposit(token.kind, toHex(tokenHash), connection)
    if (refusal != null) {
      return { answer: Promise.resolve(finish({ id, status: 'RATE_LIMITED', message: refusal.message, retryAfter: refusal.retryAfterMs })) }
    }
    const introduction = token.kind === 'introduction'
    if (request.envelope.byteLength > (introduction ? this.limits.maxIntroductionEnvelopeBytes : MAX_ENVELOPE_BYTES)) {
      return { answer: Promise.resolve(finish({ id, status: 'TOO_LARGE', message: 'envelope is too large' })) }
    }
    const retention = introduction ? Math.min(this.limits.retentionSeconds, this.limits.introductionRetentionSeconds) : this.limits.retentionSeconds
    const ttl = request.ttl === 0 || request.ttl > retention ? retention : request.ttl
    const expiresAt = this.components.now() + ttl * 1000
    // The store keeps the bytes; the frame they came in is reused by the stream.
    const envelope = new Uint8Array(request.envelope)
    const appended = this.store.append(request.mailboxId, envelope, expiresAt, token.kind, {
      maxEnvelopes: this.limits.maxEnvelopesPerMailbox,
      maxBytes: this.limits.maxBytesPerMailbox,
      maxIntroductionEnvelopes: this.limits.maxIntroductionEnvelopesPerMailbox,
      maxIntroductionBytes: this.limits.maxIntroductionBytesPerMailbox
    })
    return {
      answer: appended.then(
      (stored) => {
        this.notify(request.mailboxId, stored)
        return finish({ id, status: 'OK' })
      },
      (err) => {
        const { status, message } = statusOf(err)
        if (status === 'INTERNAL' || status === 'UNAVAILABLE') this.log.error({ err: (err as Error).name }, 'deposit failed')
        return finish({ id, status, message })
      }
    )
    }
  }

  /**
   * Deletes the mailboxes whose owner has not acted for the expiry time, and resolves to how many.
   * A live subscription is activity: its owner is there, waiting for deposits.
   */
  async expireIdle (): Promise<number> {
    const before = this.components.now() - this.limits.mailboxExpirySeconds * 1000
    let expired = 0
    for (const id of this.store.idleMailboxes(before)) {
      const key = toHex(id)
      if (this.subscribers.has(key)) {
        this.touch(id)
        continue
      }
      await this.store.deleteMailbox(id)
      expired++
    }
    if (expired > 0) this.components.onDeleted?.()
    return expired
  }

  /** Records owner activity; written to disk at most every eighth of the expiry time (and hourly). */
  private touch (id: Uint8Array): void {
    const every = Math.min(this.limits.mailboxExpirySeconds * 125, 3_600_000)
    this.store.touch(id, this.components.now(), every).catch((err: Error) => {
      this.log.error({ err: err.name }, 'recording owner activity failed')
    })
  }

  private notify (mailboxId: Uint8Array, stored: MailboxEnvelope): void {
    const list = this.subscribers.get(toHex(mailboxId))
    if (list == null) return
    for (const s of list) s.push(stored)
  }

  private async answer (request: Exclude<MailboxRequest, { type: 'deposit' }>, session: Session, decoded: OwnerOpData | Error | undefined): Promise<Answer> {
    const id = request.id
    if (request.type === 'ping') return { id, status: 'OK' }
    if (request.type === 'challenge') {
      const challenge = new Uint8Array(randomBytes(32))
      if (session.challenges.size >= MAX_CHALLENGES) {
        const oldest = session.challenges.keys().next().value
        if (oldest != null) session.challenges.delete(oldest)
      }
      session.challenges.set(toHex(challenge), this.components.now())
      this.components.metrics?.request('challenge', 'OK')
      return { id, status: 'OK', challenge }
    }
    const op = decoded ?? decodeOp(request.op)
    if (op instanceof Error) {
      this.components.metrics?.request('owner', 'BAD_REQUEST')
      return { id, status: 'BAD_REQUEST', message: op.message }
    }
    const res = await this.ownerOp(id, request, op, session).catch((err): Answer => {
      const { status, message } = statusOf(err)
      if (status === 'INTERNAL' || status === 'UNAVAILABLE') this.log.error({ err: (err as Error).name, op: op.kind }, 'owner operation failed')
      return { id, status, message }
    })
    this.components.metrics?.request(op.kind, res.status)
    return res
  }

  /** Checks an owner op's freshness; undefined if fresh, else the answer. */
  private checkFreshness (id: number, op: OwnerOpData, signature: Uint8Array, session: Session): MailboxResponseInit | undefined {
    const now = this.components.now()
    const stale = (message: string): MailboxResponseInit => ({ id, status: 'STALE_AUTH', message, serverTime: now })
    if ('challenge' in op.freshness) {
      const key = toHex(op.freshness.challenge)
      const issued = session.challenges.get(key)
      if (issued == null || now - issued > CHALLENGE_TTL_MS) return stale('challenge is unknown, used or expired')
      session.challenges.delete(key)
      return undefined
    }
    if (Math.abs(now - op.freshness.timestamp) > AUTH_WINDOW_MS) return stale('timestamp is outside the window')
    const key = toHex(signature)
    if (this.replay.has(key)) return stale('signature was used already')
    if (this.replay.size >= MAX_REPLAY_ENTRIES) return stale('sign over a challenge')
    this.replay.set(key, now + 2 * AUTH_WINDOW_MS)
    return undefined
  }

  private async ownerOp (id: number, request: Extract<MailboxRequest, { type: 'owner' }>, op: OwnerOpData, session: Session): Promise<Answer> {
    const unauthorized: MailboxResponseInit = { id, status: 'UNAUTHORIZED', message: 'unauthorized' }
    // The same work whatever the outcome (signature check and lookup), so that a mailbox that is
    // not yours and one that does not exist cannot be told apart, by answer or by time.
    const [signed, mailbox] = await Promise.all([
      verifyOwnerOp(request.publicKey, request.op, request.signature),
      this.store.getMailbox(op.mailboxId)
    ])
    const bound = equal(op.relay, this.components.relayId) && equal(sha256(request.publicKey), op.mailboxId)
    if (!signed || !bound) return unauthorized
    const stale = this.checkFreshness(id, op, request.signature, session)
    if (stale != null) return stale
    if (op.kind === 'create') {
      if (mailbox != null) return { id, status: 'OK' }
      const refusal = this.rates.createMailbox(session.connection)
      if (refusal != null) return { id, status: 'RATE_LIMITED', message: refusal.message, retryAfter: refusal.retryAfterMs }
      await this.store.createMailbox({ id: new Uint8Array(op.mailboxId), publicKey: new Uint8Array(request.publicKey) }, this.limits.maxMailboxes, this.components.now())
      return { id, status: 'OK' }
    }
    if (mailbox == null) return unauthorized
    this.touch(mailbox.id)
    switch (op.kind) {
      case 'register-token': {
        const refusal = this.rates.registerToken(session.connection)
        if (refusal != null) return { id, status: 'RATE_LIMITED', message: refusal.message, retryAfter: refusal.retryAfterMs }
        await this.store.putToken(new Uint8Array(op.tokenHash), { mailboxId: mailbox.id, kind: op.tokenKind }, { perMailbox: this.limits.maxTokensPerMailbox, total: this.limits.maxTokens })
        return { id, status: 'OK' }
      }
      case 'revoke-token':
        await this.store.deleteToken(mailbox.id, op.tokenHash)
        return { id, status: 'OK' }
      case 'read':
        // One read of a mailbox at a time, from listing until the stream took the page: a mailbox
        // makes the relay hold one page, however many reads are asked for on however many streams.
        return this.reads.run(toHex(mailbox.id), async () => {
          if (session.stream.status !== 'open') return { id, status: 'UNAVAILABLE', sent: true }
          const page = await this.store.list(mailbox.id, op.after, op.limit, READ_PAGE_BYTES, this.components.now())
          await session.send({ id, status: 'OK', envelopes: page.envelopes, more: page.more })
          return { id, status: 'OK', sent: true }
        })
      case 'ack': {
        const deleted = await this.store.remove(mailbox.id, op.ids)
        if (deleted > 0) this.components.onDeleted?.()
        return { id, status: 'OK', deleted }
      }
      case 'subscribe':
        this.subscribe(mailbox.id, session)
        return { id, status: 'OK' }
      case 'delete': {
        const key = toHex(mailbox.id)
        for (const s of [...(this.subscribers.get(key) ?? [])]) s.end('mailbox deleted')
        await this.store.deleteMailbox(mailbox.id)
        this.components.onDeleted?.()
        return { id, status: 'OK' }
      }
    }
  }

  private subscribe (mailboxId: Uint8Array, session: Session): void {
    const key = toHex(mailboxId)
    if (session.subscription?.mailbox === key) return
    session.subscription?.end('')
    const pushes = new PushQueue(async res => session.send(res), MAX_PENDING_PUSHES, MAX_PENDING_PUSH_BYTES)
    let ended = false
    const subscriber: Subscriber = {
      mailbox: key,
      push: (envelope) => {
        if (pushes.push(envelope)) this.components.metrics?.pushed()
      },
      end: (message) => {
        if (ended) return
        ended = true
        pushes.end()
        const list = this.subscribers.get(key)
        if (list != null) {
          const i = list.indexOf(subscriber)
          if (i >= 0) list.splice(i, 1)
          if (list.length === 0) this.subscribers.delete(key)
        }
        if (session.subscription === subscriber) session.subscription = undefined
        if (message !== '') {
          void session.send({ id: 0, status: 'UNAVAILABLE', message }).finally(() => {
            session.stream.close().catch((err: Error) => { session.stream.abort(err) })
          })
        }
      }
    }
    const list = this.subscribers.get(key) ?? []
    list.push(subscriber)
    this.subscribers.set(key, list)
    session.subscription = subscriber
    while (list.length > this.limits.maxSubscribersPerMailbox) list[0]?.end('replaced by a newer subscription')
  }
}
