// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay: a libp2p node (TCP, WebSockets, WebRTC-Direct; Noise; yamux; identify, ping, AutoNAT
 * server, circuit relay v2 server) with the mailbox service and relay-info, over a mailbox store
 * in the data directory.
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
import { createLibp2p } from 'libp2p'
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
import type { Libp2p, PeerId } from '@libp2p/interface'
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

/** A running relay. */
export interface Relay {
  readonly peerId: PeerId
  readonly node: Libp2p<{ relay: CircuitRelayService }>
  readonly metrics: RelayMetrics
  /** Full multiaddrs the relay listens on, ending in /p2p/<peerId>. */
  addrs(): string[]
  /** The relay's link (`sotto://relay/…`): its first TCP address and its published details. */
  link(): string
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
    inviteOnly: config.admission === 'invite'
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

/** Builds and starts a relay. */
export async function startRelay (config: RelayConfig, log: Logger): Promise<Relay> {
  const now = (): number => Date.now() + config.clockOffset
  const metrics = new RelayMetrics()
  const privateKey = await loadOrCreateIdentity(config.data)
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

  const limits = new IpLimits({
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    maxReservationsPerIp: config.maxReservationsPerIp,
    coolDownSeconds: config.abuseCoolDown,
    onRefuse: (reason) => { metrics.refuse(reason) }
  })
  const unlimited = config.relayDuration === 0 && config.relayData === 0
  const node = await createLibp2p({
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
  limits.attach(node, node.services.relay)
  // What any operator sees of each connection, so a client's privacy can be checked from outside.
  node.addEventListener('connection:open', ({ detail: c }) => {
    log.debug({ peer: c.remotePeer.toString(), addr: c.remoteAddr.toString(), direction: c.direction }, 'connection opened')
  })

  const mailbox = new MailboxService({
    store: admission.guard(store),
    relayId: node.peerId.toMultihash().bytes,
    limits: mailboxLimitsOf(config),
    log: log.child({ component: 'mailbox' }),
    metrics,
    now,
    onDeleted: () => { dirty = true },
    onUnreadable: (connection) => { limits.offended(connection.remoteAddr) }
  })
  let dirty = false
  await node.handle(MAILBOX_PROTOCOL, mailbox.handle, { maxInboundStreams: MAX_MAILBOX_STREAMS_PER_CONNECTION, maxOutboundStreams: 0 })
  const links = new LinkService({
    store: linkStore,
    admission,
    relayId: node.peerId.toMultihash().bytes,
    mailboxExists: async (id) => await store.getMailbox(id) != null,
    maxLinksPerMailbox: config.maxLinksPerMailbox,
    maxTtlSeconds: config.linkTtl,
    now,
    log: log.child({ component: 'links' })
  })
  await node.handle(LINK_PROTOCOL, links.handle, { maxInboundStreams: 8, maxOutboundStreams: 0 })
  await node.handle(RELAY_INFO_PROTOCOL, relayInfoHandler(relayInfoOf(config)), { maxInboundStreams: 4, maxOutboundStreams: 0 })
  metrics.setSources({
    mailboxes: () => store.stats().mailboxes,
    tokens: () => store.stats().tokens,
    envelopes: () => store.stats().envelopes,
    envelopeBytes: () => store.stats().bytes,
    reservations: () => node.services.relay.reservations.size,
    connections: () => node.getConnections().length,
    subscriptions: () => mailbox.subscriptionCount
  })
  const idle = await mailbox.expireIdle()
  log.info({ count: idle }, 'deleted mailboxes their owners left')
  await node.start()
  await reportInternals(undefined, message => { log.warn(message) })

  let lastCompaction = Date.now()
  let maintaining: Promise<void> | undefined
  const maintain = async (): Promise<void> => {
    try {
      const purged = await store.purgeExpired(now())
      if (purged > 0) {
        metrics.expired(purged)
        dirty = true
        log.info({ count: purged }, 'purged expired envelopes')
      }
      const idle = await mailbox.expireIdle()
      if (idle > 0) log.info({ count: idle }, 'deleted mailboxes their owners left')
      mailbox.sweep()
      limits.sweep()
      links.sweep()
      admission.sweep()
      await linkStore.purgeExpired(now())
      if (dirty && Date.now() - lastCompaction >= config.compactInterval * 1000) {
        dirty = false
        lastCompaction = Date.now()
        await store.compact()
        log.debug('compacted the mailbox database')
      }
    } catch (err) {
      log.error({ err: (err as Error).message }, 'maintenance failed')
    }
  }
  const timer = setInterval(() => {
    maintaining ??= maintain().finally(() => { maintaining = undefined })
  }, config.purgeInterval * 1000)
  timer.unref()

  let stopping = false
  return {
    peerId: node.peerId,
    node,
    metrics,
    addrs: () => node.getMultiaddrs().map(a => a.toString()),
    link: () => relayLinkOf(config, node.getMultiaddrs().map(a => a.toString())),
    ready: () => !stopping && !failed && node.status === 'started',
    stop: async () => {
      if (stopping) return
      stopping = true
      clearInterval(timer)
      await mailbox.stop()
      await maintaining
      await node.stop()
      await store.close()
      await linkStore.close()
    }
  }
}
