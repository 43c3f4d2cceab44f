// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Behind NAT: Alice and Bob each sit behind a masquerading router of their own (nobody can open a
 * connection to either; see `rig`), with one relay on the LAN that runs a STUN responder
 * (`--stun`). They first reach each other through the relay (a circuit from a throwaway node); the
 * messenger then dials the other's `/p2p-circuit/webrtc` address, and ICE, with the relay's STUN
 * as its only server, opens a UDP path through both NATs (`core/src/net/direct-path.ts`).
 *
 * - Hole punching: over N tries (Alice's app started again, then a message each way), how often
 *   the relayed link became direct is a figure; at least one must (the path works at all).
 * - A file eight times the relay's circuit data limit (128 KiB, libp2p's default) arrives identical
 *   while both are online: over the direct path when there is one (Bob fetches it from Alice, she
 *   uploads nothing), else through the relay's blob store (Alice uploads it) — never through the
 *   circuit, which the relay would cut at its limit. Which route it took is a figure.
 * - With only one side behind NAT (Carol on the LAN, Bob behind his router), Bob's own dial to
 *   Carol makes the link direct, and a file from Carol goes over it (she uploads nothing).
 */

import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Rig, figure, pick } from '../src/index.js'
import type { Line, SottoPeer } from '../src/index.js'

const SCENARIO = 'behind NAT'
const TRIES = pick(3, 10)
/** libp2p's circuit relay data limit per relayed connection, which the relay keeps. */
const CIRCUIT_DATA_LIMIT = 128 * 1024
const FILE_BYTES = 8 * CIRCUIT_DATA_LIMIT
/** How long a try waits for a direct path after a message each way: a figure's window, not a gate. */
const UPGRADE_WINDOW_MS = 15_000
/** The relay's STUN responder (UDP). */
const STUN_PORT = 3478

