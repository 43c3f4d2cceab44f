// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Every place Sotto reaches into libp2p past its public API, and the check that each still works.
 *
 * - TCP corking: @libp2p/tcp 11's connections keep their `socket` and send through `sendData`.
 * - Yamux half-window: @libp2p/yamux 8's muxer makes streams with `_newStream`, and a stream keeps
 *   `recvWindow`, `recvWindowCapacity` and `sendWindowUpdate`.
 * - The transport manager: libp2p 3 has no public call to listen on an address after start (a
 *   relay's `/p2p-circuit`, which makes a reservation), so `listenOn` uses `components.transportManager`.
 * - The reservation queue: @libp2p/circuit-relay-v2 4's reservation store clears its queue when one
 *   reservation completes while it wants no more discovered relays (`#checkReservationCount`), and
 *   a dropped reservation never settles; `listenOn` makes one circuit listen at a time per node.
 *
 * Each falls back to libp2p's own behaviour when what it reaches for is gone. That fallback is
 * silent by nature, so {@link checkInternals} probes each at start and {@link reportInternals}
 * logs one warning per internal that no longer engages: a dependency bump cannot undo one unseen.
 */
import { Socket, connect } from 'node:net'
import { tcp } from '@libp2p/tcp'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { StreamState, YamuxStream } from '@libp2p/yamux/stream'
import { multiaddr } from '@multiformats/multiaddr'
import { BugError } from '../errors.js'
import type { ComponentLogger, Libp2p, Logger as Libp2pLogger, MultiaddrConnection, Upgrader } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What @libp2p/tcp's connections hold: their socket, and the method every write goes through. */
interface SocketConnection {
  socket?: unknown
  sendData?: (data: unknown) => unknown
}

/** What yamux 8 keeps in its streams, which the half-window policy reads and wraps. */
interface StreamWindow {
  state: StreamState
  recvWindow: number
  recvWindowCapacity: number
  sendWindowUpdate: () => void
}

/** What yamux 8's muxers make streams with. */
interface StreamFactory {
  _newStream?: (...args: unknown[]) => unknown
}

/** What libp2p 3 keeps in a node: its components, among them the transport manager. */
interface NodeInternals {
  components?: { transportManager?: { listen?: unknown, getTransports?: () => unknown[] } }
}

/** Connections whose writes are corked per turn, and streams that grant window at half. */
const corked = new WeakSet<object>()
const halfWindowed = new WeakSet<object>()

/**
 * Makes `maConn` cork its socket at the first write of a turn and uncork it when the turn ends.
 * A connection that is not a TCP socket's is returned as it is.
 */
export function coalesceWrites (maConn: MultiaddrConnection): MultiaddrConnection {
  const conn = maConn as unknown as SocketConnection
  const { socket, sendData } = conn
  if (!(socket instanceof Socket) || typeof sendData !== 'function') return maConn
  const send = sendData.bind(maConn)
  conn.sendData = (data: unknown): unknown => {
    if (socket.writableCorked === 0 && !socket.destroyed) {
      socket.cork()
      setImmediate(() => { socket.uncork() })
    }
    return send(data)
  }
  corked.add(maConn)
  return maConn
}

/**
 * Makes `stream` skip window updates while more than half of its receive window is still unused.
 * Updates that carry a flag (the stream's opening) and those of a paused stream go as before.
 */
function grantAtHalf (stream: unknown): void {
  if (!(stream instanceof YamuxStream)) return
  const s = stream as unknown as StreamWindow
  if (typeof s.recvWindow !== 'number' || typeof s.recvWindowCapacity !== 'number' || typeof s.sendWindowUpdate !== 'function') return
  const update = s.sendWindowUpdate.bind(stream)
  s.sendWindowUpdate = () => {
    if (s.state === StreamState.Established && s.recvWindowCapacity >= s.recvWindow / 2) return
    update()
  }
  halfWindowed.add(stream)
}

/** Makes every stream `muxer` creates grant window at half; answers `muxer`. */
export function grantStreamsAtHalf<T> (muxer: T): T {
  const m = muxer as unknown as StreamFactory
  if (typeof m._newStream === 'function') {
    const newStream = m._newStream.bind(muxer)
    m._newStream = (...args: unknown[]) => {
      const stream = newStream(...args)
      grantAtHalf(stream)
      return stream
    }
  }
  return muxer
}

const circuitListens = new WeakMap<object, Promise<unknown>>()

/**
 * Starts listening on more addresses while the node runs. For `<relay>/p2p-circuit` this dials the
 * relay and makes a circuit relay v2 reservation; the relayed addresses then appear in
 * `node.getMultiaddrs()` (and leave it when the relay connection closes). Circuit listens run one
 * at a time per node: a second one made concurrently could be dropped from libp2p's reservation
 * queue and never settle.
 */
export async function listenOn (node: Libp2p, addrs: Multiaddr[]): Promise<void> {
  const manager = (node as unknown as NodeInternals).components?.transportManager
  if (manager == null || typeof manager.listen !== 'function') throw new BugError('this libp2p node has no transport manager to listen with')
  const listen = async (): Promise<void> => { await (manager.listen as (addrs: Multiaddr[]) => Promise<void>).call(manager, addrs) }
  if (!addrs.some(a => a.toString().includes('/p2p-circuit'))) return listen()
  const previous = circuitListens.get(node) ?? Promise.resolve()
  const mine = previous.catch(() => {}).then(listen)
  circuitListens.set(node, mine)
  return mine
}

/** Whether one internal reach still engages with the installed libp2p. */
export interface InternalCheck {
  /** `tcp-cork`, `yamux-half-window`, `transport-manager` or `reservation-queue`. */
  name: string
  engaged: boolean
  /** What was looked for, to say what is missing. */
  detail: string
}

/** Longest a probe may take: a node's start must not wait on a loopback that drops packets. */
const PROBE_TIMEOUT_MS = 5000

/** A libp2p logger that discards everything, for the probes' own transport and muxers. */
function quietLogger (): ComponentLogger {
  const log = Object.assign(() => {}, { enabled: false, error () {}, trace () {}, newScope: () => log }) as unknown as Libp2pLogger
  return { forComponent: () => log }
}

/** Whether a stub upgrader sees a TCP connection from @libp2p/tcp that corking engages on. */
export async function probeTcpCork (wrap: (c: MultiaddrConnection) => MultiaddrConnection = coalesceWrites): Promise<boolean> {
  let resolve: (maConn: MultiaddrConnection) => void = () => {}
  let reject: (err: Error) => void = () => {}
  const seen = new Promise<MultiaddrConnection>((res, rej) => { resolve = res; reject = rej })
  const timer = setTimeout(() => { reject(new Error('no connection came')) }, PROBE_TIMEOUT_MS)
  const upgrader = {
    upgradeInbound: async (maConn: MultiaddrConnection) => { resolve(maConn); throw new Error('probe only') },
    upgradeOutbound: async () => { throw new Error('probe only') }
  } as unknown as Upgrader
  const listener = tcp()({ logger: quietLogger() }).createListener({ upgrader })
  await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
  const port = Number(listener.getAddrs()[0]?.toString().split('/tcp/')[1]?.split('/')[0])
  const socket = connect(port, '127.0.0.1')
  socket.on('error', reject)
  try {
    const maConn = wrap(await seen)
    return corked.has(maConn)
  } finally {
    clearTimeout(timer)
    socket.destroy()
    await listener.close()
  }
}

/** Whether a stream opened on a yamux muxer over an in-memory connection grants window at half. */
export async function probeHalfWindow (wrap: <T>(muxer: T) => T = grantStreamsAtHalf): Promise<boolean> {
  const [a, b] = multiaddrConnectionPair()
  const factory = yamux()()
  const muxers = [wrap(factory.createStreamMuxer(a)), factory.createStreamMuxer(b)]
  try {
    const stream = await muxers[0]?.createStream()
    return stream != null && halfWindowed.has(stream)
  } finally {
    for (const m of muxers) m.abort(new Error('probe only'))
  }
}

/** The transport manager and the circuit relay transport of `node`, as {@link listenOn} uses them. */
export function probeNode (node: Libp2p): { transportManager: boolean, circuitTransport: boolean } {
  const manager = (node as unknown as NodeInternals).components?.transportManager
  const transportManager = typeof manager?.listen === 'function'
  const transports = typeof manager?.getTransports === 'function' ? manager.getTransports() : []
  const circuitTransport = transports.some(t => (t as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === '@libp2p/circuit-relay-v2-transport')
  return { transportManager, circuitTransport }
}

/** The probes that depend only on the installed modules, run once per process. */
let moduleChecks: Promise<InternalCheck[]> | undefined

/** Runs `probe` to an {@link InternalCheck}; a probe that fails or times out says why. */
async function probed (name: string, detail: string, probe: () => Promise<boolean>): Promise<InternalCheck> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error('timed out')) }, PROBE_TIMEOUT_MS)
    timer.unref()
  })
  try {
    return { name, engaged: await Promise.race([probe(), timeout]), detail }
  } catch (err) {
    return { name, engaged: false, detail: `${detail}; the probe failed: ${(err as Error).message}` }
  } finally {
    clearTimeout(timer)
  }
}

