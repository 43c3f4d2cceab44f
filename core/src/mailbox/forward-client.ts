// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The client side of forwarded deposits (`/sotto/forward/1.0.0`): a mailbox client of a contact's
 * relay that never connects to it, but hands each deposit to one of the user's own relays, which
 * makes it in its own name. Only deposits can be forwarded; everything else is refused here.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  InvalidInputError, NotRelayUserError, ProtocolError, QuotaExceededError, RateLimitedError, RelayRequestError,
  RelayUnreachableError, TooLargeError, UnauthorizedError
} from '../errors.js'
import { frameStream } from '../protocol/index.js'
import {
  FORWARD_PROTOCOL, MAX_FORWARD_RESPONSE_BYTES, checkForwardTarget, encodeForwardRequest, parseForwardResponse
} from './forward-frames.js'
import type { MailboxClient, MailboxNode } from './client.js'
import type { ForwardAnswer } from './forward-frames.js'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Throws the error matching a non-OK forward answer. */
function throwForAnswer (answer: ForwardAnswer): void {
  const reason = `forwarding relay: ${answer.message !== '' ? answer.message : answer.status}`
  switch (answer.status) {
    case 'OK': return
    case 'QUOTA': throw new QuotaExceededError(reason)
    case 'RATE_LIMITED': throw new RateLimitedError(reason, answer.retryAfter)
    case 'UNAUTHORIZED': throw new UnauthorizedError(reason)
    case 'TOO_LARGE': throw new TooLargeError(reason)
    case 'NOT_A_USER': throw new NotRelayUserError(reason)
    case 'UNREACHABLE': throw new RelayUnreachableError(reason)
    default: throw new RelayRequestError(reason, answer.status)
  }
}

/**
 * Asks the relay at `via` (one's own) to deposit `envelope` at the relay `target`. Resolves once the
 * target relay wrote it durably; rejects with the target's refusal, {@link NotRelayUserError} when
 * `via` does not count us among its users, or {@link RelayUnreachableError}.
 */
export async function forwardDeposit (node: MailboxNode, via: Multiaddr | string, target: string, deposit: { mailboxId: Uint8Array, token: Uint8Array, envelope: Uint8Array, ttl?: number }, options: AbortOptions & { timeout?: number } = {}): Promise<void> {
  const timeout = AbortSignal.timeout(options.timeout ?? 20_000)
  const signal = options.signal != null ? AbortSignal.any([options.signal, timeout]) : timeout
  const stream = await node.dialProtocol(typeof via === 'string' ? multiaddr(via) : via, FORWARD_PROTOCOL, { signal })
  let answer: ForwardAnswer
  try {
    const frames = frameStream(stream, MAX_FORWARD_RESPONSE_BYTES)
    await frames.write(encodeForwardRequest({ relay: target, mailboxId: deposit.mailboxId, token: deposit.token, envelope: deposit.envelope, ttl: deposit.ttl ?? 0 }), { signal })
    const frame = await frames.read({ signal })
    if (frame == null) throw new ProtocolError('the forwarding relay closed the stream without an answer')
    answer = parseForwardResponse(frame)
    await stream.close({ signal }).catch(() => {})
  } catch (err) {
    stream.abort(err as Error)
    if (err instanceof InvalidInputError) throw new ProtocolError('the forwarding relay sent a malformed answer', { cause: err })
    throw err
  }
  throwForAnswer(answer)
}

/**
 * A mailbox client of the relay `target` whose deposits go through one of the user's own relays
 * (`via()`, asked at each deposit). Creates no connection to `target`.
 */
export class ForwardingClient implements MailboxClient {
  readonly relay: Multiaddr
  readonly relayPeerId: PeerId

  constructor (private readonly node: MailboxNode, private readonly target: string, private readonly via: () => string | undefined) {
    checkForwardTarget(target)
    this.relay = multiaddr(target)
    this.relayPeerId = peerIdFromString(this.relay.getComponents().at(-1)?.value as string)
  }

  async deposit (mailboxId: Uint8Array, token: Uint8Array, envelope: Uint8Array, ttlSeconds = 0, options?: AbortOptions): Promise<void> {
    const via = this.via()
    if (via == null) throw new RelayUnreachableError('no home relay of yours is ready to forward a deposit')
    await forwardDeposit(this.node, via, this.target, { mailboxId, token, envelope, ttl: ttlSeconds }, options)
  }

  async create (): Promise<Uint8Array> { return refuse() }
  async registerToken (): Promise<void> { return refuse() }
  async revokeToken (): Promise<void> { return refuse() }
  async read (): ReturnType<MailboxClient['read']> { return refuse() }
  async ack (): Promise<number> { return refuse() }
  async subscribe (): ReturnType<MailboxClient['subscribe']> { return refuse() }
  async delete (): Promise<void> { return refuse() }
  async relayInfo (): ReturnType<MailboxClient['relayInfo']> { return refuse() }
  async close (): Promise<void> {}
}

function refuse (): never {
  throw new InvalidInputError('with the IP address hidden, only deposits reach others\' relays, forwarded by one\'s own')
}
