// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AdaptiveWindow } from '../../src/messenger/window.js'

describe('adaptive window', () => {
  it('doubles with each whole window answered, up to its maximum', () => {
    const w = new AdaptiveWindow({ initial: 32, min: 4, max: 256 })
    assert.equal(w.size, 32)
    w.answered(31)
    assert.equal(w.size, 32)
    w.answered()
    assert.equal(w.size, 64)
    w.answered(64)
    w.answered(128)
    assert.equal(w.size, 256)
    w.answered(1000)
    assert.equal(w.size, 256)
  })

  it('halves when a link breaks, down to its minimum, and counts afresh', () => {
    const w = new AdaptiveWindow({ initial: 32, min: 4, max: 256 })
    w.answered(20)
    w.broke()
    assert.equal(w.size, 16)
    // What got through before the break does not count towards the next doubling.
    w.answered(15)
    assert.equal(w.size, 16)
    for (let i = 0; i < 5; i++) w.broke()
    assert.equal(w.size, 4)
    w.answered(4)
    assert.equal(w.size, 8)
  })
})
