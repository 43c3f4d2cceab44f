// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a process uses, read from /proc (it works across network namespaces), and the size of a
 * directory on disk.
 */

import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** Resident memory of a process in bytes, or undefined when it is gone. */
export async function rssOf (pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    return m == null ? undefined : Number(m[1]) * 1024
  } catch {
    return undefined
  }
}

/** CPU time a process used so far (user and system), in seconds, or undefined when it is gone. */
export async function cpuOf (pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command), in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

/** Open file descriptors of a process, or undefined when it is gone. */
export async function fdsOf (pid: number): Promise<number | undefined> {
  try {
    return (await readdir(`/proc/${pid}/fd`)).length
  } catch {
    return undefined
  }
}

/** Bytes of every file under `dir` (0 when it does not exist). */
export async function dirSize (dir: string): Promise<number> {
  let total = 0
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    if (!e.isFile()) continue
    try {
      total += (await stat(join(e.parentPath, e.name))).size
    } catch {}
  }
  return total
}

/** One sample of a process. */
export interface ProcSample {
  at: number
  rss: number
  fds: number
}

/** Samples a process every `intervalMs` until stopped; keeps the peak and every sample. */
export class ProcSampler {
  readonly samples: ProcSample[] = []
  private timer?: NodeJS.Timeout

  constructor (private readonly pid: () => number, private readonly intervalMs = 1000) {}

  /** Starts sampling. */
  start (): this {
    const tick = async (): Promise<void> => {
      const pid = this.pid()
      if (pid > 0) {
        const [rss, fds] = await Promise.all([rssOf(pid), fdsOf(pid)])
        if (rss != null && fds != null) this.samples.push({ at: Date.now(), rss, fds })
      }
    }
    void tick()
    this.timer = setInterval(() => { void tick() }, this.intervalMs)
    this.timer.unref()
    return this
  }

  /** Stops sampling. */
  stop (): void {
    clearInterval(this.timer)
  }

  /** Highest RSS seen, in bytes. */
  get peakRss (): number {
    return Math.max(0, ...this.samples.map(s => s.rss))
  }

  /** Highest fd count seen. */
  get peakFds (): number {
    return Math.max(0, ...this.samples.map(s => s.fds))
  }
}
