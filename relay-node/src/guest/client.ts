// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The guest's side of a guest link: the very module the guest page runs in a browser (bundled by
 * `build-page.ts`), and that tests run under Node. It makes a small libp2p node (WebSockets,
 * circuit relay, Noise, yamux) that dials only the link's relay; sends each message live to the
 * seller through a circuit, or into the link's mailbox when the seller is offline; and reads the
 * seller's replies from the guest's own mailbox at the same relay (docs/PROTOCOL.md, "Guest links").
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { GuestBlockedError, GuestLinkRevokedError, RateLimitedError, UnauthorizedError } from '@sotto/core/errors'
import {
  GUEST_PROTOCOL, GUEST_RESUME_BYTES, createMailboxClient, frameStream, mailboxIdOf, MAX_GUEST_FRAME_BYTES, decodeGuestLink, encodeGuestDelivery, encodeGuestLink, generateGuestKeyPair,
  guestMessageJson, hex, openGuestMessage, parseGuestAnswer, parseGuestReply, randomBytes, sealGuestMessage
} from '@sotto/core/guest'
import { createLibp2p } from 'libp2p'
import type { GuestAnswer, GuestLink, GuestReply } from '@sotto/core/guest'
import type { MailboxClient, MailboxSubscription } from '@sotto/core/guest'
import type { Libp2p, PrivateKey } from '@libp2p/interface'

/**
 * How long a live delivery may take before the guest falls back to the mailbox. An offline seller
 * is known at once (the relay holds no reservation for it); this bounds a reachable but slow one:
 * on a loaded two-core machine a circuit's handshake took over 8 s.
 */
const LIVE_TIMEOUT_MS = 15_000

/** How a message reached the seller. */
export type GuestPath = 'live' | 'mailbox'

/** A message the guest sent. */
export interface GuestSent {
  id: string
  sentAt: number
  text: string
  path: GuestPath
}

/** The guest's secrets: what the resume link carries. */
interface GuestSecrets {
  xPrivate: Uint8Array
  xPublic: Uint8Array
  mailboxKey: PrivateKey
  seed: Uint8Array
  replyToken: Uint8Array
}

async function secretsFrom (resume: Uint8Array | undefined): Promise<GuestSecrets> {
  if (resume != null && resume.byteLength !== GUEST_RESUME_BYTES) throw new UnauthorizedError('a resume secret is 128 bytes')
  const pair = resume == null ? await generateGuestKeyPair() : { privateKey: resume.slice(0, 32), publicKey: resume.slice(32, 64) }
  const seed = resume?.slice(64, 96) ?? randomBytes(32)
  return { xPrivate: pair.privateKey, xPublic: pair.publicKey, seed, mailboxKey: await generateKeyPairFromSeed('Ed25519', seed), replyToken: resume?.slice(96, 128) ?? randomBytes(32) }
}

/** A guest's conversation with the owner of one guest link. */
export class GuestClient {
  private subscription?: MailboxSubscription
  private readonly seenReplies = new Set<string>()

  private constructor (
    /** The link, without the guest's secrets. */
    readonly link: GuestLink,
    private readonly secrets: GuestSecrets,
    private readonly node: Libp2p,
    private readonly mailbox: MailboxClient
  ) {}

