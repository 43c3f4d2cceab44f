// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay: a libp2p node (TCP, WebSockets, WebRTC-Direct; Noise; yamux; identify, ping, AutoNAT
 * server, circuit relay v2 server) with the mailbox service, short links, relay-info and blobs
 * (files for offline recipients), over a mailbox store, a link store and a blob directory in the
 * data directory.
 */

import { join } from 'node:path'
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { FRAMED_STREAM_OPTIONS, MAILBOX_PROTOCOL, MAX_ENVELOPE_BYTES, RELAY_INFO_PROTOCOL } from '@sotto/core/mailbox'
import { reportInternals } from '@sotto/core/internals'
import { coalescingTcp } from '@sotto/core/tcp'
import { halfWindowYamux } from '@sotto/core/yamux'
import { LINK_PROTOCOL, encodeRelayLink } from '@sotto/core/links'
import { FILE_PROTOCOL } from '@sotto/core/files'
import { createLibp2p } from 'libp2p'
import { BlobService, BlobStore } from './blobs/index.js'
import { FORWARD_PROTOCOL, ForwardService } from './forward.js'
import { loadOrCreateIdentity } from './identity.js'
import { IpLimits } from './ip-limits.js'
import { Admission, LinkService, LinkStore } from './links/index.js'
import { MailboxService, levelMailboxStore } from './mailbox/index.js'
import { RelayMetrics } from './metrics.js'
import { relayInfoHandler } from './relay-info.js'
import { AGENT, VERSION } from './version.js'
import type { RelayConfig } from './config.js'
import type { MailboxLimits, MailboxStore, RateLimit } from './mailbox/index.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface'
import type { RelayInfo } from '@sotto/core/mailbox'
import type { Logger } from 'pino'

/**
 * Bytes a stream may hold unsent before it is reset: a session's budget of answers (about one read
 * page) and a subscriber's pushes (1 MiB), with room to spare. Without it yamux holds without bound.
 */
const MAX_STREAM_WRITE_BUFFER = 4 * 1024 * 1024

/**
 * Mailbox streams one connection may have open: a client uses one for requests and one per
 * subscription (a profile has one mailbox per relay), and briefly one more while replacing either.
 */
const MAX_MAILBOX_STREAMS_PER_CONNECTION = 8

/** The directory, inside the data directory, of the mailbox database. */
export const MAILBOX_DB_DIR = 'mailboxes'

/** The directory, inside the data directory, of the short-link database. */
export const LINK_DB_DIR = 'links'

/** The directory, inside the data directory, of blobs (files for offline recipients). */
export const BLOB_DIR = 'blobs'

/** A running relay. */
export interface Relay {
  readonly peerId: PeerId
  readonly node: Libp2p<{ relay: CircuitRelayService }>
  readonly metrics: RelayMetrics
  /** Full multiaddrs the relay listens on, ending in /p2p/<peerId>. */
  addrs(): string[]
  /** The relay's link (`sotto://relay/…`): its first TCP address and its published details. */
  link(): string
  /** Publishes the relay's public web address in relay-info (`http(s)://host[:port]`). */
  publishWebUrl(url: string): void
  /** Whether the relay serves requests: started, store healthy, not stopping. */
  ready(): boolean
  /** Drains requests in flight, then stops the node and closes the store. */
  stop(): Promise<void>
}

/** What a relay publishes on `/sotto/relay-info/1.0.0`, from its configuration. */
export function relayInfoOf (config: RelayConfig): RelayInfo {
  return {
    operator: config.operator,
    contact: config.contact,
    jurisdiction: config.jurisdiction,
    retentionSeconds: config.retention,
    maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
    mailboxMaxEnvelopes: config.maxEnvelopesPerMailbox,
    mailboxMaxBytes: config.maxBytesPerMailbox,
    contactRate: { burst: config.contactBurst, perHour: config.contactPerHour },
    introductionRate: { burst: config.introductionBurst, perHour: config.introductionPerHour },
    version: AGENT,
    inviteOnly: config.admission === 'invite',
    ...(config.webUrl != null ? { webUrl: config.webUrl } : {}),
    ...(config.stun !== 'off' ? { stunPort: Number(config.stun.slice(config.stun.lastIndexOf(':') + 1)) } : {})
  }
}

