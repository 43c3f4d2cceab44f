// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Running system commands (`ip`, `tc`) from the rig, and the rig's names and temporary
 * directories. Everything the rig makes carries its prefix and the pid of the process that made it,
 * so that a later run can tell its own leftovers from another run's live network.
 */

import { execFile, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, mkdir, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The prefix of every namespace the rig makes: `srl-<pid>-<name>`. */
export const NS_PREFIX = 'srl'

/** The rig's temporary root: `<tmpdir>/sotto-reliability/<pid>/…`. */
export const TMP_ROOT = join(tmpdir(), 'sotto-reliability')

/** A command failed: its arguments, exit code and standard error. */
export class CommandError extends Error {
  override name = 'CommandError'
}

/** Runs a command; resolves with its standard output, rejects with a {@link CommandError}. */
export async function sh (cmd: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err != null) {
        reject(new CommandError(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`))
        return
      }
      resolve(stdout)
    })
  })
}

/** Runs a command synchronously, ignoring failure (for cleanup while exiting). */
export function shSync (cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).toString()
  } catch {
    return ''
  }
}

/** Whether a process with this pid exists and has not exited (a zombie has). */
export function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** A fresh temporary directory owned by this run. */
export async function rigTempDir (label: string): Promise<string> {
  const base = join(TMP_ROOT, String(process.pid))
  await mkdir(base, { recursive: true })
  return mkdtemp(join(base, `${label}-`))
}

/** Removes this run's temporary root. */
export async function removeRigTemp (): Promise<void> {
  await rm(join(TMP_ROOT, String(process.pid)), { recursive: true, force: true })
}

/** Namespaces made by the rig, as `{ name, pid }` of the run that made them. */
export function rigNamespaces (): Array<{ name: string, pid: number }> {
  return shSync('ip', ['netns', 'list']).split('\n')
    .map(line => line.trim().split(/\s+/)[0] ?? '')
    .flatMap(name => {
      const m = new RegExp(`^${NS_PREFIX}-(\\d+)-`).exec(name)
      return m == null ? [] : [{ name, pid: Number(m[1]) }]
    })
}

/** Kills every process inside a namespace, then deletes it. Synchronous: usable while exiting. */
export function destroyNamespaceSync (name: string): void {
  for (let round = 0; round < 3; round++) {
    const pids = shSync('ip', ['netns', 'pids', name]).split('\n').map(Number).filter(n => n > 0)
    if (pids.length === 0) break
    for (const pid of pids) {
      try { process.kill(pid, 'SIGKILL') } catch {}
    }
    const until = Date.now() + 2000
    while (pids.some(alive) && Date.now() < until) shSync('sleep', ['0.05'])
  }
  shSync('ip', ['netns', 'delete', name])
}

/**
 * Removes what earlier runs left behind: namespaces (with the processes inside them) and
 * temporary directories whose owning process is gone. Another run that is still alive keeps
 * its network.
 */
export async function removeLeftovers (): Promise<{ namespaces: number, dirs: number }> {
  let namespaces = 0
  for (const ns of rigNamespaces()) {
    if (ns.pid === process.pid || alive(ns.pid)) continue
    destroyNamespaceSync(ns.name)
    namespaces++
  }
  let dirs = 0
  const entries = await readdir(TMP_ROOT).catch(() => [] as string[])
  for (const entry of entries) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue
    await rm(join(TMP_ROOT, entry), { recursive: true, force: true })
    dirs++
  }
  return { namespaces, dirs }
}