describe(SCENARIO, () => {
  let rig: Rig
  let alice: SottoPeer
  let bob: SottoPeer
  let ids: { aSeesB: string, bSeesA: string }
  /** Every presence either side reported for the other, in order. */
  const presence: Array<{ at: SottoPeer, presence: string }> = []
  const shown = new Map<string, number>()
  /** Ids of files each peer reported moving; a sender does only while it uploads to a relay. */
  const moving = new Map<SottoPeer, Set<string>>()

  /** Follows a peer's presence, message and progress lines. */
  function follow (peer: SottoPeer): void {
    moving.set(peer, new Set())
    peer.onEvent(l => {
      if (l.event === 'connection') presence.push({ at: peer, presence: String(l.presence) })
      if (l.event === 'message') shown.set(String(l.id), (shown.get(String(l.id)) ?? 0) + 1)
      if (l.event === 'progress' && l.state === 'transferring') moving.get(peer)?.add(String(l.id))
    })
  }

  before(async () => {
    rig = await Rig.create('nat')
    const relay = await rig.relay('relay', ['--stun', `0.0.0.0:${STUN_PORT}`])
    alice = await rig.peer('alice', { relays: [relay], nat: true })
    bob = await rig.peer('bob', { relays: [relay], nat: true })
    follow(alice)
    follow(bob)
    ids = await rig.contacts(alice, bob, 1)
  })

  after(async () => { await rig.close() })

  /** Sends a text and waits until the other shows it. */
  async function message (from: SottoPeer, to: SottoPeer, contact: string, text: string): Promise<void> {
    const { id } = await from.command({ cmd: 'send', to: contact, text }) as { id: string }
    await to.live.next((l: Line) => l.event === 'message' && l.id === id, 120_000)
  }

  it(`hole punching: ${TRIES} tries of a relayed link, direct paths counted`, { timeout: TRIES * 4 * 60_000 }, async () => {
    let relayed = 0
    let upgraded = 0
    const times: number[] = []
    for (let i = 0; i < TRIES; i++) {
      await alice.stop()
      const seen = presence.length
      await alice.start()
      const started = Date.now()
      await message(alice, bob, ids.aSeesB, `try ${i} a`)
      await message(bob, alice, ids.bSeesA, `try ${i} b`)
      const since = (): typeof presence => presence.slice(seen)
      if (since().some(p => p.presence === 'relay')) relayed++
      const direct = await alice.live.next(l => l.event === 'connection' && l.presence === 'direct' && l.contact === ids.aSeesB, UPGRADE_WINDOW_MS).then(() => true, () => false)
      if (direct) {
        upgraded++
        times.push(Date.now() - started)
      }
    }
    figure({ scenario: SCENARIO, name: `links through a relay circuit, of ${TRIES} tries`, value: relayed, unit: '' })
    figure({ scenario: SCENARIO, name: `relayed links made direct (WebRTC, the relay's STUN) within ${UPGRADE_WINDOW_MS / 1000} s of a message each way, of ${TRIES} tries`, value: upgraded, unit: '' })
    times.sort((a, b) => a - b)
    if (times.length > 0) figure({ scenario: SCENARIO, name: 'Alice\'s start → direct path, median', value: times[Math.floor(times.length / 2)] as number, unit: 'ms' })
    assert.equal([...shown.values()].filter(n => n > 1).length, 0, 'a message was shown twice')
    assert.ok(upgraded >= 1, `no relayed link became direct in ${TRIES} tries`)
  })

  /** `from` sends `to` a file of random bytes; it arrives identical and is shown once. Resolves with its message id. */
  async function fileArrives (from: SottoPeer, to: SottoPeer, contact: string, name: string): Promise<string> {
    const bytes = randomBytes(FILE_BYTES)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const dir = await rig.dir(name)
    const path = join(dir, name)
    await writeFile(path, bytes)
    const { id } = await from.command({ cmd: 'send-file', to: contact, path }) as { id: string }
    const done = await to.live.next(l => l.event === 'progress' && l.id === id && l.state !== 'transferring', 180_000)
    assert.equal(done.state, 'done', `the file ${String(done.state)} (${String(done.error)})`)
    const saved = await to.command({ cmd: 'save', id, path: join(dir, `${name}.saved`) }, 60_000) as { size: number, sha256: string }
    assert.deepEqual({ size: saved.size, sha256: saved.sha256 }, { size: FILE_BYTES, sha256 })
    assert.equal(shown.get(id), 1, 'the file message was not shown exactly once')
    return id
  }

  it(`a file of ${FILE_BYTES / 1024} KiB (8× the circuit data limit) goes directly, or through the blob store, never the circuit`, { timeout: 5 * 60_000 }, async () => {
    const id = await fileArrives(alice, bob, ids.aSeesB, 'photo.bin')
    // Alice reports progress only while she uploads to a relay; a recipient fetching from her reports none at her side.
    const uploaded = moving.get(alice)?.has(id) === true
    figure({ scenario: SCENARIO, name: 'file route, both behind NAT (1: Bob fetched it from Alice directly; 0: Alice uploaded it to the relay)', value: uploaded ? 0 : 1, unit: '' })
    if (!presence.some(p => p.presence === 'direct')) assert.ok(uploaded, 'no direct connection, yet Alice did not upload the file to the relay')
  })

  it('one side behind NAT: its own dial makes a direct link, and a file goes over it', { timeout: 5 * 60_000 }, async () => {
    const carol = await rig.peer('carol', { relays: rig.relays })
    follow(carol)
    const { aSeesB: bobAtCarol, bSeesA: carolAtBob } = await rig.contacts(carol, bob, 1)
    await message(bob, carol, carolAtBob, 'hello from behind a NAT')
    await carol.live.next(l => l.event === 'connection' && l.contact === bobAtCarol && l.presence === 'direct', 60_000)
    const id = await fileArrives(carol, bob, bobAtCarol, 'report.bin')
    assert.ok(!(moving.get(carol)?.has(id) ?? false), 'Carol uploaded the file to the relay although Bob was connected directly')
  })
})
