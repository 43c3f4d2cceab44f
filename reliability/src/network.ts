// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A small network of simulated hosts on this machine. Each host is a network namespace with a
 * veth pair to a bridge in a hub namespace: one LAN, `10.77.X.0/25`, with `X` picked per run.
 *
 * A host can be cut off and healed (its bridge port down and up: packets vanish, as on a real
 * partition, and connections only notice by timing out) and throttled (`tc … tbf` on both ends of
 * its veth).
 *
 * An **edge host** sits behind an impaired link: its own namespace reaches the LAN only through
 * an edge namespace running the rig's proxy (delay, drop). Its public address lives on the edge,
 * where the proxy forwards it to the host; the host also holds that address on its loopback, so it
 * listens on it and advertises it. Upstream targets (relays) are reached the same way: the edge
 * owns each target's address and forwards to the target's alias address. The host has no other
 * route, so every byte it sends or receives crosses the impaired link, like a phone on a bad
 * mobile network behind NAT. Inner links use `10.77.X.128/25`, in /30s.
 *
 * A **NAT host** sits behind a router of its own: the router namespace holds a LAN address and
 * masquerades (Debian's `nftables`) whatever the host sends out, as a home router does. The host
 * holds only its private address on the inner link (in `10.77.X.128/25`, which no LAN host can
 * route to), so nobody can open a connection to it; it can open connections to anyone, and they
 * see the router's address and the host's source port (Linux keeps it when it is free).
 */

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Program } from './child.js'
import { NS_PREFIX, destroyNamespaceSync, removeLeftovers, sh } from './sys.js'
import type { ProgramOptions } from './child.js'
import type { Impairment, ProxyRoute, ProxyStats } from './proxy.js'

/** The proxy program, built. */
const PROXY_MAIN = join(fileURLToPath(new URL('.', import.meta.url)), 'proxy-main.js')

/** Token bucket settings for {@link Host.throttle}. */
export interface Throttle {
  /** Rate in kbit/s. */
  rateKbit: number
  /** Bucket size in bytes. Default: 10 ms at the rate, at least 4 KiB. */
  burstBytes?: number
  /** Longest a packet may queue, in ms. Default 400. */
  latencyMs?: number
}

/** A network of hosts around one bridge. */
export class Network {
  private readonly hosts: Host[] = []
  private readonly namespaces: string[] = []
  private nextIp = 1
  private nextLink = 0
  private destroyed = false
  private readonly onExit = (): void => { this.destroySync() }

  private constructor (readonly name: string, readonly subnet: string, readonly hub: string) {}

  /**
   * Builds the hub (after removing what earlier, dead runs left behind). `name` is a short
   * label for this network's namespaces.
   */
  static async create (name: string): Promise<Network> {
    await removeLeftovers()
    const third = 20 + (process.pid % 200)
    const hub = `${NS_PREFIX}-${process.pid}-${name}-hub`
    const net = new Network(name, `10.77.${third}`, hub)
    process.on('exit', net.onExit)
    try {
      await net.addNamespace(hub)
      await ipIn(hub, ['link', 'add', 'br0', 'type', 'bridge'])
      await ipIn(hub, ['link', 'set', 'br0', 'up'])
    } catch (err) {
      await net.destroy()
      throw err
    }
    return net
  }

  /** Every host so far. */
  get all (): readonly Host[] {
    return this.hosts
  }

  /**
   * Adds a host on the LAN. `aliases` extra addresses are added to it (an edge uses one to reach
   * a target whose main address it owns itself).
   */
  async host (name: string, options: { aliases?: number } = {}): Promise<Host> {
    const ns = this.nsName(name)
    const ip = this.allocateIp()
    const aliases = Array.from({ length: options.aliases ?? 0 }, () => this.allocateIp())
    const port = `p${this.hosts.length + 1}`
    await this.addNamespace(ns)
    await this.plug(ns, 'eth0', port)
    for (const addr of [ip, ...aliases]) await ipIn(ns, ['addr', 'add', `${addr}/25`, 'dev', 'eth0'])
    await ipIn(ns, ['link', 'set', 'eth0', 'up'])
    // Multicast goes out on the LAN, as through a real host's default route: mDNS needs it.
    await ipIn(ns, ['route', 'add', '224.0.0.0/4', 'dev', 'eth0'])
    const host = new Host(this, name, ns, ip, aliases, port, 'eth0')
    this.hosts.push(host)
    return host
  }

