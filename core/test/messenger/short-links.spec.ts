// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { decodeShortLink, openCard } from '../../src/links/index.js'
import { ShortLinks } from '../../src/messenger/short-links.js'
import { toHex } from '../../src/util/index.js'
import { FakeClock } from '../util/fake-clock.js'
import { loggers, tempRepos, until } from './fakes.js'
import type { PutLinkInit } from '../../src/links/index.js'
import { encodeRecord } from '../../src/messenger/records.js'
import type { RelayRecord } from '../../src/messenger/records.js'
import type { LinkOwner, ShortLinksInit } from '../../src/messenger/short-links.js'
import type { Repositories } from '../../src/messenger/state.js'

const HOUR = 3_600_000
const REFRESH_MS = 12 * HOUR
const CARD = new Uint8Array(200).fill(5)

/** The link services of the relays, in memory: what was put and deleted where; each can fail. */
class FakeLinks implements LinkOwner {
  readonly puts: Array<{ relay: string, linkId: string, init: PutLinkInit }> = []
  readonly deletes: Array<{ relay: string, linkId: string }> = []
  failPut: Error | undefined
  failDelete: Error | undefined

  async put (relay: string, _key: unknown, init: PutLinkInit): Promise<number> {
    if (this.failPut != null) throw this.failPut
    this.puts.push({ relay, linkId: toHex(init.linkId), init })
    return 0
  }

  async delete (relay: string, _key: unknown, linkId: Uint8Array): Promise<void> {
    if (this.failDelete != null) throw this.failDelete
    this.deletes.push({ relay, linkId: toHex(linkId) })
  }
}

async function relayAt (host: string): Promise<RelayRecord> {
  const key = await generateKeyPair('Ed25519')
  const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  return { addr: `${host}/tcp/1/p2p/${peer}`, peerId: peer, mailboxKey: privateKeyToProtobuf(key), mailboxId: new Uint8Array(32), introToken: new Uint8Array(32), ready: true, revoke: [], addedAt: 0 }
}

interface Rig { links: FakeLinks, clock: FakeClock, repos: Repositories, ready: RelayRecord[], make: (init?: ShortLinksInit) => ShortLinks }

