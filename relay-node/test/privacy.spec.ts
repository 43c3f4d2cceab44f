// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a contact's relay learns about who writes to its users: Alice (relay RA, a child process)
 * writes to Bob (relay RB, in this process so its peer store can be read), who is offline. RB must
 * never see Alice's PeerId — not in its debug log (each connection's peer and address), not in its
 * peer store, not in its database files — and the throwaway identities Alice deposits under change
 * with the rotation (a day, on a clock the test moves) and with a restart.
 */
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { peerIdFromString } from '@libp2p/peer-id'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { loadConfig } from '../src/config.js'
import { startRelay as startRelayHere } from '../src/relay.js'
import { readTree, removeDir, startRelay, tempDir } from './helpers.js'
import { Fleet, introduce } from './messengers.js'
import type { RelayConfig } from '../src/config.js'
import type { Relay } from '../src/relay.js'
import type { LogLine, RelayProcess } from './helpers.js'
import type { Messenger, MessengerOptions } from '@sotto/core'

const DAY_MS = 24 * 3_600_000

/** A relay in this process, logging at debug level into `lines`. */
async function relayHere (dataDir: string): Promise<{ relay: Relay, lines: LogLine[], tcp: string }> {
  const loaded = loadConfig(['--data', dataDir, '--jurisdiction', 'DE', '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '127.0.0.1:0', '--log-level', 'debug'], {})
  assert.equal(loaded.kind, 'config')
  const lines: LogLine[] = []
  const sink = new Writable({
    write (chunk: Buffer, _enc, done) {
      for (const text of chunk.toString().split('\n')) if (text !== '') lines.push(JSON.parse(text) as LogLine)
      done()
    }
  })
  const relay = await startRelayHere((loaded as { config: RelayConfig }).config, pino({ level: 'debug' }, sink))
  const tcp = relay.addrs().find(a => a.includes('/tcp/') && !a.includes('/ws'))
  assert.ok(tcp != null)
  return { relay, lines, tcp }
}

/** The peers of the connections a relay logged, in order. */
function peersSeen (lines: LogLine[]): string[] {
  return lines.filter(l => l.msg === 'connection opened').map(l => l.peer as string)
}

describe('privacy: a contact\'s relay never learns who writes to its users', () => {
  const fleet = new Fleet()
  let ra: RelayProcess
  let rb: Awaited<ReturnType<typeof relayHere>>
  let rbDir: string

  before(async () => {
    ra = await startRelay()
    rbDir = await tempDir()
    rb = await relayHere(rbDir)
  })

  after(async () => {
    await fleet.cleanup()
    await rb.relay.stop().catch(() => {})
    await ra.stop()
    await removeDir(ra.dataDir)
    await removeDir(rbDir)
  })

  it('Bob\'s relay never sees Alice\'s PeerId, and her throwaway keys change with the rotation and a restart', { timeout: 120_000 }, async () => {
    let clock = Date.now()
    const anonymity = { anonymity: { now: () => clock } } as Partial<MessengerOptions>
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    let alice = await fleet.start(aliceDir, 'Alice', { relays: [ra.tcp], ...anonymity })
    const bob = await fleet.start(bobDir, 'Bob', { relays: [rb.tcp] })
    const alicePeer = alice.identity().peerId
    const bobPeer = bob.identity().peerId
    const { bobAtAlice } = await introduce(alice, bob)
    await fleet.stop(bob)

    const others = (): string[] => [...new Set(peersSeen(rb.lines).filter(p => p !== bobPeer))]
    const sendAndWaitSent = async (m: Messenger, text: string): Promise<void> => {
      const sent = await m.send(bobAtAlice, text)
      await m.waitForState(sent.id, ['sent', 'delivered'], 30_000)
    }
    await sendAndWaitSent(alice, 'first, while Bob is away')
    const first = others()
    assert.ok(first.length > 0, 'Alice reached Bob\'s relay under some identity')
    assert.ok(!first.includes(alicePeer), 'not under her own PeerId')

    // A day later (on Alice's clock) the next deposit goes under a new key.
    clock += DAY_MS + 1
    await sendAndWaitSent(alice, 'second, a day later')
    const second = others().filter(p => !first.includes(p))
    assert.ok(second.length > 0, 'a new identity after the rotation')

    // A restart makes a new key too, whatever the clock says.
    await fleet.stop(alice)
    alice = await fleet.start(aliceDir, 'Alice', anonymity)
    await sendAndWaitSent(alice, 'third, after a restart')
    const third = others().filter(p => !first.includes(p) && !second.includes(p))
    assert.ok(third.length > 0, 'a new identity after a restart')

    // What the operator of Bob's relay can see: its log, its peer store, its files.
    const log = rb.lines.map(l => JSON.stringify(l)).join('\n')
    assert.ok(!log.includes(alicePeer), 'Alice\'s PeerId is not in the relay\'s debug log')
    for (const line of rb.lines.filter(l => l.msg === 'connection opened')) {
      assert.equal(typeof line.addr, 'string', 'each connection is logged with its address')
    }
    const peers = await rb.relay.node.peerStore.all()
    const known = peers.map(p => p.id.toString())
    assert.ok(known.includes(bobPeer), 'the peer store holds Bob (a check that it is read at all)')
    assert.ok(!known.includes(alicePeer), 'Alice\'s PeerId is not in the relay\'s peer store')
    // The throwaway nodes announced nothing of Alice's: no listen address, not her protocols.
    const aliceAddrs = alice.addresses().map(a => a.split('/p2p/')[0] as string)
    const throwaway = peers.filter(p => [...first, ...second, ...third].includes(p.id.toString()))
    assert.ok(throwaway.length > 0, 'the relay\'s peer store holds the throwaway peers')
    for (const p of throwaway) {
      assert.ok(!p.protocols.includes('/sotto/message/1.0.0'), 'a throwaway node does not serve messages')
      for (const a of p.addresses) assert.ok(!aliceAddrs.some(own => a.multiaddr.toString().startsWith(own)), 'nor announces Alice\'s addresses')
    }
    await rb.relay.stop()
    const needles = [Buffer.from(alicePeer), Buffer.from(peerIdFromString(alicePeer).toMultihash().bytes)]
    const files = await readTree(rbDir)
    assert.ok(files.length > 0)
    for (const file of files) {
      for (const needle of needles) assert.equal(file.bytes.indexOf(needle), -1, `Alice's PeerId is not in ${file.path}`)
    }
  })
})
