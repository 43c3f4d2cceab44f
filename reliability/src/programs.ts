// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The real programs under test, run on the rig's hosts: `sotto-relay` and `sotto` (one-shot
 * commands and `sotto run`), as built by `tsc -b`.
 */

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Program } from './child.js'
import type { Exit, Line } from './child.js'
import type { Host } from './network.js'

/** `sotto`, built. */
export const SOTTO_CLI = join(dirname(fileURLToPath(import.meta.resolve('@sotto/core'))), 'cli', 'main.js')

/** `sotto-relay`, built. */
export const RELAY_CLI = join(dirname(fileURLToPath(import.meta.resolve('@sotto/relay-node/package.json'))), 'dist', 'src', 'cli.js')

/** The port peers listen on (TCP), on every host. */
export const PEER_PORT = 4001

/** The ports relays listen on: TCP and WebSockets. */
export const RELAY_PORTS = { tcp: 4001, ws: 4002 }

/** Options of {@link RelayDaemon.start}. */
export interface RelayOptions {
  /** The host it runs on; it listens on the host's address and its aliases. */
  host: Host
  /** Its data directory (kept across restarts). */
  dataDir: string
  /** More flags (`--retention 60s`, …). */
  args?: string[]
  /** A label for errors. */
  label?: string
  /** CPUs it may run on (`taskset -c`). */
  cpus?: string
}

/** A `sotto-relay` process that can be killed and started again on the same data. */
export class RelayDaemon {
  program?: Program
  peerId = ''
  /** Its address for peers on the LAN: `/ip4/<host ip>/tcp/4001/p2p/<id>`. */
  addr = ''
  /** Every start, in order. */
  starts = 0

  constructor (readonly options: RelayOptions) {}

  /** Starts the relay and waits until it listens. */
  async start (): Promise<void> {
    const { host, dataDir } = this.options
    const listen = [host.ip, ...host.aliases].flatMap(ip => ['--listen', `/ip4/${ip}/tcp/${RELAY_PORTS.tcp}`, '--listen', `/ip4/${ip}/tcp/${RELAY_PORTS.ws}/ws`])
    const program = host.spawn({
      label: this.options.label ?? `relay ${host.name}`,
      stdin: false,
      ...(this.options.cpus != null ? { cpus: this.options.cpus } : {}),
      // The Node.js flags docs/relay.md starts the daemon with (they bound its heap).
      args: [RELAY_CLI, '--data', dataDir, '--jurisdiction', 'DE', '--operator', 'Reliability rig',
        '--http', '127.0.0.1:9464', '--log-level', 'info', ...listen, ...(this.options.args ?? [])]
    })
    this.program = program
    const line = await program.next(l => l.msg === 'listening', 30_000)
    this.peerId = String(line.peerId)
    this.addr = `/ip4/${host.ip}/tcp/${RELAY_PORTS.tcp}/p2p/${this.peerId}`
    this.starts++
  }

  /** The running process's pid, or -1. */
  get pid (): number {
    return this.program?.running === true ? this.program.pid : -1
  }

  /** SIGKILL. */
  async kill9 (): Promise<Exit | undefined> {
    return this.program?.kill9()
  }

  /** SIGTERM and wait (the relay drains, then exits). */
  async stop (): Promise<Exit | undefined> {
    return this.program?.terminate()
  }
}

/** Options of {@link SottoPeer}. */
export interface PeerOptions {
  host: Host
  dataDir: string
  /** The data directory's passphrase. */
  passphrase: string
  /** Listen addresses for `run`; default: the host's address (and, behind an edge, its inner one). */
  listen?: string[]
  label?: string
  /** `SOTTO_LOG_LEVEL`; default: the rig's own `SOTTO_LOG_LEVEL`, else `warn`. */
  logLevel?: string
  /** Discover peers on the LAN with mDNS (default off: the rig's peers find each other by their cards). */
  mdns?: boolean
  /** `init --hide-ip`: the peer hides its IP address from everyone but its home relays. */
  hideIp?: boolean
}

/** A `sotto` identity on one host: one-shot commands, and a `sotto run` process. */
export class SottoPeer {
  program?: Program
  peerId = ''
  /** Every start of `run`, in order. */
  starts = 0
  private readonly listeners = new Set<(l: Line, incarnation: number) => void>()

