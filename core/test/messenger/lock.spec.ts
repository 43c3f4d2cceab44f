// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Mutex } from '../../src/messenger/lock.js'

/** Keeps the thread busy for `ms`, as a holder sealing a message does. */
function work (ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

describe('mutex', () => {
  it('runs holders one at a time, in call order, past failures', async () => {
    const lock = new Mutex()
    const order: number[] = []
    let inside = 0
    const runs = Array.from({ length: 20 }, async (_, i) => lock.run(async () => {
      assert.equal(inside++, 0)
      await new Promise(resolve => setTimeout(resolve, i % 3))
      order.push(i)
      inside--
      if (i === 7) throw new Error('holder failed')
      return i
    }))
    const results = await Promise.allSettled(runs)
    assert.deepEqual(order, Array.from({ length: 20 }, (_, i) => i))
    assert.equal(results.filter(r => r.status === 'rejected').length, 1)
  })

  it('lets I/O run while holders that need none queue up', async () => {
    const lock = new Mutex()
    let done = 0
    let doneWhenImmediateRan = -1
    setImmediate(() => { doneWhenImmediateRan = done })
    // 200 holders of 1 ms each, settling in microtasks only: without turns, nothing else would run
    // until all were done.
    await Promise.all(Array.from({ length: 200 }, async () => lock.run(async () => {
      work(1)
      done++
    })))
    assert.ok(doneWhenImmediateRan >= 0 && doneWhenImmediateRan < 20, `I/O waited for ${doneWhenImmediateRan} holders`)
  })
})
