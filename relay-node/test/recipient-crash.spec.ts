// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The recipient (`sotto run`, a child process) is killed with SIGKILL while it drains its mailbox
 * at `sotto-relay`: after a restart every message is there exactly once, in order, and none was
 * shown twice. Also the `sotto relays` commands of the client.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { removeDir, startRelay } from './helpers.js'
import { Fleet, collectEvents, contactReaches } from './messengers.js'
import { SottoRun, sotto, sottoRaw } from './sotto-cli.js'
import type { RelayProcess } from './helpers.js'

const COUNT = 300
const BOB = 'bob passphrase'

describe('sotto-relay: the recipient killed while it drains', () => {
  const fleet = new Fleet()
  const runs: SottoRun[] = []
  let relay: RelayProcess

  before(async () => {
    relay = await startRelay()
  })

  after(async () => {
    for (const r of runs) await r.kill().catch(() => {})
    await fleet.cleanup()
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    await removeDir(relay?.dataDir)
  })

  it('loses nothing and shows nothing twice', { timeout: 150_000 }, async () => {
    const bobDir = await fleet.dir()
    const [init] = await sotto(['--data', bobDir, 'init', '--name', 'Bob', '--listen', '/ip4/127.0.0.1/tcp/0', '--relay', relay.tcp, '--no-mdns'], BOB)
    const invite = String(init?.invite)

    // Alice adds Bob while he is offline: her introduction waits in his mailbox.
    const alice = await fleet.start(await fleet.dir(), 'Alice', { relays: [relay.tcp] })
    const bobAtAlice = (await alice.addContact(invite)).id
    let bob = await SottoRun.start(bobDir, BOB)
    runs.push(bob)
    const request = await bob.next(e => e.event === 'request')
    assert.equal(request.name, 'Alice')
    await bob.command({ cmd: 'accept', contact: request.contact })
    await contactReaches(alice, bobAtAlice, c => c.mailboxes > 0)
    assert.equal(await bob.stop(), 0)

    const sent = collectEvents(alice, 'status', COUNT, s => s.state === 'sent')
    for (let i = 0; i < COUNT; i++) await alice.send(bobAtAlice, `m-${i}`)
    await sent
    const delivered = collectEvents(alice, 'status', COUNT, s => s.state === 'delivered', 120_000)

    // Bob starts draining, and dies a tenth of the way through.
    bob = await SottoRun.start(bobDir, BOB)
    runs.push(bob)
    await bob.next(e => e.event === 'message' && e.text === `m-${COUNT / 10}`)
    await bob.kill()
    const shownBefore = bob.events.filter(e => e.event === 'message').map(e => String(e.text))
    assert.ok(shownBefore.length < COUNT, `killed while draining (${shownBefore.length} shown)`)

    bob = await SottoRun.start(bobDir, BOB)
    runs.push(bob)
    await bob.next(e => e.event === 'message' && e.text === `m-${COUNT - 1}`)
    const shownAfter = bob.events.filter(e => e.event === 'message').map(e => String(e.text))
    const shown = [...shownBefore, ...shownAfter]
    assert.equal(new Set(shown).size, shown.length, 'a message was shown twice')

    const history = await bob.command({ cmd: 'history', contact: request.contact }) as Array<Record<string, unknown>>
    const texts = history.filter(m => m.direction === 'in').map(m => String(m.text))
    assert.deepEqual(texts, Array.from({ length: COUNT }, (_, i) => `m-${i}`), 'every message once, in order')
    for (const text of shown) assert.ok(texts.includes(text))

    assert.equal((await delivered).length, COUNT)
    assert.equal(await bob.stop(), 0)
  })

  it('lists, adds and removes relays with `sotto relays` and the run commands', { timeout: 60_000 }, async () => {
    const other = await startRelay({ args: ['--jurisdiction', 'FR', '--operator', 'Other Operator'] })
    try {
      const dir = await fleet.dir()
      await sotto(['--data', dir, 'init', '--name', 'Carol', '--listen', '/ip4/127.0.0.1/tcp/0', '--relay', relay.tcp, '--no-mdns'], 'carol passphrase')
      const [added] = await sotto(['--data', dir, 'relays', 'add', other.tcp], 'carol passphrase')
      assert.equal(added?.jurisdiction, 'FR')
      assert.equal(added?.operator, 'Other Operator')
      const listed = await sotto(['--data', dir, 'relays'], 'carol passphrase')
      assert.deepEqual(listed.map(r => r.peerId), [relay.peerId, other.peerId])
      assert.equal(listed[0]?.addr, multiaddr(relay.tcp).toString())
      assert.equal(listed[0]?.operator, 'Test Operator')
      assert.equal(listed[0]?.jurisdiction, 'DE')
      assert.equal(listed[0]?.mailboxReady, true)
      assert.equal(listed[0]?.reachable, true)

      const run = await SottoRun.start(dir, 'carol passphrase')
      runs.push(run)
      await run.command({ cmd: 'relays', remove: other.tcp })
      const left = await run.command({ cmd: 'relays' }) as Array<Record<string, unknown>>
      assert.deepEqual(left.map(r => r.peerId), [relay.peerId])
      await assert.rejects(run.command({ cmd: 'relays', add: '/ip4/127.0.0.1/tcp/1' }), /^Error: InvalidInputError: /)
      const again = await run.command({ cmd: 'relays', add: other.tcp }) as Record<string, unknown>
      assert.equal(again.jurisdiction, 'FR')
      assert.equal(await run.stop(), 0)

      const bad = await sottoRaw(['--data', dir, 'relays', 'remove', '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWCKq9ZvccjmCqhBbPsrgpAKBHWQpgB61ruM19CyAvH1Cp'], 'carol passphrase')
      assert.equal(bad.code, 1)
      assert.match(bad.err, /^NotFoundError: /m)
    } finally {
      await other.kill9()
      await removeDir(other.dataDir)
    }
  })
})
