// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What every scenario shares: the short (CI) or long form, figures, waiting, percentiles.
 */

import { appendFileSync } from 'node:fs'

/** Set to `1` by `npm run reliability -- --long`: scenarios run their long form. */
export const LONG_ENV = 'SOTTO_RELIABILITY_LONG'

/** When set, every figure is appended to this file as a JSON line. */
export const FIGURES_ENV = 'SOTTO_RELIABILITY_FIGURES'

/** Whether the long form runs. */
export const LONG = process.env[LONG_ENV] === '1'

/** `short` in CI, `long` on demand. */
export function pick<T> (short: T, long: T): T {
  return LONG ? long : short
}

/** One measured figure of a scenario. */
export interface Figure {
  scenario: string
  name: string
  value: number
  unit: string
  /** What it must be, in words (`= 0`, `≤ 5×`). */
  goal?: string
}

/** Prints a figure (and records it for the runner's table). */
export function figure (f: Figure): void {
  const line = { ...f, form: LONG ? 'long' : 'short', at: new Date().toISOString() }
  console.log(`# FIGURE ${f.scenario} | ${f.name}: ${round(f.value)} ${f.unit}${f.goal != null ? ` (goal ${f.goal})` : ''}`)
  const file = process.env[FIGURES_ENV]
  if (file != null && file !== '') appendFileSync(file, JSON.stringify(line) + '\n')
}

/** A number rounded for people: integers as they are, others to three significant digits. */
export function round (n: number): string {
  if (Number.isInteger(n)) return String(n)
  return Number(n.toPrecision(3)).toString()
}

/** Mebibytes. */
export function mib (bytes: number): number {
  return Math.round(bytes / 1024 / 1024 * 10) / 10
}

/** The p-th percentile (0–100) of `values` (nearest rank); NaN when empty. */
export function percentile (values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))
  return sorted[rank] as number
}

/** Polls `condition` every `everyMs` until it holds; throws `what` after `timeoutMs`. */
export async function waitUntil (what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${what}`)
    await sleep(everyMs)
  }
}

/** What {@link waitForProgress} measured. */
export interface Progress {
  /** From the start of the wait to the end (all done, or given up). */
  elapsedMs: number
  /** The longest stretch without progress. */
  longestStallMs: number
  /** What was left at the end (0: all done). */
  left: number
}

/**
 * Waits until `remaining()` is 0, as long as it keeps falling: gives up (throws) once it has not
 * fallen for `stallMs`, or after `capMs` in all. Slow progress on a loaded machine is waited for;
 * no progress is a failure. `onGiveUp` may explain the failure before it is thrown.
 */
export async function waitForProgress (what: string, remaining: () => Promise<number>, options: { stallMs: number, capMs: number, everyMs?: number, onGiveUp?: (p: Progress) => Promise<void> }): Promise<Progress> {
  const started = Date.now()
  let lastProgress = started
  let longestStallMs = 0
  let best = Number.POSITIVE_INFINITY
  for (;;) {
    const left = await remaining()
    const now = Date.now()
    if (left < best) {
      best = left
      lastProgress = now
    }
    longestStallMs = Math.max(longestStallMs, now - lastProgress)
    const p = { elapsedMs: now - started, longestStallMs, left }
    if (left === 0) return p
    const stalled = now - lastProgress > options.stallMs
    if (stalled || now - started > options.capMs) {
      await options.onGiveUp?.(p)
      throw new Error(`${what}: ${left} left, ${stalled ? `no progress for ${options.stallMs} ms` : `not done within ${options.capMs} ms`}`)
    }
    await sleep(options.everyMs ?? 1000)
  }
}

/** A pause in a scenario's timeline (never a way to wait for something: use {@link waitUntil}). */
export async function sleep (ms: number): Promise<void> {
  await new Promise<void>(resolve => { setTimeout(resolve, ms) })
}

/** A seeded random generator for a scenario; the seed comes from the environment or the clock. */
export function scenarioSeed (): number {
  const fromEnv = Number(process.env.SOTTO_RELIABILITY_SEED)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Date.now() % 2_147_483_647
}
