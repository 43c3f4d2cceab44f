// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Signals: the first drains and exits 0, a second exits at once, a stuck drain times out.
 */

import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { pino } from 'pino'
import { installShutdown } from '../src/shutdown.js'

const log = pino({ level: 'silent' })

describe('shutdown', () => {
  const before = { term: process.listeners('SIGTERM'), int: process.listeners('SIGINT') }
  afterEach(() => {
    for (const l of process.listeners('SIGTERM')) if (!before.term.includes(l)) process.off('SIGTERM', l)
    for (const l of process.listeners('SIGINT')) if (!before.int.includes(l)) process.off('SIGINT', l)
  })

  it('drains on the first signal and exits 0', async () => {
    let finishStop!: () => void
    const stopped = new Promise<void>((resolve) => { finishStop = resolve })
    const exits: number[] = []
    let exited!: () => void
    const exitSeen = new Promise<void>((resolve) => { exited = resolve })
    let stops = 0
    installShutdown({ log, drainTimeoutMs: 10_000, stop: async () => { stops++; await stopped }, exit: (code) => { exits.push(code); exited() } })
    process.emit('SIGTERM', 'SIGTERM')
    assert.equal(stops, 1)
    assert.deepEqual(exits, [], 'no exit before the drain is done')
    finishStop()
    await exitSeen
    assert.deepEqual(exits, [0])
  })

  it('exits at once on a second signal', async () => {
    const exits: number[] = []
    installShutdown({ log, drainTimeoutMs: 10_000, stop: async () => new Promise<void>(() => {}), exit: (code) => { exits.push(code) } })
    process.emit('SIGINT', 'SIGINT')
    assert.deepEqual(exits, [])
    process.emit('SIGTERM', 'SIGTERM')
    assert.deepEqual(exits, [1])
  })

  it('exits 1 when the drain outlasts its timeout', async () => {
    let exited!: (code: number) => void
    const code = new Promise<number>((resolve) => { exited = resolve })
    installShutdown({ log, drainTimeoutMs: 50, stop: async () => new Promise<void>(() => {}), exit: (c) => { exited(c) } })
    process.emit('SIGTERM', 'SIGTERM')
    assert.equal(await code, 1)
  })
})