  /**
   * Adds a host behind an impaired link. `expose`: the host's ports reachable from the LAN at its
   * public address. `upstream`: LAN hosts (each with an alias) and ports the host may reach.
   */
  async edgeHost (name: string, options: { expose: number[], upstream: Array<{ host: Host, ports: number[] }>, impairment?: Impairment, seed?: number }): Promise<EdgeHost> {
    const ns = this.nsName(name)
    const edgeNs = this.nsName(`${name}-edge`)
    const ip = this.allocateIp()
    const port = `p${this.hosts.length + 1}`
    // The impaired link: host eth0 <-> edge in0; the edge on the LAN, holding the host's public address.
    const { gateway, inner } = await this.innerLinked(ns, edgeNs, ip, port)
    await ipIn(ns, ['addr', 'add', `${ip}/32`, 'dev', 'lo'])
    const routes: ProxyRoute[] = options.expose.map(p => ({ listenHost: ip, listenPort: p, targetHost: inner, targetPort: p }))
    for (const up of options.upstream) {
      const alias = up.host.aliases[0]
      if (alias == null) throw new Error(`upstream host ${up.host.name} needs an alias address`)
      await ipIn(edgeNs, ['addr', 'add', `${up.host.ip}/32`, 'dev', 'in0'])
      await ipIn(ns, ['route', 'add', `${up.host.ip}/32`, 'via', gateway])
      for (const p of up.ports) routes.push({ listenHost: up.host.ip, listenPort: p, targetHost: alias, targetPort: p })
    }
    const proxy = Program.spawn({
      label: `proxy ${name}`,
      ns: edgeNs,
      args: [PROXY_MAIN, JSON.stringify({ routes, impairment: options.impairment, seed: options.seed ?? 1 })]
    })
    await proxy.next(l => l.event === 'ready', 15_000)
    const host = new EdgeHost(this, name, ns, ip, [], port, 'eth0', edgeNs, inner, proxy)
    this.hosts.push(host)
    return host
  }

  /** Adds a host behind a masquerading router of its own (see the module comment). Needs `nft`. */
  async natHost (name: string): Promise<NatHost> {
    const ns = this.nsName(name)
    const routerNs = this.nsName(`${name}-nat`)
    const publicIp = this.allocateIp()
    const port = `p${this.hosts.length + 1}`
    const { gateway, inner } = await this.innerLinked(ns, routerNs, publicIp, port)
    await ipIn(ns, ['route', 'add', 'default', 'via', gateway])
    const inRouter = async (args: string[]): Promise<string> => sh('ip', ['netns', 'exec', routerNs, ...args])
    await inRouter(['sysctl', '-qw', 'net.ipv4.ip_forward=1'])
    await inRouter(['nft', 'add', 'table', 'ip', 'nat'])
    await inRouter(['nft', 'add', 'chain', 'ip', 'nat', 'postrouting', '{ type nat hook postrouting priority srcnat; }'])
    await inRouter(['nft', 'add', 'rule', 'ip', 'nat', 'postrouting', 'oifname', 'out0', 'masquerade'])
    // As a home router's firewall does, unsolicited packets for the router itself are dropped. Without
    // it, a hole-punching packet that arrives before the host's own has left leaves a connection-tracking
    // entry for the router that makes the masquerade pick another port for the host's (RFC 4787's
    // port-preserving mapping lost), and the other side never hears from the port it was told.
    await inRouter(['nft', 'add', 'table', 'ip', 'filter'])
    await inRouter(['nft', 'add', 'chain', 'ip', 'filter', 'input', '{ type filter hook input priority filter; }'])
    await inRouter(['nft', 'add', 'rule', 'ip', 'filter', 'input', 'iifname', 'out0', 'ct', 'state', 'new', 'drop'])
    const host = new NatHost(this, name, ns, inner, [], port, 'eth0', routerNs, publicIp)
    this.hosts.push(host)
    return host
  }

  /** Kills every process in the network's namespaces and deletes them. */
  async destroy (): Promise<void> {
    this.destroySync()
  }

  private destroySync (): void {
    if (this.destroyed) return
    this.destroyed = true
    process.off('exit', this.onExit)
    for (const ns of [...this.namespaces].reverse()) destroyNamespaceSync(ns)
  }

  private nsName (name: string): string {
    if (!/^[a-z0-9-]{1,24}$/.test(name)) throw new Error(`bad host name ${JSON.stringify(name)}`)
    return `${NS_PREFIX}-${process.pid}-${this.name}-${name}`
  }

  private allocateIp (): string {
    if (this.nextIp > 126) throw new Error('no LAN address left in this network')
    return `${this.subnet}.${this.nextIp++}`
  }

  /**
   * Makes namespaces `ns` (a host) and `outerNs` (its edge or router), joined by a new /30 in
   * `10.77.X.128/25` (host eth0, outer in0), and plugs the outer one into the LAN at `ip` (out0, on
   * bridge port `port`). Resolves with the outer end's address (the gateway) and the host's.
   */
  private async innerLinked (ns: string, outerNs: string, ip: string, port: string): Promise<{ gateway: string, inner: string }> {
    const link = this.nextLink++
    if (link >= 32) throw new Error('no inner link left in this network')
    const gateway = `${this.subnet}.${128 + 4 * link + 1}`
    const inner = `${this.subnet}.${128 + 4 * link + 2}`
    await this.addNamespace(ns)
    await this.addNamespace(outerNs)
    await sh('ip', ['link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', 'in0', 'netns', outerNs])
    await ipIn(ns, ['addr', 'add', `${inner}/30`, 'dev', 'eth0'])
    await ipIn(ns, ['link', 'set', 'eth0', 'up'])
    await ipIn(outerNs, ['addr', 'add', `${gateway}/30`, 'dev', 'in0'])
    await ipIn(outerNs, ['link', 'set', 'in0', 'up'])
    await this.plug(outerNs, 'out0', port)
    await ipIn(outerNs, ['addr', 'add', `${ip}/25`, 'dev', 'out0'])
    await ipIn(outerNs, ['link', 'set', 'out0', 'up'])
    return { gateway, inner }
  }

