// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `fetchRelayInfo` of `@sotto/core` against a real `sotto-relay`: what onboarding shows before
 * the user picks a relay.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { fetchRelayInfo } from '@sotto/core'
import { removeDir, startRelay } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { AddressInfo } from 'node:net'

describe('fetchRelayInfo', () => {
  let relay: RelayProcess
  before(async () => { relay = await startRelay() })
  after(async () => {
    await relay.stop()
    await removeDir(relay.dataDir)
  })

  it('reads the operator, jurisdiction and retention a relay publishes, over TCP and WebSockets', async () => {
    for (const addr of [relay.tcp, relay.addrs.find(a => a.includes('/ws/'))!]) {
      const info = await fetchRelayInfo(addr)
      assert.equal(info.operator, 'Test Operator', addr)
      assert.equal(info.jurisdiction, 'DE')
      assert.equal(info.contact, 'mailto:ops@example.org')
      assert.ok(info.retentionSeconds > 0)
      assert.equal(info.webUrl, undefined, 'a relay without --web publishes no web address')
    }
  })

  it('publishes the web address the operator gives, and none for a page on every address without one', async () => {
    const given = await startRelay({ args: ['--web', '127.0.0.1:0', '--web-url', 'https://relay.example.org/'] })
    const wildcard = await startRelay({ args: ['--web', '0.0.0.0:0'] })
    try {
      assert.equal((await fetchRelayInfo(given.tcp)).webUrl, 'https://relay.example.org')
      await wildcard.waitFor(l => l.msg === 'web page listening')
      assert.equal((await fetchRelayInfo(wildcard.tcp)).webUrl, undefined)
      assert.ok(wildcard.lines.some(l => l.level === 'warn' && /--web-url/.test(String(l.msg))), 'the operator is told to set --web-url')
    } finally {
      for (const r of [given, wildcard]) {
        await r.stop()
        await removeDir(r.dataDir)
      }
    }
  })

  it('refuses what is no relay address, and says when nothing answers', async () => {
    await assert.rejects(fetchRelayInfo('not a multiaddr'), { name: 'InvalidInputError' })
    await assert.rejects(fetchRelayInfo('/ip4/127.0.0.1/tcp/1'), { name: 'InvalidInputError' })
    // A port that accepts TCP but speaks no libp2p, then a closed one.
    const silent = createServer(socket => { socket.on('error', () => {}) })
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as AddressInfo).port
    try {
      await assert.rejects(fetchRelayInfo(`/ip4/127.0.0.1/tcp/${port}/p2p/${relay.peerId}`, { signal: AbortSignal.timeout(3000) }), { name: 'RelayUnreachableError' })
    } finally {
      silent.close()
    }
    await assert.rejects(fetchRelayInfo(`/ip4/127.0.0.1/tcp/${port}/p2p/${relay.peerId}`), { name: 'RelayUnreachableError' })
  })
})
