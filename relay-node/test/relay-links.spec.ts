// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A relay a newcomer can join: the relay link in the "listening" line, an invite-only relay that
 * admits mailboxes with a join code only, `addRelay` taking a relay link, and the public page.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fetchRelayInfo } from '@sotto/core'
import { decodeRelayLink, encodeRelayLink } from '@sotto/core/links'
import { startRelay } from './helpers.js'
import { Fleet } from './messengers.js'
import type { RelayProcess } from './helpers.js'

describe('relay links and invite-only relays', () => {
  const fleet = new Fleet()
  let relay: RelayProcess
  let link: string
  let web: string

  before(async () => {
    relay = await startRelay({ args: ['--admission', 'invite', '--web', '127.0.0.1:0'] })
    link = (await relay.waitFor(l => l.msg === 'listening')).link as string
    web = (await relay.waitFor(l => l.msg === 'web page listening')).url as string
  })

  after(async () => {
    await fleet.cleanup()
    await relay?.stop()
  })

  it('prints a relay link with its address, PeerId and published details once listening', () => {
    assert.deepEqual(decodeRelayLink(link), { addr: relay.tcp, operator: 'Test Operator', contact: 'mailto:ops@example.org', jurisdiction: 'DE' })
    assert.ok(link.startsWith(`sotto://relay/ip4/127.0.0.1/tcp/`) && link.includes(relay.peerId))
  })

  it('says in relay-info that it is invite-only, and never logs its join code', async () => {
    assert.equal((await fetchRelayInfo(relay.tcp)).inviteOnly, true)
    const code = (await readFile(join(relay.dataDir, 'join-codes'), 'utf8')).trim()
    assert.ok(code.length >= 16)
    assert.ok(!relay.output().includes(code), 'the join code is not in the log')
  })

  it('refuses a new user without a code, or with a wrong one, and admits one with the code in the link', async () => {
    const m = await fleet.start(await fleet.dir(), 'Newcomer')
    await assert.rejects(m.addRelay(link), { name: 'JoinCodeRequiredError' })
    await assert.rejects(m.addRelay(relay.tcp, { joinCode: 'not-the-code-at-all' }), { name: 'JoinCodeRequiredError' })
    assert.deepEqual(await m.relays(), [])
    const code = (await readFile(join(relay.dataDir, 'join-codes'), 'utf8')).trim()
    const view = await m.addRelay(encodeRelayLink({ ...decodeRelayLink(link), code }))
    assert.equal(view.addr, relay.tcp)
    assert.equal((await m.relays()).length, 1)
    assert.ok(await m.shortInvite() != null, 'the admitted user can keep a short link there')
  })

  it('an open relay is added by its relay link, without a code', async () => {
    const open = await startRelay()
    try {
      const openLink = (await open.waitFor(l => l.msg === 'listening')).link as string
      assert.equal((await fetchRelayInfo(open.tcp)).inviteOnly, undefined)
      const m = await fleet.start(await fleet.dir(), 'Open')
      assert.equal((await m.addRelay(openLink)).addr, open.tcp)
      await fleet.stop(m)
    } finally {
      await open.stop()
    }
  })

  it('serves a public page with the link, its QR code and the operator, under a strict CSP', async () => {
    const res = await fetch(web)
    assert.equal(res.status, 200)
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /default-src 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline|script-src/)
    const html = await res.text()
    assert.ok(html.includes(link.replaceAll('&', '&#38;')), 'the page shows the relay link')
    assert.match(html, /<svg[^>]*viewBox/)
    assert.ok(html.includes('Test Operator') && html.includes('mailto:ops@example.org') && html.includes('DE'))
    assert.doesNotMatch(html, /<script|(src|href)="(https?:)?\/\//, 'no script and no third-party resource')
    assert.equal((await fetch(new URL('/other', web))).status, 404)
  })
})
