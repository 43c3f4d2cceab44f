// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `/sotto/link/1.0.0` at the relay: one request, one answer. Owners (by a mailbox key whose
 * mailbox exists here) put and delete sealed cards under link ids; anyone holding a link id reads
 * its card; newcomers join an invite-only relay with a code. The relay never sees a link's key,
 * so it stores and hands out bytes it cannot read.
 */
import { toHex } from '@sotto/core/util'
import { createHash } from 'node:crypto'
import { frameStream } from '@sotto/core/mailbox'
import {
  LINK_AUTH_WINDOW_MS, MAX_LINK_FRAME_BYTES, decodeLinkOp, encodeLinkResponse, parseLinkRequest, verifyLinkOp
} from '@sotto/core/links'
import { sourceOf } from '../ip.js'
import { RateLimiter } from '../mailbox/rate-limit.js'
import type { Admission } from './admission.js'
import type { LinkStore } from './store.js'
import type { Connection, Stream } from '@libp2p/interface'
import type { LinkOpData, LinkRequestData, LinkResponseData, LinkStatusName } from '@sotto/core/links'
import type { Logger } from 'pino'

type Answer = Partial<LinkResponseData> & { status: LinkStatusName }

/** What a {@link LinkService} needs. */
export interface LinkServiceInit {
  store: LinkStore
  admission: Admission
  /** The relay's PeerId as multihash bytes: owner signatures name it. */
  relayId: Uint8Array
  /** Whether a mailbox exists here: only its owner may keep links. */
  mailboxExists(id: Uint8Array): Promise<boolean>
  /** Most live links per mailbox. */
  maxLinksPerMailbox: number
  /** Longest time a link is kept after its last put, in seconds. */
  maxTtlSeconds: number
  now(): number
  log: Logger
}

/** Per mailbox: puts at once, and refilled per hour (a client refreshes a link a few times a day). */
const PUT_RATE = { burst: 10, perHour: 60 }
/** Per IP: lookups at once, and refilled per hour. */
const GET_RATE = { burst: 30, perHour: 600 }
/** Per IP: join attempts at once, and refilled per hour (codes must not be guessed). */
const JOIN_RATE = { burst: 5, perHour: 30 }
const STREAM_TIMEOUT_MS = 10_000

/** The link protocol's handler. */
export class LinkService {
  private readonly puts: RateLimiter
  private readonly gets: RateLimiter
  private readonly joins: RateLimiter

  constructor (private readonly init: LinkServiceInit) {
    this.puts = new RateLimiter(PUT_RATE, init.now)
    this.gets = new RateLimiter(GET_RATE, init.now)
    this.joins = new RateLimiter(JOIN_RATE, init.now)
  }

  /** Handles one stream: reads a request, answers, closes. */
  readonly handle = async (stream: Stream, connection: Connection): Promise<void> => {
    const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
    try {
      const frames = frameStream(stream, MAX_LINK_FRAME_BYTES)
      const frame = await frames.read({ signal })
      if (frame == null) return
      let answer: Answer
      try {
        answer = await this.answer(parseLinkRequest(frame.subarray()), sourceOf(connection.remoteAddr))
      } catch (err) {
        const name = (err as Error).name
        answer = name === 'TooLargeError'
          ? { status: 'TOO_LARGE', message: 'too large' }
          : name === 'InvalidInputError' ? { status: 'BAD_REQUEST', message: 'malformed request' } : this.internal(err)
      }
      await frames.write(encodeLinkResponse(answer), { signal })
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err as Error)
    }
  }

  /** Forgets full rate buckets. */
  sweep (): void {
    this.puts.sweep()
    this.gets.sweep()
    this.joins.sweep()
  }

  private internal (err: unknown): Answer {
    this.init.log.error({ err: (err as Error).message }, 'a link request failed')
    return { status: 'INTERNAL', message: 'the relay failed' }
  }

  private async answer (request: LinkRequestData, source: string): Promise<Answer> {
    if (request.type === 'get') {
      const rate = this.gets.take(source)
      if (!rate.ok) return { status: 'RATE_LIMITED', message: 'too many lookups from here', retryAfter: rate.retryAfterMs }
      const record = await this.init.store.get(toHex(request.linkId))
      if (record == null || record.expiresAt <= this.init.now()) return { status: 'NOT_FOUND', message: 'no such link' }
      if (record.sealed == null) return { status: 'REVOKED', message: 'revoked by its owner' }
      return { status: 'OK', sealed: record.sealed, expiresAt: record.expiresAt }
    }
    if (request.type === 'join') {
      const rate = this.joins.take(source)
      if (!rate.ok) return { status: 'RATE_LIMITED', message: 'too many join attempts from here', retryAfter: rate.retryAfterMs }
      const ok = await this.init.admission.join(toHex(request.mailboxId), request.code)
      return ok ? { status: 'OK' } : { status: 'UNAUTHORIZED', message: 'wrong join code' }
    }
    return this.owner(request)
  }

  private async owner (request: Extract<LinkRequestData, { type: 'owner' }>): Promise<Answer> {
    const unauthorized: Answer = { status: 'UNAUTHORIZED', message: 'unauthorized' }
    if (!await verifyLinkOp(request.publicKey, request.op, request.signature)) return unauthorized
    const op = decodeLinkOp(request.op)
    const bound = equal(op.relay, this.init.relayId) && equal(sha256(request.publicKey), op.mailboxId)
    if (!bound || !await this.init.mailboxExists(op.mailboxId)) return unauthorized
    const now = this.init.now()
    if (Math.abs(op.timestamp - now) > LINK_AUTH_WINDOW_MS) return { status: 'STALE_AUTH', message: 'sign again with the relay\'s time', serverTime: now }
    const id = toHex(op.linkId)
    const mailbox = toHex(op.mailboxId)
    const existing = await this.init.store.get(id)
    const live = existing != null && existing.expiresAt > now
    if (live && existing.mailbox !== mailbox) return unauthorized
    return op.kind === 'put' ? this.put(id, mailbox, op, live ? existing : undefined) : this.delete(id, mailbox, live ? existing.expiresAt : undefined)
  }

  private async put (id: string, mailbox: string, op: LinkOpData, existing: { sealed?: Uint8Array } | undefined): Promise<Answer> {
    if (existing != null && existing.sealed == null) return { status: 'REVOKED', message: 'a revoked link cannot be used again' }
    const rate = this.puts.take(mailbox)
    if (!rate.ok) return { status: 'RATE_LIMITED', message: 'too many link updates', retryAfter: rate.retryAfterMs }
    if (existing == null && this.init.store.liveLinks(mailbox) >= this.init.maxLinksPerMailbox) return { status: 'QUOTA', message: 'the mailbox has as many links as it may' }
    const expiresAt = this.init.now() + Math.min(op.ttl, this.init.maxTtlSeconds) * 1000
    await this.init.store.put(id, { mailbox, sealed: new Uint8Array(op.sealed), expiresAt })
    return { status: 'OK', expiresAt }
  }

  private async delete (id: string, mailbox: string, expiresAt: number | undefined): Promise<Answer> {
    // The tombstone lasts as long as the link would have, so that it answers "revoked" until then.
    await this.init.store.put(id, { mailbox, expiresAt: expiresAt ?? this.init.now() + this.init.maxTtlSeconds * 1000 })
    return { status: 'OK' }
  }
}


function sha256 (bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest()
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b))
}
