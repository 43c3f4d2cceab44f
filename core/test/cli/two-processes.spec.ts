// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { tempDir } from '../messenger/helpers.js'
import { RunningPeer, freePort, sotto, sottoFails } from './cli-process.js'

const COUNT = 1000

describe('sotto: two processes on loopback', () => {
  const dirs: Array<{ dir: string, cleanup(): Promise<void> }> = []
  const running: RunningPeer[] = []
  let aliceDir: string
  let bobDir: string
  let bobId: string
  let aliceId: string

  before(async () => {
    dirs.push(await tempDir(), await tempDir())
    aliceDir = dirs[0]!.dir
    bobDir = dirs[1]!.dir
    const [alicePort, bobPort] = [await freePort(), await freePort()]
    await sotto(['--data', aliceDir, 'init', '--name', 'Alice', '--listen', `/ip4/127.0.0.1/tcp/${alicePort}`, '--no-mdns'], 'alice pass')
    const [bobInit] = await sotto(['--data', bobDir, 'init', '--name', 'Bob', '--listen', `/ip4/127.0.0.1/tcp/${bobPort}`, '--no-mdns'], 'bob pass')
    const [added] = await sotto(['--data', aliceDir, 'add', String(bobInit?.invite), '--alias', 'bob'], 'alice pass')
    bobId = String(added?.contact)
    assert.match(String(added?.safetyNumber), /^(\d{5} ){11}\d{5}$/)
  })

  after(async () => {
    for (const p of running) await p.kill().catch(() => {})
    for (const d of dirs) await d.cleanup()
  })

  it('refuses a wrong passphrase and a missing one with a named error and exit code 1', async () => {
    const wrong = await sottoFails(['--data', aliceDir, 'contacts'], 'not alice')
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, /^WrongPassphraseError: /m)
    const missing = await sottoFails(['--data', aliceDir, 'contacts'], '')
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /^InvalidInputError: .*SOTTO_PASSPHRASE/m)
  })

  it('shows settings and excludes and includes jurisdictions', async () => {
    const [initial] = await sotto(['--data', aliceDir, 'settings'], 'alice pass')
    assert.deepEqual(initial?.excludedJurisdictions, [])
    const [excluded] = await sotto(['--data', aliceDir, 'settings', 'exclude', 'us', 'CH'], 'alice pass')
    assert.deepEqual(excluded?.excludedJurisdictions, ['CH', 'US'])
    const [included] = await sotto(['--data', aliceDir, 'settings', 'include', 'US'], 'alice pass')
    assert.deepEqual(included?.excludedJurisdictions, ['CH'])
    const bad = await sottoFails(['--data', aliceDir, 'settings', 'exclude', 'USA'], 'alice pass')
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^InvalidInputError: .*ISO 3166-1/m)
    const [kept] = await sotto(['--data', aliceDir, 'settings', 'include', 'CH'], 'alice pass')
    assert.deepEqual(kept?.excludedJurisdictions, [])
  })

  it('exchanges 1,000 messages each way across kill -9 of both sides: none lost, none shown twice', async () => {
    let alice = await RunningPeer.start(aliceDir, 'alice pass')
    let bob = await RunningPeer.start(bobDir, 'bob pass')
    running.push(alice, bob)
    const request = await bob.next(e => e.event === 'request')
    aliceId = String(request.contact)
    assert.equal(request.name, 'Alice')
    assert.equal((await bob.command({ cmd: 'accept', contact: aliceId })).event, 'result')

    const acknowledged = { alice: new Set<string>(), bob: new Set<string>() }
    const sendAll = async (who: 'alice' | 'bob', from: number, to: number): Promise<void> => {
      const peer = who === 'alice' ? alice : bob
      const target = who === 'alice' ? bobId : aliceId
      const answers = []
      for (let i = from; i < to; i++) answers.push(peer.command({ cmd: 'send', to: target, text: `${who}-${i}` }))
      for (const [i, a] of (await Promise.all(answers)).entries()) {
        assert.equal(a.event, 'result', JSON.stringify(a))
        acknowledged[who].add(`${who}-${from + i}`)
      }
    }

    await Promise.all([sendAll('alice', 0, 400), sendAll('bob', 0, 400)])
    // Bob dies while Alice's messages are still arriving, then comes back on the same address.
    const midway = bob.next(e => e.event === 'message' && e.text === 'alice-450')
    const aliceMore = sendAll('alice', 400, 700)
    await midway
    await bob.kill()
    await aliceMore
    bob = await RunningPeer.start(bobDir, 'bob pass')
    running.push(bob)
    await sendAll('bob', 400, 700)
    // Now Alice dies mid-stream and restarts.
    const bobMore = sendAll('bob', 700, COUNT)
    await alice.next(e => e.event === 'message' && e.text === 'bob-750')
    await alice.kill()
    await bobMore.catch(() => {})
    alice = await RunningPeer.start(aliceDir, 'alice pass')
    running.push(alice)
    await sendAll('alice', 700, COUNT)

    // Everything acknowledged arrives, exactly once, in the order it was sent.
    for (const [peer, from, who] of [[bob, aliceId, 'alice'], [alice, bobId, 'bob']] as const) {
      const expected = [...acknowledged[who]]
      await waitUntil(async () => {
        const history = await historyOf(peer, from)
        return history.filter(m => m.direction === 'in').length >= expected.length
      })
      const incoming = (await historyOf(peer, from)).filter(m => m.direction === 'in').map(m => String(m.text))
      assert.equal(new Set(incoming).size, incoming.length, 'a message is shown twice')
      for (const text of expected) assert.ok(incoming.includes(text), `${text} was lost`)
      const indices = incoming.map(t => Number(t.split('-')[1]))
      assert.deepEqual(indices, [...indices].sort((x, y) => x - y), 'messages out of order')
    }
    // And the senders see them delivered: nothing stays queued.
    for (const [peer, to] of [[alice, bobId], [bob, aliceId]] as const) {
      await waitUntil(async () => (await historyOf(peer, to)).filter(m => m.direction === 'out').every(m => m.state === 'delivered'))
    }
    assert.equal(await alice.stop(), 0)
    assert.equal(await bob.stop(), 0)
  })
})

async function historyOf (peer: RunningPeer, contact: string): Promise<Array<Record<string, unknown>>> {
  const answer = await peer.command({ cmd: 'history', contact })
  assert.equal(answer.event, 'result', JSON.stringify(answer))
  return answer.result as Array<Record<string, unknown>>
}

/** Polls an asynchronous condition on each turn of work, giving up after 60 s. */
async function waitUntil (condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached')
    await new Promise<void>(resolve => { setTimeout(resolve, 200) })
  }
}
