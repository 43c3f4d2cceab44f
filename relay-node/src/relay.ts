// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay: a libp2p node (TCP, WebSockets, WebRTC-Direct; Noise; yamux; identify, ping, AutoNAT
 * server, circuit relay v2 server) with the mailbox service, relay-info and blobs (files for offline
 * recipients), over a mailbox store and a blob directory in the data directory.
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
import { FILE_PROTOCOL } from '@sotto/core/files'
import { coalescingTcp } from '@sotto/core/tcp'
import { halfWindowYamux } from '@sotto/core/yamux'
import { createLibp2p } from 'libp2p'
import { loadOrCreateIdentity } from './identity.js'
import { BlobService, BlobStore } from './blobs/index.js'
import { IpLimits } from './ip-limits.js'
import { MailboxService, levelMailboxStore } from './mailbox/index.js'
import { RelayMetrics } from './metrics.js'
import { relayInfoHandler } from './relay-info.js'
import { AGENT, VERSION } from './version.js'
import type { RelayConfig } from './config.js'
import type { MailboxStore } from './mailbox/index.js'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { RelayInfo } from '@sotto/core/mailbox'
import type { Logger } from 'pino'

/** The directory, inside the data directory, of the mailbox database. */
export const MAILBOX_DB_DIR = 'mailboxes'
/** The directory, inside the data directory, of blobs. */
export const BLOB_DIR = 'blobs'

/** A running relay. */
export interface Relay {
  readonly peerId: PeerId
  readonly node: Libp2p<{ relay: CircuitRelayService }>
  readonly metrics: RelayMetrics
  /** Full multiaddrs the relay listens on, ending in /p2p/<peerId>. */
  addrs(): string[]
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
    version: AGENT
  }
}

/** Builds and starts a relay. */
export async function startRelay (config: RelayConfig, log: Logger): Promise<Relay> {
  const now = (): number => Date.now() + config.clockOffset
  const metrics = new RelayMetrics()
  const privateKey = await loadOrCreateIdentity(config.data)
  let failed = false
  const store: MailboxStore = levelMailboxStore({
    location: join(config.data, MAILBOX_DB_DIR),
    onCommit: (writes, seconds) => { metrics.commit(writes, seconds) },
    onFailure: (err) => {
      failed = true
      log.fatal({ err: err.message }, 'a synced write failed; mailboxes are closed')
    }
  })
  await store.open()
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
    streamMuxers: [halfWindowYamux({ streamOptions: FRAMED_STREAM_OPTIONS })],
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

  const mailbox = new MailboxService({
    store,
    relayId: node.peerId.toMultihash().bytes,
    limits: {
      retentionSeconds: config.retention,
      maxEnvelopesPerMailbox: config.maxEnvelopesPerMailbox,
      maxBytesPerMailbox: config.maxBytesPerMailbox,
      maxMailboxes: config.maxMailboxes,
      maxTokensPerMailbox: config.maxTokensPerMailbox,
      maxSubscribersPerMailbox: config.maxSubscribersPerMailbox,
      contactRate: { burst: config.contactBurst, perHour: config.contactPerHour },
      introductionRate: { burst: config.introductionBurst, perHour: config.introductionPerHour },
      createRate: { burst: config.createBurst, perHour: config.createPerHour }
    },
    log: log.child({ component: 'mailbox' }),
    metrics,
    now,
    onDeleted: () => { dirty = true },
    onUnreadable: (connection) => { limits.offended(connection.remoteAddr) }
  })
  const blobStore = new BlobStore(join(config.data, BLOB_DIR))
  const blobs = new BlobService({
    blobs: blobStore,
    mailboxes: store,
    relayId: node.peerId.toMultihash().bytes,
    limits: { maxFileBytes: config.maxFileBytes, maxBytesPerMailbox: config.maxFileBytesPerMailbox, retentionSeconds: config.retention },
    log: log.child({ component: 'blobs' }),
    now
  })
  await blobStore.purgeExpired(now())
  let dirty = false
  await node.handle(FILE_PROTOCOL, blobs.handle, { maxInboundStreams: 32, maxOutboundStreams: 0 })
  await node.handle(MAILBOX_PROTOCOL, mailbox.handle, { maxInboundStreams: 32, maxOutboundStreams: 0 })
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
  await node.start()

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
      const blobsPurged = await blobStore.purgeExpired(now())
      if (blobsPurged > 0) log.info({ count: blobsPurged }, 'purged expired blobs')
      mailbox.sweep()
      limits.sweep()
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
    ready: () => !stopping && !failed && node.status === 'started',
    stop: async () => {
      if (stopping) return
      stopping = true
      clearInterval(timer)
      await mailbox.stop()
      blobs.stop()
      await maintaining
      await node.stop()
      await store.close()
    }
  }
}
