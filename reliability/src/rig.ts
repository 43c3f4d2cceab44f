// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A scenario's world in a few calls: a network, relays on their own hosts, `sotto` peers on theirs
 * (optionally behind an impaired edge), contacts between them, and one `close()` that removes
 * everything, whatever happened.
 */

import { Agent } from './agent.js'
import { Network } from './network.js'
import { PEER_PORT, RELAY_PORTS, RelayDaemon, SottoPeer } from './programs.js'
import { rm } from 'node:fs/promises'
import { rigTempDir } from './sys.js'
import { waitUntil } from './scenario.js'
import { pair } from './traffic.js'
import type { Host } from './network.js'
import type { Impairment } from './proxy.js'

/** Options of {@link Rig.peer}. */
export interface RigPeerOptions {
  /** Home relays (given to `init --relay`). */
  relays?: RelayDaemon[]
  /** Put the peer behind an impaired link reaching these relays. */
  edge?: { impairment?: Impairment, seed?: number }
  /** `SOTTO_LOG_LEVEL`. */
  logLevel?: string
  /** Do not start `sotto run` yet. */
  stopped?: boolean
  /** `init --hide-ip`. */
  hideIp?: boolean
  /** Put the peer behind a masquerading router of its own (nobody can connect to it). */
  nat?: boolean
}

/** A scenario's world. */
export class Rig {
  readonly relays: RelayDaemon[] = []
  readonly peers: SottoPeer[] = []
  private readonly relayHosts = new Map<RelayDaemon, Host>()
  private readonly dirs: string[] = []
  private readonly agents = new Map<Host, Agent>()

  private constructor (readonly net: Network) {}

  /** A fresh network named `name` (a short label). */
  static async create (name: string): Promise<Rig> {
    return new Rig(await Network.create(name))
  }

  /** The host a relay of this rig runs on. */
  hostOf (relay: RelayDaemon): Host {
    const host = this.relayHosts.get(relay)
    if (host == null) throw new Error('not a relay of this rig')
    return host
  }

  /** A relay on a host of its own (with an alias address, so edge hosts can reach it); started. */
  async relay (name: string, args: string[] = [], cpus?: string): Promise<RelayDaemon> {
    const host = await this.net.host(name, { aliases: 1 })
    const relay = new RelayDaemon({ host, dataDir: await this.dir(name), args, label: `relay ${name}`, ...(cpus != null ? { cpus } : {}) })
    this.relays.push(relay)
    this.relayHosts.set(relay, host)
    await relay.start()
    return relay
  }

  /** A `sotto` peer on a host of its own, initialised with its home relays and started. */
  async peer (name: string, options: RigPeerOptions = {}): Promise<SottoPeer> {
    const relays = options.relays ?? []
    const host = options.nat === true
      ? await this.net.natHost(name)
      : options.edge == null
      ? await this.net.host(name)
      : await this.net.edgeHost(name, {
        expose: [PEER_PORT],
        upstream: relays.map(r => ({ host: this.relayHosts.get(r) as Host, ports: [RELAY_PORTS.tcp] })),
        ...(options.edge.impairment != null ? { impairment: options.edge.impairment } : {}),
        ...(options.edge.seed != null ? { seed: options.edge.seed } : {})
      })
    const peer = new SottoPeer({
      host,
      dataDir: await this.dir(name),
      passphrase: `${name} passphrase`,
      label: name,
      ...(options.logLevel != null ? { logLevel: options.logLevel } : {}),
      ...(options.hideIp === true ? { hideIp: true } : {})
    })
    this.peers.push(peer)
    await peer.init(name, relays.map(r => r.addr))
    if (options.stopped !== true) await peer.start()
    return peer
  }

  /**
   * Makes `a` and `b` (both running) contacts, and waits until each holds a deposit token at
   * every home relay of the other (when the messenger gives tokens).
   */
  async contacts (a: SottoPeer, b: SottoPeer, relaysEach: number | [number, number] = 0, timeoutMs = 60_000): Promise<{ aSeesB: string, bSeesA: string }> {
    const invite = (await b.command({ cmd: 'invite' }) as { invite: string }).invite
    const ids = await pair(a, b, invite)
    const [ofB, ofA] = typeof relaysEach === 'number' ? [relaysEach, relaysEach] : relaysEach
    if (ofA + ofB > 0) {
      await waitUntil('deposit tokens exchanged', async () => {
        return await mailboxesOf(a, ids.aSeesB) >= ofB && await mailboxesOf(b, ids.bSeesA) >= ofA
      }, timeoutMs, 500)
    }
    return ids
  }

  /** A relay's Prometheus metrics, read on its host. */
  async metrics (relay: RelayDaemon): Promise<Map<string, number>> {
    const host = this.relayHosts.get(relay)
    if (host == null) throw new Error('not a relay of this rig')
    this.agents.set(host, this.agents.get(host) ?? await Agent.start(host, `metrics ${host.name}`))
    const { body } = await (this.agents.get(host) as Agent).run<{ body: string }>('http-get', { url: 'http://127.0.0.1:9464/metrics' })
    const out = new Map<string, number>()
    for (const line of body.split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line)
      if (m != null) out.set(m[1] as string, Number(m[2]))
    }
    return out
  }

  /** Stops every process, removes every namespace and temporary directory. Never throws. */
  async close (): Promise<void> {
    await Promise.allSettled([...this.agents.values()].map(async a => a.program.kill9()))
    await Promise.allSettled(this.peers.map(async p => p.kill9()))
    await Promise.allSettled(this.relays.map(async r => r.kill9()))
    await this.net.destroy().catch(() => {})
    await Promise.allSettled(this.dirs.map(async d => rm(d, { recursive: true, force: true })))
  }

  /** A temporary directory removed by {@link close}. */
  async dir (label: string): Promise<string> {
    const dir = await rigTempDir(label)
    this.dirs.push(dir)
    return dir
  }
}

/** How many of a contact's relays `peer` can deposit at (0 when the messenger does not say). */
export async function mailboxesOf (peer: SottoPeer, contact: string): Promise<number> {
  const list = await peer.command({ cmd: 'contacts' }) as Array<{ contact: string, mailboxes?: number }>
  return list.find(c => c.contact === contact)?.mailboxes ?? 0
}