/** Probes every internal reach; `node` adds those that need a running node. */
export async function checkInternals (node?: Libp2p): Promise<InternalCheck[]> {
  moduleChecks ??= (async () => [
    await probed('tcp-cork', '@libp2p/tcp connections with `socket` and `sendData`', async () => probeTcpCork()),
    await probed('yamux-half-window', '@libp2p/yamux muxers with `_newStream`, streams with `recvWindow`, `recvWindowCapacity`, `sendWindowUpdate`', async () => probeHalfWindow())
  ])()
  const checks = [...await moduleChecks]
  if (node != null) {
    const { transportManager, circuitTransport } = probeNode(node)
    checks.push(
      { name: 'transport-manager', engaged: transportManager, detail: 'libp2p `components.transportManager.listen`' },
      { name: 'reservation-queue', engaged: transportManager && circuitTransport, detail: 'circuit listens serialised through the transport manager to @libp2p/circuit-relay-v2\'s transport' }
    )
  }
  return checks
}

/** Checks every internal reach and calls `warn` once for each that no longer engages. */
export async function reportInternals (node: Libp2p | undefined, warn: (message: string) => void): Promise<InternalCheck[]> {
  const checks = await checkInternals(node)
  for (const c of checks) {
    if (!c.engaged) warn(`libp2p internal "${c.name}" no longer engages (looked for ${c.detail}); libp2p's own behaviour applies. See docs/ARCHITECTURE.md`)
  }
  return checks
}
