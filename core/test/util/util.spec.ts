// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { InvalidInputError } from '../../src/errors.js'
import { Backoff, Recurring, RunAgain, RunAgainByKey, equalBytes, every, fromHex, sleep, toHex } from '../../src/util/index.js'
import { FakeClock } from './fake-clock.js'

describe('bytes', () => {
  it('compares bytes, hex round-trips, and malformed hex is bad input', () => {
    assert.equal(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true)
    assert.equal(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false)
    assert.equal(equalBytes(new Uint8Array([1]), new Uint8Array([1, 0])), false)
    const bytes = new Uint8Array([0, 15, 255, 16]).subarray(1)
    assert.equal(toHex(bytes), '0fff10')
    assert.deepEqual(fromHex('0fff10'), new Uint8Array([15, 255, 16]))
    for (const bad of ['', 'abc', 'ZZ', '0F']) assert.throws(() => fromHex(bad), InvalidInputError)
  })
})

describe('backoff', () => {
  it('doubles up to its maximum, spreads each delay by its jitter, and resets', () => {
    let r = 0
    const backoff = new Backoff({ initialMs: 100, maxMs: 500, random: () => r })
    assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next()], [75, 150, 300, 375])
    r = 0.999999
    assert.ok(Math.abs(backoff.next() - 625) < 0.01)
    backoff.reset()
    assert.equal(backoff.current, 100)
    assert.equal(new Backoff({ initialMs: 100, maxMs: 500, jitter: 0 }).next(), 100)
  })
})

describe('run again', () => {
  it('runs once more after calls made while running, however many, and never twice at once', async () => {
    let runs = 0
    let concurrent = 0
    let release!: () => void
    const task = new RunAgain(async () => {
      runs++
      concurrent++
      assert.equal(concurrent, 1)
      if (runs === 1) await new Promise<void>(resolve => { release = resolve })
      concurrent--
    })
    const first = task.run()
    const second = task.run()
    void task.run()
    assert.equal(task.busy, true)
    release()
    await Promise.all([first, second])
    assert.equal(runs, 2)
    assert.equal(task.busy, false)
    await task.run()
    assert.equal(runs, 3)
  })

  it('a call in the turn the last run ends still runs the task', async () => {
    let runs = 0
    const task = new RunAgain(async () => {
      runs++
      // Called from inside the run, as a kick from a hook would be.
      if (runs === 1) void task.run()
    })
    await task.run()
    await task.idle()
    assert.equal(runs, 2)
  })

  it('without onError a failure ends the runs and rejects; with it, the runs go on', async () => {
    const failing = new RunAgain(async () => { throw new Error('boom') })
    await assert.rejects(failing.run(), /boom/)
    const errors: string[] = []
    let runs = 0
    const keyed = new RunAgainByKey<string>(async key => {
      runs++
      if (runs === 1) {
        void keyed.run(key)
        throw new Error(`fail ${key}`)
      }
    }, { onError: err => errors.push(err.message) })
    await keyed.run('a')
    assert.deepEqual(errors, ['fail a'])
    assert.equal(runs, 2)
  })

  it('covered drops a pending run again; stopped drops it too', async () => {
    let runs = 0
    const keyed = new RunAgainByKey<string>(async key => {
      runs++
      // Bounded, so that a covered that does nothing fails the count instead of running for ever.
      if (runs < 5) void keyed.run(key)
      keyed.covered(key)
    })
    await keyed.run('a')
    assert.equal(runs, 1)
    let stopped = false
    const stopping = new RunAgain(async () => {
      runs++
      if (runs < 5) void stopping.run()
      stopped = true
    }, { stopped: () => stopped })
    await stopping.run()
    assert.equal(runs, 2)
  })
})

describe('fake clock', () => {
  it('fires timers in order as time is advanced, not before; cleared ones never', async () => {
    const clock = new FakeClock(1000)
    const fired: string[] = []
    clock.setTimeout(() => fired.push('b'), 20)
    clock.setTimeout(() => fired.push('a'), 10)
    const c = clock.setTimeout(() => fired.push('c'), 15)
    clock.clearTimeout(c)
    await clock.advance(9)
    assert.deepEqual(fired, [])
    await clock.advance(11)
    assert.deepEqual(fired, ['a', 'b'])
    assert.equal(clock.now(), 1020)
  })

  it('sleep wakes early when told; every repeats until stopped', async () => {
    const clock = new FakeClock()
    let wake!: () => void
    let woke = false
    const sleeping = sleep(clock, 60_000, w => { wake = w }).then(() => { woke = true })
    await clock.advance(1000)
    assert.equal(woke, false)
    wake()
    await sleeping
    assert.equal(clock.pending, 0)
    let ticks = 0
    const stop = every(clock, 100, () => { ticks++ })
    await clock.advance(350)
    assert.equal(ticks, 3)
    stop()
    await clock.advance(1000)
    assert.equal(ticks, 3)
  })
})

describe('recurring task', () => {
  it('runs on the timer (and at once when asked), never twice at once, past a failure, until stopped', async () => {
    const clock = new FakeClock()
    const failures: string[] = []
    let runs = 0
    let active = 0
    let most = 0
    let release: (() => void) | undefined
    const task = new Recurring(clock, 100, async () => {
      runs++
      most = Math.max(most, ++active)
      try {
        if (runs === 2) throw new Error('second run fails')
        if (runs === 3) await new Promise<void>(resolve => { release = resolve })
      } finally {
        active--
      }
    }, err => { failures.push(err.message) })
    task.start({ now: true })
    task.start({ now: true })
    await task.idle()
    assert.equal(runs, 1, 'at once, once: a second start while armed does nothing')
    await clock.advance(100)
    await task.idle()
    assert.deepEqual(failures, ['second run fails'])
    await clock.advance(100)
    assert.equal(runs, 3)
    // The third run hangs: ticks meanwhile are skipped, not queued, and stop waits for it.
    await clock.advance(300)
    assert.equal(runs, 3)
    let stopped = false
    const stopping = task.stop().then(() => { stopped = true })
    await clock.advance(0)
    assert.equal(stopped, false, 'stop waits for the run in progress')
    release?.()
    await stopping
    await clock.advance(1000)
    assert.equal(runs, 3, 'nothing after stop')
    assert.equal(most, 1)
  })
})
