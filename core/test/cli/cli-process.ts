// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Drives real `sotto` processes: one-shot commands, and `run` sessions with JSON lines on
 * stdin/stdout that can be killed with SIGKILL and started again.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'

/** The built CLI. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url))

/** The environment of a test CLI process. */
export function cliEnv (passphrase: string): NodeJS.ProcessEnv {
  return { ...process.env, SOTTO_PASSPHRASE: passphrase, SOTTO_LOG_LEVEL: 'warn' }
}

/** Runs a one-shot command; resolves with its stdout lines parsed as JSON. */
export async function sotto (args: string[], passphrase: string): Promise<Array<Record<string, unknown>>> {
  const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(passphrase) })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  if (code !== 0) throw new Error(`sotto ${args[2] ?? ''} exited ${code}: ${err.trim()}`)
  return out.split('\n').filter(l => l.trim() !== '').map(l => JSON.parse(l) as Record<string, unknown>)
}

/** Runs a one-shot command expected to fail; resolves with its exit code and stderr. */
export async function sottoFails (args: string[], passphrase: string): Promise<{ code: number | null, stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(passphrase) })
  let err = ''
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  child.stdout.resume()
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, stderr: err }
}

/** Runs `sotto` with extra environment; resolves with its exit code, stdout and stderr, failing or not. */
export async function sottoWith (args: string[], passphrase: string, extra: NodeJS.ProcessEnv = {}): Promise<{ code: number | null, out: string, err: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...cliEnv(passphrase), ...extra } })
  const [out, err] = [child.stdout, child.stderr].map(async stream => (await stream.toArray()).join(''))
  const [code] = await once(child, 'close') as [number | null]
  return { code, out: await out ?? '', err: await err ?? '' }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>(resolve => server.close(() => resolve()))
  if (address == null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** A running `sotto run` process. */
export class RunningPeer {
  readonly events: Array<Record<string, unknown>> = []
  private readonly waiters: Array<{ match(e: Record<string, unknown>): boolean, resolve(e: Record<string, unknown>): void }> = []
  private nextRef = 0
  readonly exited: Promise<number | null>
  stderr = ''

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
  static async start (dataDir: string, passphrase: string, extra: string[] = []): Promise<RunningPeer> {
    const child = spawn(process.execPath, [CLI, '--data', dataDir, 'run', '--no-mdns', ...extra], { env: cliEnv(passphrase) })
    const peer = new RunningPeer(child)
    const ready = peer.next(e => e.event === 'ready')
    const failed = peer.exited.then(code => { throw new Error(`sotto run exited ${code} before ready: ${peer.stderr.trim()}`) })
    await Promise.race([ready, failed])
    return peer
  }

  /** The first event (past or future) matching `match`. */
  async next (match: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const seen = this.events.find(match)
    if (seen != null) return seen
    return new Promise(resolve => this.waiters.push({ match, resolve }))
  }

  /** Sends a stdin command; resolves with its result (or error) line. */
  async command (cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ref = ++this.nextRef
    const answer = this.next(e => e.ref === ref && (e.event === 'result' || e.event === 'error'))
    this.child.stdin.write(JSON.stringify({ ...cmd, ref }) + '\n')
    return answer
  }

  /** Writes a stdin command without waiting for its answer; returns its ref. */
  post (cmd: Record<string, unknown>): number {
    const ref = ++this.nextRef
    this.child.stdin.write(JSON.stringify({ ...cmd, ref }) + '\n')
    return ref
  }

  /** Closes stdin (a clean stop) and waits for the exit code. */
  async stop (): Promise<number | null> {
    this.child.stdin.end()
    return this.exited
  }

  /** SIGKILL, no chance to flush anything. */
  async kill (): Promise<void> {
    this.child.kill('SIGKILL')
    await this.exited
  }
}
