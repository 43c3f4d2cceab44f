// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A program the rig runs: a Node process, inside a network namespace when one is given, speaking
 * JSON lines on stdout (and, for some, on stdin). The rig can wait for lines, send commands,
 * stop it, or SIGKILL it.
 */

import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { ChildProcess } from 'node:child_process'

/** One parsed JSON line from a program's stdout. */
export type Line = Record<string, unknown>

/** How a program ended. */
export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** Options of {@link Program.spawn}. */
export interface ProgramOptions {
  /** A short name for messages and errors. */
  label: string
  /** The network namespace to run in; none: the rig's own. */
  ns?: string
  /** The script and its arguments (run with this Node). */
  args: string[]
  /** Added to the rig's environment. */
  env?: Record<string, string>
  /** CPUs the program may run on (`taskset -c` list, e.g. `1`): another host's own processor. */
  cpus?: string
  /** Keep stdin open for commands. Default true. */
  stdin?: boolean
  /** Most stdout lines kept for {@link Program.next} to look back on. Default 20 000. */
  keepLines?: number
}

/** Every program started and not yet exited: killed if the rig exits. */
const live = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook (): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of live) {
      try { child.kill('SIGKILL') } catch {}
    }
  })
}

/** When set, the standard error of every program is appended to `<dir>/<label>.log` as well. */
export const LOGS_ENV = 'SOTTO_RELIABILITY_LOGS'

/** The file a program's standard error is kept in, when {@link LOGS_ENV} is set. */
function logFileOf (label: string): string | undefined {
  const dir = process.env[LOGS_ENV]
  if (dir == null || dir === '') return undefined
  return join(dir, `${label.replace(/[^\w.-]+/g, '_')}.log`)
}

/** A running (or exited) program. */
export class Program {
  private readonly kept: Line[] = []
  private readonly waiters: Array<{ match(l: Line): boolean, resolve(l: Line): void }> = []
  private readonly listeners = new Set<(l: Line) => void>()
  private stderrTail = ''
  private nextRef = 0
  private exitInfo?: Exit
  /** Settles once the process has exited. */
  readonly exited: Promise<Exit>

  private constructor (readonly proc: ChildProcess, readonly label: string, private readonly keepLines: number) {
    live.add(proc)
    this.exited = new Promise(resolve => {
      proc.on('exit', (code, signal) => {
        live.delete(proc)
        this.exitInfo = { code, signal }
        resolve(this.exitInfo)
      })
    })
    const logFile = logFileOf(label)
    const log = logFile != null ? createWriteStream(logFile, { flags: 'a' }) : undefined
    log?.on('error', () => {})
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-64 * 1024)
      log?.write(d)
    })
    proc.stderr?.on('end', () => { log?.end() })
    if (proc.stdout != null) {
      createInterface({ input: proc.stdout }).on('line', text => {
        if (text.trim() === '' || text[0] !== '{') return
        let line: Line
        try {
          line = JSON.parse(text) as Line
        } catch {
          return
        }
        this.kept.push(line)
        if (this.kept.length > this.keepLines) this.kept.splice(0, this.kept.length - this.keepLines)
        for (const l of this.listeners) l(line)
        for (const w of [...this.waiters]) {
          if (w.match(line)) {
            this.waiters.splice(this.waiters.indexOf(w), 1)
            w.resolve(line)
          }
        }
      })
    }
    // A program that dies leaves writes to its stdin failing: that is the program's problem, not ours.
    proc.stdin?.on('error', () => {})
  }

  /** Starts a program. */
  static spawn (options: ProgramOptions): Program {
    installExitHook()
    const node = [...(options.cpus != null ? ['taskset', '-c', options.cpus] : []), process.execPath, ...options.args]
    const [cmd, ...args] = options.ns != null ? ['ip', 'netns', 'exec', options.ns, ...node] : node
    const proc = spawn(cmd as string, args, {
      env: { ...process.env, ...options.env },
      stdio: [options.stdin === false ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    return new Program(proc, options.label, options.keepLines ?? 20_000)
  }

  /** The process id (after `ip netns exec`, the Node process itself). */
  get pid (): number {
    return this.proc.pid ?? -1
  }

  /** Whether the process is still running. */
  get running (): boolean {
    return this.exitInfo == null
  }

  /** The last 64 KiB of standard error. */
  get stderr (): string {
    return this.stderrTail
  }

  /** Calls `listener` with every later stdout line. */
  onLine (listener: (l: Line) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Lines kept so far (the most recent ones). */
  lines (): readonly Line[] {
    return this.kept
  }

  /**
   * The first kept or later line matching `match`. Rejects after `timeoutMs`, or when the program
   * exits first.
   */
  async next (match: (l: Line) => boolean, timeoutMs = 30_000): Promise<Line> {
    const seen = this.kept.find(match)
    if (seen != null) return seen
    if (this.exitInfo != null) throw new Error(`${this.label} exited (${this.describeExit()}) before the line was seen: ${this.stderrTail.slice(-2000)}`)
    return new Promise<Line>((resolve, reject) => {
      const waiter = {
        match,
        resolve: (l: Line) => {
          clearTimeout(timer)
          resolve(l)
        }
      }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`${this.label}: line not seen within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.push(waiter)
      void this.exited.then(() => {
        if (!this.waiters.includes(waiter)) return
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        clearTimeout(timer)
        reject(new Error(`${this.label} exited (${this.describeExit()}) before the line was seen: ${this.stderrTail.slice(-2000)}`))
      })
    })
  }

  /** Writes one JSON command line; returns the `ref` it was given. */
  post (cmd: Record<string, unknown>): number {
    const ref = ++this.nextRef
    this.proc.stdin?.write(JSON.stringify({ ...cmd, ref }) + '\n')
    return ref
  }

  /** Writes one JSON command and resolves with its `result` (or `error`) line. */
  async command (cmd: Record<string, unknown>, timeoutMs = 60_000): Promise<Line> {
    const ref = this.nextRef + 1
    const answer = this.next(l => l.ref === ref && (l.event === 'result' || l.event === 'error'), timeoutMs)
    this.post(cmd)
    return answer
  }

  /** SIGKILL: no chance to flush anything. */
  async kill9 (): Promise<Exit> {
    if (this.exitInfo == null) this.proc.kill('SIGKILL')
    return this.exited
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async terminate (graceMs = 15_000): Promise<Exit> {
    if (this.exitInfo != null) return this.exitInfo
    this.proc.kill('SIGTERM')
    const timer = setTimeout(() => { this.proc.kill('SIGKILL') }, graceMs)
    const exit = await this.exited
    clearTimeout(timer)
    return exit
  }

  /** Closes stdin (a clean stop for programs that stop then), SIGKILL after `graceMs`. */
  async closeStdin (graceMs = 15_000): Promise<Exit> {
    if (this.exitInfo != null) return this.exitInfo
    this.proc.stdin?.end()
    const timer = setTimeout(() => { this.proc.kill('SIGKILL') }, graceMs)
    const exit = await this.exited
    clearTimeout(timer)
    return exit
  }

  private describeExit (): string {
    return this.exitInfo == null ? 'running' : `code ${this.exitInfo.code}, signal ${this.exitInfo.signal}`
  }
}
