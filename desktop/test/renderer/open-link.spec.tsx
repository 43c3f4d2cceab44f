// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { screen, within } from '@testing-library/react'
import { takeOpenLink } from '../../src/renderer/open-link.js'
import { takeToken } from '../../src/renderer/ws-bridge.js'
import { renderApp } from '../fixtures/app-harness.js'
import { storeShortLink } from '../fixtures/memory-links.js'
import type { Harness } from '../fixtures/app-harness.js'

const SHORT = 'sotto://s/AQIDBAUGBwgJCgsMDQ4PEA#a2V5LWtleS1rZXk'
const TOKEN = 'A'.repeat(43)

/** A location and history pair as the page has them; replaceState moves the location. */
function page (url: string): { location: Location, history: History, replaced: string[] } {
  let current = new URL(url)
  const replaced: string[] = []
  const location = {
    get pathname () { return current.pathname },
    get search () { return current.search },
    get hash () { return current.hash }
  } as unknown as Location
  const history = { replaceState: (_s: unknown, _t: string, to: string) => { replaced.push(to); current = new URL(to, current) } } as unknown as History
  return { location, history, replaced }
}

describe('opening the headless page with a link', () => {
  it('takes an invite link from the query, leaving the token in the fragment for the bridge', () => {
    const p = page(`http://127.0.0.1:8080/?open=${encodeURIComponent(SHORT)}#token=${TOKEN}`)
    assert.equal(takeOpenLink(p.location, p.history), SHORT)
    assert.deepEqual(p.replaced, [`/#token=${TOKEN}`])
    const stored = new Map<string, string>()
    const storage = { setItem: (k: string, v: string) => { stored.set(k, v) }, getItem: (k: string) => stored.get(k) ?? null } as unknown as Storage
    assert.equal(takeToken(p.location, p.history, storage), TOKEN)
    assert.equal(takeOpenLink(p.location, p.history), undefined, 'taken once')
  })

  it('takes one from the fragment too, and a relay link, and drops what is neither', () => {
    const p = page(`http://127.0.0.1:8080/#token=${TOKEN}&open=${encodeURIComponent('sotto://invite/AbC-_1')}`)
    assert.equal(takeOpenLink(p.location, p.history), 'sotto://invite/AbC-_1')
    assert.deepEqual(p.replaced, [`/#token=${TOKEN}`])
    const bad = page(`http://127.0.0.1:8080/?open=${encodeURIComponent('javascript:alert(1)')}`)
    assert.equal(takeOpenLink(bad.location, bad.history), undefined)
    assert.deepEqual(bad.replaced, ['/'], 'and removes it from the address all the same')
    const relay = 'sotto://relay/ip4/192.0.2.7/tcp/4001/p2p/12D3KooWGE8Fj24EPMF35MWsCNBfqiHpC5aGRRKjyQKQyzR9HbQi?operator=Poster'
    const withRelay = page(`http://127.0.0.1:8080/?open=${encodeURIComponent(relay)}#token=${TOKEN}`)
    assert.equal(takeOpenLink(withRelay.location, withRelay.history), relay, 'a relay link is taken too')
    const none = page('http://127.0.0.1:8080/#token=x')
    assert.equal(takeOpenLink(none.location, none.history), undefined)
    assert.deepEqual(none.replaced, [])
  })
})

describe('an app opened with a link', () => {
  let h: Harness
  afterEach(async () => { await h.close() })

  it('asks "Add Erin?" before adding anyone', async () => {
    const card = Buffer.from(JSON.stringify({ name: 'Erin', userId: 'erin' })).toString('base64url')
    h = await renderApp({ opened: storeShortLink(`sotto://invite/${card}`) })
    const dialog = await screen.findByRole('dialog', { name: 'Add Erin?' })
    assert.equal(h.calls.includes('addContact'), false)
    await h.user.click(within(dialog).getByRole('button', { name: 'Add Erin' }))
    assert.ok(await screen.findByRole('heading', { level: 2, name: 'Erin' }))
  })
})
