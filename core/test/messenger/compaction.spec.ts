// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { silentLoggers } from '../../src/logger.js'
import { createCompaction } from '../../src/messenger/compaction.js'
import { FakeClock } from '../util/fake-clock.js'
import { filesHolding, storedEntries } from '../storage/fixtures/support.js'
import { introduce, startMessenger, tempDir } from './helpers.js'
import type { CompactionInit } from '../../src/messenger/compaction.js'

const HOUR = 60 * 60 * 1000

describe('compaction: the schedule', () => {
  /** A schedule over a compaction that waits until released, counting the ones started. */
  function schedule (init: CompactionInit): { clock: FakeClock, started: () => number, release: () => void, compaction: ReturnType<typeof createCompaction> } {
    const clock = new FakeClock()
    let started = 0
    let release = (): void => {}
    const compaction = createCompaction({
      clock,
      log: silentLoggers.forComponent('test'),
      compact: async () => {
        started++
        await new Promise<void>(resolve => { release = resolve })
      }
    }, init)
    return { clock, started: () => started, release: () => { release() }, compaction }
  }

  it('compacts at once after the threshold of deletes, and once more for deletes written meanwhile', async () => {
    const s = schedule({ afterDeletions: 10, everyMs: HOUR })
    s.compaction.start()
    s.compaction.noteDeletions(9)
    assert.equal(s.started(), 0)
    s.compaction.noteDeletions(1)
    assert.equal(s.started(), 1)
    s.compaction.noteDeletions(10)
    assert.equal(s.started(), 1, 'never two at once')
    const stopped = s.compaction.stop()
    s.release()
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(s.started(), 2, 'the deletes written during the first are compacted before stopping')
    s.release()
    await stopped
    assert.equal(s.compaction.done, 2)
  })

  it('compacts hourly after any delete, and not at all without one', async () => {
    const s = schedule({ afterDeletions: 1000, everyMs: HOUR })
    s.compaction.start()
    await s.clock.advance(HOUR)
    assert.equal(s.started(), 0)
    s.compaction.noteDeletions(1)
    assert.equal(s.started(), 0)
    await s.clock.advance(HOUR)
    assert.equal(s.started(), 1)
    s.release()
    await s.clock.advance(HOUR)
    assert.equal(s.started(), 1)
    await s.compaction.stop()
  })
})

describe('compaction: a deleted conversation leaves the data directory', () => {
  /**
   * Alice sends Bob a message and deletes the conversation. Resolves with the files of Alice's
   * database still holding a stored value that the deletion removed.
   */
  async function deleteAndLook (compaction: CompactionInit): Promise<{ removed: number, lingering: string[] }> {
    const a = await tempDir()
    const b = await tempDir()
    try {
      let alice = await startMessenger(a.dir, 'Alice', { compaction })
      const bob = await startMessenger(b.dir, 'Bob')
      try {
        const { bobAtAlice } = await introduce(alice, bob)
        const m = await alice.send(bobAtAlice, 'a marker text that must leave the disk')
        await alice.waitForState(m.id, ['delivered'], 20_000)
      } finally {
        await bob.stop()
        await alice.stop()
      }
      const before = await storedEntries(a.dir)
      alice = await startMessenger(a.dir, 'Alice', { compaction })
      await alice.deleteContact((await alice.contacts())[0]!.id)
      await alice.stop()
      const lingering: string[] = []
      const after = new Set((await storedEntries(a.dir)).map(e => Buffer.from(e.value).toString('hex')))
      const removed = before.filter(e => !after.has(Buffer.from(e.value).toString('hex')))
      for (const e of removed) lingering.push(...await filesHolding(a.dir, e.value))
      return { removed: removed.length, lingering }
    } finally {
      await a.cleanup()
      await b.cleanup()
    }
  }

  it('without compaction, the values deleted with the conversation stay in the files (the control)', async () => {
    const { removed, lingering } = await deleteAndLook({ afterDeletions: Number.MAX_SAFE_INTEGER })
    assert.ok(removed > 0)
    assert.notDeepEqual(lingering, [])
  })

  it('compacted after the deletes, none of them is left in any file, .log or .ldb', async () => {
    const { removed, lingering } = await deleteAndLook({ afterDeletions: 1 })
    assert.ok(removed > 0)
    assert.deepEqual(lingering, [])
  })
})