  private async addNamespace (ns: string): Promise<void> {
    await sh('ip', ['netns', 'add', ns])
    this.namespaces.push(ns)
    await ipIn(ns, ['link', 'set', 'lo', 'up'])
  }

  /** A veth from `ns` (named `ifname`) to a new bridge port `port` in the hub. */
  private async plug (ns: string, ifname: string, port: string): Promise<void> {
    await sh('ip', ['link', 'add', ifname, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', this.hub])
    await ipIn(this.hub, ['link', 'set', port, 'master', 'br0'])
    await ipIn(this.hub, ['link', 'set', port, 'up'])
  }
}

/** Runs `ip` inside a namespace. */
async function ipIn (ns: string, args: string[]): Promise<string> {
  return sh('ip', ['-n', ns, ...args])
}

/** One simulated host. */
export class Host {
  private isCut = false

  constructor (
    readonly network: Network,
    readonly name: string,
    readonly ns: string,
    /** Its address on the LAN (for an edge host: its public address). */
    readonly ip: string,
    /** Extra LAN addresses. */
    readonly aliases: string[],
    /** Its bridge port in the hub. */
    readonly port: string,
    /** Its own interface. */
    readonly ifname: string
  ) {}

  /** Whether the host is cut off now. */
  get cut (): boolean {
    return this.isCut
  }

  /** Cuts the host off the LAN: its bridge port goes down; packets vanish both ways. */
  async cutOff (): Promise<void> {
    await ipIn(this.network.hub, ['link', 'set', this.port, 'down'])
    this.isCut = true
  }

  /** Heals the cut. */
  async heal (): Promise<void> {
    await ipIn(this.network.hub, ['link', 'set', this.port, 'up'])
    this.isCut = false
  }

  /** Limits the host's link to `rateKbit` in both directions (tbf at both ends of its veth). */
  async throttle (t: Throttle): Promise<void> {
    for (const [ns, dev] of this.linkEnds()) {
      const burst = t.burstBytes ?? Math.max(4096, Math.ceil(t.rateKbit * 1000 / 8 / 100))
      await sh('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'replace', 'dev', dev, 'root', 'tbf',
        'rate', `${t.rateKbit}kbit`, 'burst', String(burst), 'latency', `${t.latencyMs ?? 400}ms`])
    }
  }

  /** Removes the throttle. */
  async unthrottle (): Promise<void> {
    for (const [ns, dev] of this.linkEnds()) {
      await sh('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', dev, 'root']).catch(() => '')
    }
  }

  /** Starts a Node program on this host. */
  spawn (options: Omit<ProgramOptions, 'ns'>): Program {
    return Program.spawn({ ...options, ns: this.ns })
  }

  /** The two ends of the host's own link: [namespace, device]. */
  protected linkEnds (): Array<[string, string]> {
    return [[this.ns, this.ifname], [this.network.hub, this.port]]
  }
}

/** A host behind an impaired link (see the module comment). */
export class EdgeHost extends Host {
  constructor (
    network: Network, name: string, ns: string, ip: string, aliases: string[], port: string, ifname: string,
    /** The edge namespace, holding the proxy. */
    readonly edgeNs: string,
    /** The host's address on the inner link. */
    readonly innerIp: string,
    /** The proxy program on the edge. */
    readonly proxy: Program
  ) {
    super(network, name, ns, ip, aliases, port, ifname)
  }

  /** Sets the proxy's impairment; resolves with its counters so far. */
  async impair (impairment: Impairment): Promise<ProxyStats> {
    return (await this.proxy.command({ cmd: 'set', impairment })).result as ProxyStats
  }

  /** Resets every connection through the edge (both ends see a reset); resolves with the counters. */
  async resetConnections (): Promise<ProxyStats> {
    return (await this.proxy.command({ cmd: 'reset' })).result as ProxyStats
  }

  /** The proxy's counters. */
  async proxyStats (): Promise<ProxyStats> {
    return (await this.proxy.command({ cmd: 'stats' })).result as ProxyStats
  }

  /** The impaired link: host eth0 and edge in0. */
  protected override linkEnds (): Array<[string, string]> {
    return [[this.ns, 'eth0'], [this.edgeNs, 'in0']]
  }
}

/** A host behind a masquerading router (see the module comment). Its `ip` is its private address. */
export class NatHost extends Host {
  constructor (
    network: Network, name: string, ns: string, ip: string, aliases: string[], port: string, ifname: string,
    /** The router's namespace. */
    readonly routerNs: string,
    /** The router's LAN address: what everyone else sees of the host. */
    readonly publicIp: string
  ) {
    super(network, name, ns, ip, aliases, port, ifname)
  }

  /** The host's link to its router: host eth0 and router in0. */
  protected override linkEnds (): Array<[string, string]> {
    return [[this.ns, 'eth0'], [this.routerNs, 'in0']]
  }
}
