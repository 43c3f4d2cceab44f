// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Drives the `sotto` client of `@sotto/core` as child processes, optionally inside a network
 * namespace: one-shot commands, and `run` sessions (JSON lines on stdin and stdout) that can be
 * stopped, or killed with SIGKILL and started again.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'

/** The built `sotto` CLI of the core workspace. */
export const SOTTO_CLI = fileURLToPath(new URL('./cli/main.js', import.meta.resolve('@sotto/core')))

/** Where a process runs: this network namespace, or the test's own when undefined. */
export interface Place {
  netns?: string
}

function command (place: Place, args: string[]): { file: string, argv: string[] } {
  const node = [process.execPath, SOTTO_CLI, ...args]
  if (place.netns == null) return { file: node[0] as string, argv: node.slice(1) }
  return { file: 'ip', argv: ['netns', 'exec', place.netns, ...node] }
}

function env (passphrase: string): NodeJS.ProcessEnv {
  return { ...process.env, SOTTO_PASSPHRASE: passphrase, SOTTO_LOG_LEVEL: 'warn' }
}

/** Runs a one-shot command; resolves with its stdout lines parsed as JSON, or rejects with its stderr. */
export async function sotto (args: string[], passphrase: string, place: Place = {}): Promise<Array<Record<string, unknown>>> {
  const { out, err, code } = await sottoRaw(args, passphrase, place)
  if (code !== 0) throw new Error(`sotto ${args.join(' ')} exited ${code}: ${err.trim()}`)
  return out.split('\n').filter(l => l.trim() !== '').map(l => JSON.parse(l) as Record<string, unknown>)
}

/** Runs a one-shot command; resolves with its exit code and output. */
export async function sottoRaw (args: string[], passphrase: string, place: Place = {}): Promise<{ code: number | null, out: string, err: string }> {
  const { file, argv } = command(place, args)
  const child = spawn(file, argv, { env: env(passphrase) })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, out, err }
}

/** A running `sotto run` process. */
export class SottoRun {
  readonly events: Array<Record<string, unknown>> = []
  readonly exited: Promise<number | null>
  stderr = ''
  private readonly waiters: Array<{ match(e: Record<string, unknown>): boolean, resolve(e: Record<string, unknown>): void }> = []
  private nextRef = 0

  private constructor (readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', line => {
      if (line.trim() === '') return
      const event = JSON.parse(line) as Record<string, unknown>
      this.events.push(event)
      for (const w of [...this.waiters]) {
        if (w.match(event)) {
          this.waiters.splice(this.waiters.indexOf(w), 1)
          w.resolve(event)
        }
      }
    })
    child.stderr.on('data', (d: Buffer) => { this.stderr += d.toString() })
    this.exited = new Promise(resolve => child.on('close', resolve))
  }

  /** Starts `sotto --data dir run` and waits for its ready line. */
  static async start (dataDir: string, passphrase: string, place: Place = {}, extra: string[] = []): Promise<SottoRun> {
    const { file, argv } = command(place, ['--data', dataDir, 'run', '--no-mdns', ...extra])
    const peer = new SottoRun(spawn(file, argv, { env: env(passphrase) }))
    const ready = peer.next(e => e.event === 'ready')
    const failed = peer.exited.then(code => { throw new Error(`sotto run exited ${code} before ready: ${peer.stderr.trim()}`) })
    await Promise.race([ready, failed])
    return peer
  }

  /** The first event (past or future) matching `match`; rejects after `timeoutMs` or if the process exits. */
  async next (match: (e: Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const seen = this.events.find(match)
    if (seen != null) return seen
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (e: Record<string, unknown>) => { clearTimeout(timer); resolve(e) }
      }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`no matching event within ${timeoutMs} ms; stderr: ${this.stderr.trim()}`))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  /** Sends a stdin command; resolves with its result line (rejects on an error line). */
  async command (cmd: Record<string, unknown>): Promise<unknown> {
    const ref = ++this.nextRef
    const answer = this.next(e => e.ref === ref && (e.event === 'result' || e.event === 'error'))
    this.child.stdin.write(JSON.stringify({ ...cmd, ref }) + '\n')
    const line = await answer
    if (line.event === 'error') throw new Error(`${String(line.name)}: ${String(line.message)}`)
    return line.result
  }

  /** Closes stdin (a clean stop) and waits for the exit code. */
  async stop (): Promise<number | null> {
    this.child.stdin.end()
    return this.exited
  }

  /** SIGKILL: no chance to flush anything. */
  async kill (): Promise<void> {
    if (this.child.exitCode == null && this.child.signalCode == null) this.child.kill('SIGKILL')
    await this.exited
  }
}