/** The mailbox service's quotas and rates, from the relay's configuration. */
export function mailboxLimitsOf (config: RelayConfig): MailboxLimits {
  const rate = (burst: number, perHour: number): RateLimit => ({ burst, perHour })
  return {
    retentionSeconds: config.retention,
    introductionRetentionSeconds: config.introductionRetention,
    maxEnvelopesPerMailbox: config.maxEnvelopesPerMailbox,
    maxBytesPerMailbox: config.maxBytesPerMailbox,
    maxIntroductionEnvelopesPerMailbox: config.maxIntroductionEnvelopesPerMailbox,
    maxIntroductionBytesPerMailbox: config.maxIntroductionBytesPerMailbox,
    maxIntroductionEnvelopeBytes: config.maxIntroductionEnvelopeBytes,
    maxMailboxes: config.maxMailboxes,
    mailboxExpirySeconds: config.mailboxExpiry,
    maxTokensPerMailbox: config.maxTokensPerMailbox,
    maxTokens: config.maxTokens,
    maxSubscribersPerMailbox: config.maxSubscribersPerMailbox,
    contactRate: rate(config.contactBurst, config.contactPerHour),
    introductionRate: rate(config.introductionBurst, config.introductionPerHour),
    introductionPeerRate: rate(config.introductionPeerBurst, config.introductionPeerPerHour),
    introductionIpRate: rate(config.introductionIpBurst, config.introductionIpPerHour),
    createRate: rate(config.createBurst, config.createPerHour),
    createSiteRate: rate(config.createBurst48, config.createPerHour48),
    tokenRate: rate(config.tokenBurst, config.tokenPerHour)
  }
}

