// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { takeToken } from '../../src/renderer/ws-bridge.js'

const TOKEN = 'tIcAGJiEx03OopXYu8L3_gOA5JR3s8bqnyLXToo2Rr8'

describe('headless token in the page', () => {
  beforeEach(() => {
    window.sessionStorage.clear()
    window.history.replaceState(null, '', '/')
  })

  it('takes the token from the fragment and removes it from the address bar', () => {
    window.history.replaceState(null, '', `/#token=${TOKEN}`)
    assert.equal(takeToken(window.location, window.history, window.sessionStorage), TOKEN)
    assert.equal(window.location.hash, '')
    assert.equal(window.location.href, 'http://127.0.0.1:8080/')
    assert.equal(takeToken(window.location, window.history, window.sessionStorage), TOKEN, 'a reload keeps it for this tab')
  })

  it('ignores malformed tokens', () => {
    for (const hash of ['#token=short', '#token=' + TOKEN + 'x', '#token=' + TOKEN.slice(0, 42) + '!', '#nottoken=' + TOKEN]) {
      window.history.replaceState(null, '', '/' + hash)
      assert.equal(takeToken(window.location, window.history, window.sessionStorage), undefined, hash)
    }
  })
})
