// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Deposit token rotation against real repositories, the real token announcer over a fake outbox,
 * and a fake relay sync that registers what is unregistered (the real thing, at a real relay, is in
 * relay-node/test/token-rotation.spec.ts): tokens are replaced once due and not before, the
 * replacement is announced once registered, the old token is revoked after its grace and not
 * before, and never while its replacement could not be announced.
 */
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { silentLoggers } from '../../src/logger.js'
import { TOKEN_GRACE_MS, TOKEN_ROTATE_MS, TokenRotation, replaceTokens, rotateContact } from '../../src/messenger/token-rotation.js'
import { TokenAnnouncer } from '../../src/messenger/token-announcer.js'
import { FakeClock } from '../util/fake-clock.js'
import { FakeOutbox, contactNamed, eventually, tempRepos } from './fakes.js'
import type { IssuedToken, RelayRecord } from '../../src/messenger/records.js'
import type { TokenRotationInit } from '../../src/messenger/token-rotation.js'
import type { Repositories } from '../../src/messenger/state.js'

const RELAY_A = '/ip4/10.0.0.1/tcp/1/p2p/relayA'
const RELAY_B = '/ip4/10.0.0.2/tcp/1/p2p/relayB'

function relay (addr: string, id: number): RelayRecord {
  return { addr, peerId: addr.split('/').pop() as string, mailboxKey: new Uint8Array(), mailboxId: new Uint8Array(32).fill(id), introToken: new Uint8Array(32), ready: true, revoke: [], addedAt: 0 }
}

function token (relayAddr: string, fill: number): IssuedToken {
  return { relay: relayAddr, token: new Uint8Array(32).fill(fill), registered: true, announced: true }
}

/** The first byte of each token a Tokens message named. */
function announced (outbox: FakeOutbox): number[][] {
  return outbox.calls.map(c => (c.content.tokens?.relays ?? []).map(r => r.token[0] ?? -1))
}

/** Bob holds one token at RELAY_A; `relayUp` says whether the fake sync registers and revokes. */
async function setUp (cleanups: Array<() => Promise<void>>, relayUp = { value: true }, init: TokenRotationInit = {}): Promise<{ repos: Repositories, outbox: FakeOutbox, clock: FakeClock, rotation: TokenRotation, revoked: Uint8Array[], tokens: TokenAnnouncer, sync: () => Promise<void> }> {
  const { repos, close } = await tempRepos()
  cleanups.push(close)
  const revoked: Uint8Array[] = []
  await repos.state.change(async tx => {
    repos.relays.put(tx, relay(RELAY_A, 1))
    repos.contacts.put(tx, contactNamed('bob', { issued: [token(RELAY_A, 7)] }))
  })
  const outbox = new FakeOutbox()
  const profile = { relays: [RELAY_A] }
  const tokens = new TokenAnnouncer({ repos, outbox, profile })
  const sync = async (): Promise<void> => {
    if (!relayUp.value) return
    await repos.state.change(async tx => {
      const c = await repos.contacts.require('bob', tx)
      for (const t of c.issued ?? []) t.registered = true
      repos.contacts.put(tx, c)
      const r = await repos.relays.require(RELAY_A, tx)
      revoked.push(...r.revoke)
      r.revoke = []
      repos.relays.put(tx, r)
    })
  }
  const clock = new FakeClock()
  const rotation = new TokenRotation({ repos, profile, homeRelays: { sync }, tokens, log: silentLoggers.forComponent('test'), clock }, init)
  cleanups.push(async () => { await rotation.stop(); await tokens.stop() })
  return { repos, outbox, clock, rotation, revoked, tokens, sync }
}