describe('short links', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  async function setUp (relays: RelayRecord[]): Promise<Rig> {
    const { repos, close } = await tempRepos()
    cleanups.push(close)
    await repos.state.change(async tx => { for (const r of relays) repos.relays.put(tx, r) })
    const links = new FakeLinks()
    const clock = new FakeClock()
    const ready = [...relays]
    const make = (init: ShortLinksInit = {}): ShortLinks => {
      const shortLinks = new ShortLinks(
        { store: repos.state.store, lock: repos.state.lock, log: loggers.forComponent('test'), repos, links },
        async () => CARD,
        async () => ready,
        { clock, ...init })
      cleanups.unshift(async () => { shortLinks.stop() })
      return shortLinks
    }
    return { links, clock, repos, ready, make }
  }

  it('makes no link without a ready home relay', async () => {
    const { links, make } = await setUp([])
    assert.equal(await make().current(), undefined)
    assert.deepEqual(links.puts, [])
  })

  it('refuses a stored link record of the wrong shape as StorageCorruptError', async () => {
    const relay = await relayAt('/ip4/10.0.0.1')
    const { repos, make } = await setUp([relay])
    await repos.state.change(async tx => { tx.put(['shortlink'], encodeRecord({ relay: relay.addr, linkId: 'not bytes', refreshedAt: 0 })) })
    await assert.rejects(make().current(), { name: 'StorageCorruptError' })
  })

  it('puts the card sealed under the link\'s key at the first relay whose address fits, kept 30 days', async () => {
    const long = await relayAt(`/dns4/${'x'.repeat(60)}.example`)
    const fits = await relayAt('/ip4/10.0.0.1')
    const { links, make } = await setUp([long, fits])
    const link = await make().current()
    assert.ok(link != null)
    const decoded = decodeShortLink(link)
    assert.equal(decoded.relay, fits.addr, 'a relay whose address is too long for a link is passed over')
    assert.equal(links.puts.length, 1)
    const put = links.puts[0]
    assert.equal(put?.relay, fits.addr)
    assert.equal(put?.linkId, toHex(decoded.linkId))
    assert.equal(put?.init.ttl, 30 * 86_400)
    assert.deepEqual(openCard(put?.init.sealed as Uint8Array, decoded.linkId, decoded.key), CARD)
  })

  it('gives the same link again, putting it afresh only once it is over an hour old', async () => {
    const { links, clock, make } = await setUp([await relayAt('/ip4/10.0.0.1')])
    const shortLinks = make()
    const link = await shortLinks.current()
    await clock.advance(HOUR)
    assert.equal(await shortLinks.current(), link)
    assert.equal(links.puts.length, 1, 'not stale at exactly an hour')
    await clock.advance(1)
    assert.equal(await shortLinks.current(), link)
    assert.equal(links.puts.length, 2, 'put again once stale')
    assert.equal(await make().current(), link, 'kept in the store')
  })

  it('makes a single link when asked twice at once', async () => {
    const { links, make } = await setUp([await relayAt('/ip4/10.0.0.1')])
    const shortLinks = make()
    const [a, b] = await Promise.all([shortLinks.current(), shortLinks.current()])
    assert.equal(a, b)
    assert.equal(links.puts.length, 1)
  })

  it('moves the link to another relay once its relay is no longer ready, deleting it there if it can', async () => {
    const first = await relayAt('/ip4/10.0.0.1')
    const second = await relayAt('/ip4/10.0.0.2')
    const { links, ready, make } = await setUp([first, second])
    const shortLinks = make()
    const old = decodeShortLink(await shortLinks.current() as string)
    ready.splice(0, 1)
    links.failDelete = new Error('unreachable')
    const moved = decodeShortLink(await shortLinks.current() as string)
    assert.equal(moved.relay, second.addr)
    assert.notEqual(toHex(moved.linkId), toHex(old.linkId))
    links.failDelete = undefined
    ready.splice(0, 1)
    assert.equal(await shortLinks.current(), undefined, 'no ready relay, no link')
    assert.deepEqual(links.deletes, [{ relay: second.addr, linkId: toHex(moved.linkId) }])
  })

  it('refreshes an existing link on its interval while running, and never makes one', async () => {
    const { links, clock, make } = await setUp([await relayAt('/ip4/10.0.0.1')])
    const idle = make()
    idle.start()
    await clock.advance(REFRESH_MS)
    assert.deepEqual(links.puts, [], 'no link, nothing to refresh')
    idle.stop()
    const shortLinks = make()
    await shortLinks.current()
    shortLinks.start()
    await clock.advance(REFRESH_MS - 1)
    assert.equal(links.puts.length, 1, 'not before its interval')
    await clock.advance(1)
    await until(() => links.puts.length === 2, 'the refresh')
    links.failPut = new Error('relay down')
    await clock.advance(REFRESH_MS)
    links.failPut = undefined
    await clock.advance(REFRESH_MS)
    await until(() => links.puts.length === 3, 'the refresh after a failed one')
    shortLinks.stop()
    assert.equal(clock.pending, 0, 'a stopped refresh keeps no timer')
    await clock.advance(3 * REFRESH_MS)
    assert.equal(links.puts.length, 3)
  })

  it('takes its refresh interval as an option', async () => {
    const { links, clock, make } = await setUp([await relayAt('/ip4/10.0.0.1')])
    const shortLinks = make({ refreshMs: 1000 })
    await shortLinks.current()
    shortLinks.start()
    await clock.advance(1000)
    await until(() => links.puts.length === 2, 'the refresh')
  })

  it('renews: deletes the link at its relay and makes another; keeps it when the relay cannot be reached', async () => {
    const relay = await relayAt('/ip4/10.0.0.1')
    const { links, make } = await setUp([relay])
    const shortLinks = make()
    const first = await shortLinks.current() as string
    links.failDelete = new Error('unreachable')
    await assert.rejects(shortLinks.renew(), /unreachable/)
    assert.equal(await shortLinks.current(), first, 'an unrevoked link is kept')
    links.failDelete = undefined
    const renewed = await shortLinks.renew() as string
    assert.notEqual(renewed, first)
    assert.deepEqual(links.deletes, [{ relay: relay.addr, linkId: toHex(decodeShortLink(first).linkId) }])
    assert.equal(await shortLinks.current(), renewed)
  })
})