/** The relay link of a relay with these addresses: the first TCP one (the most widely dialable). */
export function relayLinkOf (config: RelayConfig, addrs: string[]): string {
  const addr = addrs.find(a => /\/tcp\/\d+\/p2p\//.test(a)) ?? addrs[0]
  if (addr == null) return ''
  return encodeRelayLink({ addr, operator: config.operator, contact: config.contact, jurisdiction: config.jurisdiction })
}

/** The relay's databases, opened, with expired envelopes purged. */
interface RelayStores {
  store: MailboxStore
  linkStore: LinkStore
  blobStore: BlobStore
  admission: Admission
  /** Whether a synced write of the mailbox store failed (its mailboxes are then closed). */
  failed(): boolean
}

/** The relay's protocol services, handling their protocols on the node. */
interface RelayServices {
  mailbox: MailboxService
  links: LinkService
  blobs: BlobService
  forward: ForwardService
  /** What relay-info answers now (the web address is added once the web page listens). */
  info: { current: RelayInfo }
}

/** The periodic upkeep of a started relay. */
interface Upkeep {
  /** Starts no more rounds. */
  cancel(): void
  /** Settles once the round in progress, if any, is over. */
  settled(): Promise<void>
}

/** Builds and starts a relay. */
export async function startRelay (config: RelayConfig, log: Logger): Promise<Relay> {
  const now = (): number => Date.now() + config.clockOffset
  const metrics = new RelayMetrics()
  const privateKey = await loadOrCreateIdentity(config.data)
  const stores = await openRelayStores(config, log, metrics, now)
  const limits = new IpLimits({
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    maxReservationsPerIp: config.maxReservationsPerIp,
    coolDownSeconds: config.abuseCoolDown,
    onRefuse: (reason) => { metrics.refuse(reason) }
  })
  const node = await createRelayNode(config, privateKey, limits)
  limits.attach(node, node.services.relay)
  // What any operator sees of each connection, so a client's privacy can be checked from outside.
  node.addEventListener('connection:open', ({ detail: c }) => {
    log.debug({ peer: c.remotePeer.toString(), addr: c.remoteAddr.toString(), direction: c.direction }, 'connection opened')
  })

  const compaction = new Compaction(stores.store, config.compactInterval, log)
  const services = await serveProtocols(node, config, stores, { log, metrics, now, limits, compaction })
  metrics.setSources({
    mailboxes: () => stores.store.stats().mailboxes,
    tokens: () => stores.store.stats().tokens,
    envelopes: () => stores.store.stats().envelopes,
    envelopeBytes: () => stores.store.stats().bytes,
    reservations: () => node.services.relay.reservations.size,
    connections: () => node.getConnections().length,
    subscriptions: () => services.mailbox.subscriptionCount
  })
  const idle = await services.mailbox.expireIdle()
  log.info({ count: idle }, 'deleted mailboxes their owners left')
  await node.start()
  await reportInternals(undefined, message => { log.warn(message) })

  const upkeep = startUpkeep(config, stores, services, { log, metrics, now, limits, compaction })
  return relayHandle(config, node, metrics, stores, services, upkeep)
}

/** What the steps after the node share: the log, the metrics, the relay's clock, its limits. */
interface RelayContext {
  log: Logger
  metrics: RelayMetrics
  now: () => number
  limits: IpLimits
  compaction: Compaction
}

/** Opens the mailbox and link stores and the admission, and purges what expired while stopped. */
async function openRelayStores (config: RelayConfig, log: Logger, metrics: RelayMetrics, now: () => number): Promise<RelayStores> {
  let failed = false
  const store: MailboxStore = levelMailboxStore({
    location: join(config.data, MAILBOX_DB_DIR),
    now,
    onCommit: (writes, seconds) => { metrics.commit(writes, seconds) },
    onFailure: (err) => {
      failed = true
      log.fatal({ err: err.message }, 'a synced write failed; mailboxes are closed')
    }
  })
  await store.open()
  const admission = new Admission(config.admission === 'invite', config.data, now)
  const codes = await admission.prepare()
  // Where the codes are, never the codes: they are secrets the operator hands out.
  if (codes != null) log.info({ file: codes }, 'invite-only: join codes are in this file')
  const linkStore = new LinkStore(join(config.data, LINK_DB_DIR))
  await linkStore.open()
  const startPurged = await store.purgeExpired(now())
  metrics.expired(startPurged)
  log.info({ count: startPurged, ...store.stats() }, 'purged expired envelopes')
  if (startPurged > 0) await store.compact()
  const blobStore = new BlobStore(join(config.data, BLOB_DIR))
  await blobStore.purgeExpired(now())
  return { store, linkStore, blobStore, admission, failed: () => failed }
}

/** The relay's libp2p node, not yet started. */
async function createRelayNode (config: RelayConfig, privateKey: PrivateKey, limits: IpLimits): Promise<Libp2p<{ relay: CircuitRelayService }>> {
  const unlimited = config.relayDuration === 0 && config.relayData === 0
  return await createLibp2p({
    start: false,
    privateKey,
    nodeInfo: { name: 'sotto-relay', version: VERSION, userAgent: AGENT },
    addresses: { listen: config.listen, announce: config.announce },
    transports: [
      coalescingTcp(),
      webSockets(),
      // No ICE servers: a relay has a public address and must not contact third parties.
      webRTCDirect({ rtcConfiguration: { iceServers: [] } })
    ],
    connectionEncrypters: [noise()],
    // The mailbox pauses streams whose requests wait unread: their window must fit the read buffer.
    // A stream whose peer stops reading is reset once it holds more than any answer may need.
    streamMuxers: [halfWindowYamux({ streamOptions: { ...FRAMED_STREAM_OPTIONS, maxWriteBufferLength: MAX_STREAM_WRITE_BUFFER } })],
    connectionGater: limits.gater(),
    connectionManager: {
      maxConnections: config.maxConnections,
      inboundConnectionThreshold: config.inboundConnectionsPerSecond,
      maxIncomingPendingConnections: config.maxPendingConnections
    },
    services: {
      identify: identify(),
      ping: ping(),
      autonat: autoNAT(),
      relay: circuitRelayServer({
        maxOutboundStopStreams: config.maxConnections,
        reservations: {
          maxReservations: config.maxReservations,
          reservationTtl: config.reservationTtl * 1000,
          applyDefaultLimit: !unlimited,
          // 0 means no limit on that axis; the relay code has no "unlimited" per axis.
          defaultDurationLimit: (config.relayDuration === 0 ? 365 * 86_400 : config.relayDuration) * 1000,
          defaultDataLimit: BigInt(config.relayData === 0 ? Number.MAX_SAFE_INTEGER : config.relayData)
        }
      })
    }
  })
}

/** Creates the mailbox, link and blob services and handles their protocols and relay-info. */
async function serveProtocols (node: Libp2p, config: RelayConfig, stores: RelayStores, context: RelayContext): Promise<RelayServices> {
  const { log, metrics, now, limits, compaction } = context
  const mailbox = new MailboxService({
    store: stores.admission.guard(stores.store),
    relayId: node.peerId.toMultihash().bytes,
    limits: mailboxLimitsOf(config),
    log: log.child({ component: 'mailbox' }),
    metrics,
    now,
    onDeleted: () => { compaction.markDirty() },
    onUnreadable: (connection) => { limits.offended(connection.remoteAddr) }
  })
  // Outbound: the forward service's deposits at other relays, one stream per relay (and its replacement).
  await node.handle(MAILBOX_PROTOCOL, mailbox.handle, { maxInboundStreams: MAX_MAILBOX_STREAMS_PER_CONNECTION, maxOutboundStreams: 2 })
  const links = new LinkService({
    store: stores.linkStore,
    admission: stores.admission,
    relayId: node.peerId.toMultihash().bytes,
    mailboxExists: async (id) => await stores.store.getMailbox(id) != null,
    maxLinksPerMailbox: config.maxLinksPerMailbox,
    maxTtlSeconds: config.linkTtl,
    now,
    log: log.child({ component: 'links' })
  })
  await node.handle(LINK_PROTOCOL, links.handle, { maxInboundStreams: 8, maxOutboundStreams: 0 })
  const blobs = new BlobService({
    blobs: stores.blobStore,
    mailboxes: stores.store,
    relayId: node.peerId.toMultihash().bytes,
    limits: { maxFileBytes: config.maxFileBytes, maxBytesPerMailbox: config.maxFileBytesPerMailbox, retentionSeconds: config.retention },
    log: log.child({ component: 'blobs' }),
    now
  })
  // An upload or a download takes one stream; a few in parallel are plenty.
  await node.handle(FILE_PROTOCOL, blobs.handle, { maxInboundStreams: 8, maxOutboundStreams: 0 })
  const info = { current: relayInfoOf(config) }
  await node.handle(RELAY_INFO_PROTOCOL, relayInfoHandler(() => info.current), { maxInboundStreams: 4, maxOutboundStreams: 0 })
  const forward = new ForwardService({
    node,
    isUser: peer => (node as Libp2p<{ relay: CircuitRelayService }>).services.relay.reservations.has(peer),
    rate: { burst: config.forwardBurst, perHour: config.forwardPerHour },
    allowPrivateTargets: config.forwardPrivate === 'on',
    log: log.child({ component: 'forward' }),
    now,
    onForward: status => { metrics.forwarded(status) }
  })
  // A user's deposits to several contacts' relays may be under way at once.
  await node.handle(FORWARD_PROTOCOL, forward.handle, { maxInboundStreams: 32, maxOutboundStreams: 0 })
  return { mailbox, links, blobs, forward, info }
}

/**
 * Compacts the mailbox database once something was deleted, at most once per `intervalSeconds`:
 * level reclaims the space of deleted entries only when it compacts.
 */
class Compaction {
  private dirty = false
  private last = Date.now()

  constructor (private readonly store: MailboxStore, private readonly intervalSeconds: number, private readonly log: Logger) {}

  /** Records that entries were deleted. */
  markDirty (): void {
    this.dirty = true
  }

  /** Compacts if entries were deleted and the interval has passed since the last compaction. */
  async runIfDue (): Promise<void> {
    if (this.dirty && Date.now() - this.last >= this.intervalSeconds * 1000) {
      this.dirty = false
      this.last = Date.now()
      await this.store.compact()
      this.log.debug('compacted the mailbox database')
    }
  }
}

/** Runs the relay's upkeep every purge interval, one round at a time. */
function startUpkeep (config: RelayConfig, stores: RelayStores, services: RelayServices, context: RelayContext): Upkeep {
  const { log, metrics, now, limits, compaction } = context
  const { store, linkStore, blobStore, admission } = stores
  const { mailbox, links } = services
  let running: Promise<void> | undefined
  const round = async (): Promise<void> => {
    try {
      const purged = await store.purgeExpired(now())
      if (purged > 0) {
        metrics.expired(purged)
        compaction.markDirty()
        log.info({ count: purged }, 'purged expired envelopes')
      }
      const idle = await mailbox.expireIdle()
      if (idle > 0) log.info({ count: idle }, 'deleted mailboxes their owners left')
      const blobsPurged = await blobStore.purgeExpired(now())
      if (blobsPurged > 0) log.info({ count: blobsPurged }, 'purged expired blobs')
      mailbox.sweep()
      limits.sweep()
      links.sweep()
      services.forward.sweep()
      admission.sweep()
      await linkStore.purgeExpired(now())
      await compaction.runIfDue()
    } catch (err) {
      log.error({ err: (err as Error).message }, 'maintenance failed')
    }
  }
  const timer = setInterval(() => {
    running ??= round().finally(() => { running = undefined })
  }, config.purgeInterval * 1000)
  timer.unref()
  return {
    cancel: () => { clearInterval(timer) },
    settled: async () => { await running }
  }
}

/** The handle of a started relay; `stop` drains the mailbox, then stops the node and the stores. */
function relayHandle (config: RelayConfig, node: Libp2p<{ relay: CircuitRelayService }>, metrics: RelayMetrics, stores: RelayStores, services: RelayServices, upkeep: Upkeep): Relay {
  let stopping = false
  return {
    peerId: node.peerId,
    node,
    metrics,
    addrs: () => node.getMultiaddrs().map(a => a.toString()),
    link: () => relayLinkOf(config, node.getMultiaddrs().map(a => a.toString())),
    publishWebUrl: (url) => { services.info.current = { ...services.info.current, webUrl: url } },
    ready: () => !stopping && !stores.failed() && node.status === 'started',
    stop: async () => {
      if (stopping) return
      stopping = true
      upkeep.cancel()
      await services.mailbox.stop()
      services.blobs.stop()
      await services.forward.stop()
      await upkeep.settled()
      await node.stop()
      await stores.store.close()
      await stores.linkStore.close()
    }
  }
}