describe('token rotation', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  it('replaces a token once it is a week old, not before, and announces the replacement once registered', async () => {
    const { repos, outbox, clock, rotation } = await setUp(cleanups)
    assert.deepEqual(await rotation.run(), { rotated: 0, revoked: 0 }, 'the first run dates the token')
    await clock.advance(TOKEN_ROTATE_MS - 1)
    assert.deepEqual(await rotation.run(), { rotated: 0, revoked: 0 })
    assert.equal(outbox.calls.length, 0)
    await clock.advance(1)
    assert.deepEqual(await rotation.run(), { rotated: 1, revoked: 0 })
    const issued = (await repos.contacts.require('bob')).issued ?? []
    assert.equal(issued.length, 2, 'the old token stays for its grace')
    assert.equal(issued[0]?.retiredAt, clock.now())
    const fresh = issued[1] as IssuedToken
    assert.notEqual(fresh.token[0], 7, 'a new token')
    assert.deepEqual(announced(outbox), [[fresh.token[0]]], 'Bob is sent the new one, and only it')
  })

  it('revokes the old token once its grace has run out, and not before', async () => {
    const { repos, clock, rotation, revoked } = await setUp(cleanups)
    await rotation.run()
    await clock.advance(TOKEN_ROTATE_MS)
    await rotation.run()
    await clock.advance(TOKEN_GRACE_MS - 1)
    assert.deepEqual(await rotation.run(), { rotated: 0, revoked: 0 })
    assert.equal(revoked.length, 0, 'still valid inside the overlap')
    await clock.advance(1)
    assert.deepEqual(await rotation.run(), { rotated: 0, revoked: 1 })
    assert.deepEqual(revoked.map(t => t[0]), [7], 'the old token is revoked at its relay')
    assert.equal((await repos.contacts.require('bob')).issued?.length, 1)
  })

  it('keeps announcing the old token, and never revokes it, while its replacement is not registered', async () => {
    const relayUp = { value: false }
    const { repos, outbox, clock, rotation, revoked, tokens, sync } = await setUp(cleanups, relayUp)
    await rotation.run()
    await clock.advance(TOKEN_ROTATE_MS)
    assert.deepEqual(await rotation.run(), { rotated: 1, revoked: 0 })
    await repos.contacts.update('bob', c => { c.tokensDirty = true })
    await tokens.announce()
    // Long past the grace, not yet a week after the replacement.
    await clock.advance(TOKEN_ROTATE_MS - 1)
    assert.deepEqual(await rotation.run(), { rotated: 0, revoked: 0 })
    assert.deepEqual(announced(outbox), [[7]], 'the list sent meanwhile still holds the old token')
    assert.equal(revoked.length, 0)
    // The relay is reached again: its session registers the replacement and announces it.
    relayUp.value = true
    await sync()
    await tokens.announce()
    assert.equal(announced(outbox).length, 2)
    assert.notEqual(announced(outbox)[1]?.[0], 7)
    assert.deepEqual(await rotation.run(), { rotated: 0, revoked: 1 })
    await sync()
    assert.deepEqual(revoked.map(t => t[0]), [7])
  })

  it('runs on its timer once started, until stopped', async () => {
    // One timer due per step: a tick while a run is in progress is skipped, as it should be.
    const { repos, clock, rotation } = await setUp(cleanups, undefined, { checkMs: TOKEN_ROTATE_MS })
    rotation.start()
    await rotation.idle()
    assert.notEqual((await repos.contacts.require('bob')).issued?.[0]?.issuedAt, undefined, 'a first run at start')
    await clock.advance(TOKEN_ROTATE_MS)
    await eventually(async () => (await repos.contacts.require('bob')).issued?.length === 2, 'a run on the timer')
    await rotation.stop()
    await clock.advance(TOKEN_ROTATE_MS + 3_600_000)
    assert.equal((await repos.contacts.require('bob')).issued?.length, 2, 'no run after stop')
  })

  it('does not replace a token its relay has not registered yet, however old', () => {
    const bob = contactNamed('bob', { issued: [{ ...token(RELAY_A, 1), registered: false, issuedAt: 0 }] })
    assert.deepEqual(rotateContact(bob, TOKEN_ROTATE_MS * 10, { rotateMs: TOKEN_ROTATE_MS, graceMs: TOKEN_GRACE_MS }), { changed: false, expired: [] })
    assert.equal(bob.issued?.length, 1)
  })

  it('replaces tokens at the relays named only, and none of a blocked contact', () => {
    const bob = contactNamed('bob', { issued: [token(RELAY_A, 1), token(RELAY_B, 2)] })
    assert.equal(replaceTokens(bob, [RELAY_B], 5), 1)
    assert.deepEqual(bob.issued?.map(t => [t.relay, t.retiredAt ?? null, t.registered]), [[RELAY_A, null, true], [RELAY_B, 5, true], [RELAY_B, null, false]])
    const eve = contactNamed('eve', { blocked: true, issued: [token(RELAY_A, 1)] })
    assert.equal(replaceTokens(eve, [RELAY_A], 5), 0)
    assert.equal(eve.issued?.length, 1)
  })
})