  constructor (readonly options: PeerOptions) {}

  /** Listen addresses: the host's public one and, behind an edge, its inner one. */
  get listen (): string[] {
    if (this.options.listen != null) return this.options.listen
    const host = this.options.host as Host & { innerIp?: string }
    return [host.ip, ...(host.innerIp != null ? [host.innerIp] : [])].map(ip => `/ip4/${ip}/tcp/4001`)
  }

  private env (): Record<string, string> {
    return { SOTTO_PASSPHRASE: this.options.passphrase, SOTTO_LOG_LEVEL: this.options.logLevel ?? process.env.SOTTO_LOG_LEVEL ?? 'warn' }
  }

  /** Runs a one-shot command on the peer's host; resolves with its stdout lines. */
  async oneShot (args: string[], timeoutMs = 60_000): Promise<Line[]> {
    const program = this.options.host.spawn({
      label: `sotto ${args[0] ?? ''} (${this.label})`,
      stdin: false,
      env: this.env(),
      args: [SOTTO_CLI, '--data', this.options.dataDir, ...args]
    })
    const lines: Line[] = []
    program.onLine(l => lines.push(l))
    const timer = setTimeout(() => { void program.kill9() }, timeoutMs)
    const exit = await program.exited
    clearTimeout(timer)
    if (exit.code !== 0) throw new Error(`sotto ${args[0] ?? ''} (${this.label}) exited ${exit.code ?? exit.signal}: ${program.stderr.trim().slice(-2000)}`)
    return lines
  }

  /** `sotto init`; returns the invite. */
  async init (name: string, relays: string[] = []): Promise<string> {
    const [line] = await this.oneShot(['init', '--name', name, ...this.mdnsFlag, ...(this.options.hideIp === true ? ['--hide-ip'] : []), ...this.listen.flatMap(a => ['--listen', a]), ...relays.flatMap(r => ['--relay', r])])
    this.peerId = String(line?.peerId)
    return String(line?.invite)
  }

  private get mdnsFlag (): string[] {
    return this.options.mdns === true ? [] : ['--no-mdns']
  }

  get label (): string {
    return this.options.label ?? this.options.host.name
  }

  /** Starts `sotto run` and waits for its ready line. */
  async start (): Promise<void> {
    const program = this.options.host.spawn({
      label: `sotto run (${this.label})`,
      env: this.env(),
      args: [SOTTO_CLI, '--data', this.options.dataDir, 'run', ...this.mdnsFlag, ...this.listen.flatMap(a => ['--listen', a])]
    })
    this.program = program
    const incarnation = ++this.starts
    program.onLine(l => { for (const f of this.listeners) f(l, incarnation) })
    const ready = await program.next(l => l.event === 'ready', 60_000)
    this.peerId = String(ready.peerId)
  }

  /** Calls `listener` with every event line of every incarnation from now on. */
  onEvent (listener: (l: Line, incarnation: number) => void): void {
    this.listeners.add(listener)
  }

  /** Whether `run` is up. */
  get running (): boolean {
    return this.program?.running === true
  }

  /** The running process's pid, or -1. */
  get pid (): number {
    return this.running ? (this.program as Program).pid : -1
  }

  /** The current `run` process; throws when it is not running. */
  get live (): Program {
    if (this.program == null || !this.program.running) throw new Error(`${this.label} is not running`)
    return this.program
  }

  /** Runs one stdin command; resolves with its result, throws on an error line. */
  async command (cmd: Record<string, unknown>, timeoutMs = 60_000): Promise<unknown> {
    const line = await this.live.command(cmd, timeoutMs)
    if (line.event !== 'result') throw new Error(`${String(cmd.cmd)} on ${this.label}: ${String(line.name)}: ${String(line.message)}`)
    return line.result
  }

  /** A conversation, oldest first. */
  async history (contact: string): Promise<Array<Record<string, unknown>>> {
    return await this.command({ cmd: 'history', contact }, 120_000) as Array<Record<string, unknown>>
  }

  /** SIGKILL. */
  async kill9 (): Promise<Exit | undefined> {
    return this.program?.kill9()
  }

  /** Closes stdin: `run` stops cleanly. */
  async stop (): Promise<Exit | undefined> {
    return this.program?.closeStdin()
  }
}