  /**
   * Opens a guest link, or a resume link (which carries the guest's keys): starts the node and makes
   * sure the guest's mailbox exists at the link's relay, with a token for the seller.
   */
  static async open (text: string, options: { resume?: Uint8Array } = {}): Promise<GuestClient> {
    const { resume: inLink, ...link } = decodeGuestLink(text)
    const secrets = await secretsFrom(options.resume ?? inLink)
    const relay = multiaddr(link.relay)
    const relayHost = relay.toString().replace(/\/p2p\/[^/]+$/, '')
    const node = await createLibp2p({
      addresses: { listen: [] },
      transports: [webSockets(), circuitRelayTransport()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // The page dials the link's relay and nothing else (and through it, the seller).
      connectionGater: { denyDialMultiaddr: async ma => !ma.toString().startsWith(relayHost) },
      services: { identify: identify() }
    })
    const mailbox = createMailboxClient(node, link.relay)
    try {
      await mailbox.create(secrets.mailboxKey)
      await mailbox.registerToken(secrets.mailboxKey, secrets.replyToken, 'contact')
    } catch (err) {
      await mailbox.close().catch(() => {})
      await node.stop()
      throw err
    }
    return new GuestClient(link, secrets, node, mailbox)
  }

  /** The link with the guest's secrets: bookmark it to come back from another tab or later. */
  resumeLink (): string {
    return encodeGuestLink({ ...this.link, resume: this.resumeSecret() })
  }

  /** The guest's secrets, {@link GUEST_RESUME_BYTES} bytes (for the browser's storage). */
  resumeSecret (): Uint8Array {
    const out = new Uint8Array(GUEST_RESUME_BYTES)
    out.set(this.secrets.xPrivate, 0)
    out.set(this.secrets.xPublic, 32)
    out.set(this.secrets.seed, 64)
    out.set(this.secrets.replyToken, 96)
    return out
  }

  /**
   * Sends a message: live when the seller is reachable through the relay, else into the link's
   * mailbox. Throws GuestLinkRevokedError, GuestBlockedError or RateLimitedError when refused.
   */
  async send (text: string): Promise<GuestSent> {
    const message = { id: hex(randomBytes(16)), sentAt: Date.now(), text, guest: { key: this.secrets.xPublic, mailbox: mailboxIdOf(this.secrets.mailboxKey), token: this.secrets.replyToken } }
    const sealed = await sealGuestMessage(this.link.key, 'to-seller', this.link.id, guestMessageJson(message))
    const answer = await this.live(sealed)
    if (answer != null) {
      throwForAnswer(answer)
      return { id: message.id, sentAt: message.sentAt, text, path: 'live' }
    }
    try {
      await this.mailbox.deposit(this.link.mailbox, this.link.token, sealed)
    } catch (err) {
      if (err instanceof UnauthorizedError) throw new GuestLinkRevokedError('this guest link was revoked')
      throw err
    }
    return { id: message.id, sentAt: message.sentAt, text, path: 'mailbox' }
  }

  /** The seller's answer over a circuit, or undefined when the seller cannot be reached live. */
  private async live (sealed: Uint8Array): Promise<GuestAnswer | undefined> {
    const signal = AbortSignal.timeout(LIVE_TIMEOUT_MS)
    let stream
    try {
      stream = await this.node.dialProtocol(multiaddr(`${this.link.relay}/p2p-circuit/p2p/${this.link.seller}`), GUEST_PROTOCOL, { signal, runOnLimitedConnection: true })
    } catch {
      return undefined
    }
    try {
      const frames = frameStream(stream, MAX_GUEST_FRAME_BYTES)
      await frames.write(encodeGuestDelivery({ link: this.link.id, token: this.link.token, sealed }), { signal })
      const frame = await frames.read({ signal })
      if (frame == null) return undefined
      return parseGuestAnswer(frame.subarray())
    } catch {
      stream.abort(new Error('guest delivery failed'))
      return undefined
    }
  }

  /**
   * Reads the replies waiting in the guest's mailbox, oldest first, and deletes them there: the
   * caller keeps them (the page, in the browser's storage).
   */
  async replies (): Promise<GuestReply[]> {
    const out: GuestReply[] = []
    for (let more = true; more;) {
      const page = await this.mailbox.read(this.secrets.mailboxKey)
      for (const e of page.envelopes) {
        const reply = await this.open(e.envelope)
        if (reply != null) out.push(reply)
      }
      if (page.envelopes.length > 0) await this.mailbox.ack(this.secrets.mailboxKey, page.envelopes.map(e => e.id))
      more = page.more && page.envelopes.length > 0
    }
    return out
  }

  /** Calls `onReply` for each reply from now on (read, then deleted at the relay), while open. */
  async watch (onReply: (reply: GuestReply) => void): Promise<void> {
    const drain = (): void => { void this.replies().then(rs => { for (const r of rs) onReply(r) }, () => {}) }
    this.subscription = await this.mailbox.subscribe(this.secrets.mailboxKey, drain)
    drain()
  }

  private async open (envelope: Uint8Array): Promise<GuestReply | undefined> {
    try {
      const reply = parseGuestReply(await openGuestMessage(this.secrets.xPrivate, 'to-guest', this.link.id, envelope))
      if (this.seenReplies.has(reply.id)) return undefined
      this.seenReplies.add(reply.id)
      return reply
    } catch {
      return undefined
    }
  }

  /** Stops the node. */
  async close (): Promise<void> {
    await this.subscription?.close().catch(() => {})
    await this.mailbox.close().catch(() => {})
    await this.node.stop()
  }
}

function throwForAnswer (answer: GuestAnswer): void {
  switch (answer.status) {
    case 'OK': return
    case 'REVOKED': throw new GuestLinkRevokedError(answer.message ?? 'this guest link was revoked')
    case 'BLOCKED': throw new GuestBlockedError(answer.message ?? 'the owner of this link blocked you')
    case 'RATE_LIMITED': throw new RateLimitedError(answer.message ?? 'too many messages', answer.retryAfter ?? 60_000)
    default: throw new UnauthorizedError(answer.message ?? 'the message was refused')
  }
}
