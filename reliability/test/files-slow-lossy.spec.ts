// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Files over a slow and lossy link: Bob sits behind the link of `slow-lossy` — 200 ms each way,
 * 1 Mbit/s, 5% of chunks stalled (lost and sent again) — through which all his traffic passes.
 * Alice sends him a file of random bytes twice: once while he is online (he fetches it from her,
 * over the connection she opened to him through the edge), once while he is away (she uploads it
 * to his relay; he fetches it from there through the edge when he returns). Each time the file
 * arrives identical (SHA-256 of what `save` wrote), and its message is shown once; the transfer
 * rate is a figure beside the link's rate, and so are the bytes that came on each route (read from
 * the edge proxy's counts). The direct connection survives the direct transfer (bug 9: libp2p's
 * connection monitor aborted it when its ping waited behind seconds of queued chunks): Alice never
 * sees Bob other than directly connected from the send to the file's arrival.
 */

import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { PEER_PORT, RELAY_PORTS, Rig, figure, pick, scenarioSeed } from '../src/index.js'
import type { EdgeHost, Impairment, Line, ProxyStats, RelayDaemon, SottoPeer } from '../src/index.js'

const SCENARIO = 'files over a slow and lossy link'
const MiB = 1024 * 1024
/** The file's size: random bytes, so nothing compresses. */
const FILE_BYTES = pick(4, 16) * MiB
/** The link: `slow-lossy`'s stalling phase. */
const LINK_KBIT = 1000
const IMPAIRMENT: Impairment = { delayMs: 200, dropRate: 0.05, dropMode: 'stall', stallMs: 300 }
/** Longest a transfer may take: four times the link's bare time, at least two minutes. */
const TRANSFER_MS = Math.max(120_000, 4 * (FILE_BYTES * 8 / LINK_KBIT))

describe(SCENARIO, () => {
  let rig: Rig
  let alice: SottoPeer
  let bob: SottoPeer
  let edge: EdgeHost
  let ids: { aSeesB: string, bSeesA: string }
  let files: string
  /** Bob's `message` lines, every incarnation. */
  const shownAtBob: Line[] = []
  /** Alice's `connection` lines (Bob's presence at her side), in order. */
  const presenceAtAlice: Line[] = []

  before(async () => {
    rig = await Rig.create('flossy')
    const relay = await rig.relay('relay')
    alice = await rig.peer('alice', { relays: [relay] })
    bob = await rig.peer('bob', { relays: [relay], edge: { seed: scenarioSeed() } })
    edge = bob.options.host as EdgeHost
    bob.onEvent(l => { if (l.event === 'message') shownAtBob.push(l) })
    alice.onEvent(l => { if (l.event === 'connection') presenceAtAlice.push(l) })
    ids = await rig.contacts(alice, bob, 1)
    files = await rig.dir('files')
    await edge.impair(IMPAIRMENT)
    await bob.options.host.throttle({ rateKbit: LINK_KBIT })
  })

  after(async () => { await rig.close() })

  /** A file of random bytes; its path and SHA-256. */
  async function randomFile (name: string): Promise<{ path: string, sha256: string }> {
    const bytes = randomBytes(FILE_BYTES)
    const path = join(files, name)
    await writeFile(path, bytes)
    return { path, sha256: createHash('sha256').update(bytes).digest('hex') }
  }

  /** Resolves when `peer` reports the file of message `id` done; fails on `failed`. */
  async function fileDone (peer: SottoPeer, id: string): Promise<void> {
    const line = await peer.live.next(l => l.event === 'progress' && l.id === id && l.state !== 'transferring', TRANSFER_MS)
    assert.equal(line.state, 'done', `${peer.label}: the file ${String(line.state)} (${String(line.error)})`)
  }

  /** Bob saves the file and checks it; it was shown once and is once in his history. */
  async function arrivedOnce (id: string, sha256: string, name: string): Promise<void> {
    const saved = await bob.command({ cmd: 'save', id, path: join(files, `${name}.saved`) }, TRANSFER_MS) as { size: number, sha256: string }
    assert.deepEqual({ size: saved.size, sha256: saved.sha256 }, { size: FILE_BYTES, sha256 }, 'the file arrived changed')
    assert.equal(shownAtBob.filter(l => l.id === id).length, 1, 'the file message was not shown exactly once')
    const history = await bob.history(ids.bSeesA)
    assert.equal(history.filter(m => m.id === id).length, 1, 'the file message is not once in the history')
    await alice.live.next(l => l.event === 'status' && l.id === id && l.state === 'delivered', 60_000)
  }

  /** Bytes the edge forwarded on one route (`host:port` of its listener; `<` appended: the way back) between two readings. */
  const delta = (a: ProxyStats, b: ProxyStats, key: string): number => (b.bytesToTarget[key] ?? 0) - (a.bytesToTarget[key] ?? 0)
  /** The relay's route through the edge, the way back: from the relay to Bob. */
  const relayToBob = (): string => `${rig.hostOf(rig.relays[0] as RelayDaemon).ip}:${RELAY_PORTS.tcp}<`

  it(`directly: ${FILE_BYTES / MiB} MiB arrive identical, shown once`, { timeout: 2 * TRANSFER_MS }, async () => {
    const { path, sha256 } = await randomFile('direct.bin')
    const before = await edge.proxyStats()
    const started = Date.now()
    const seen = presenceAtAlice.length
    const { id } = await alice.command({ cmd: 'send-file', to: ids.aSeesB, path }) as { id: string }
    await fileDone(bob, id)
    const seconds = (Date.now() - started) / 1000
    const changes = presenceAtAlice.slice(seen).filter(l => l.contact === ids.aSeesB).map(l => String(l.presence))
    const after = await edge.proxyStats()
    // Bob's only way to Alice is the connection she opened to his public address.
    const towardsBob = delta(before, after, `${edge.ip}:${PEER_PORT}`)
    const fromRelay = delta(before, after, relayToBob())
    figure({ scenario: SCENARIO, name: `directly: ${FILE_BYTES / MiB} MiB in`, value: seconds, unit: `s = ${(FILE_BYTES / MiB / seconds).toFixed(3)} MiB/s (link ${(LINK_KBIT / 8 / 1024).toFixed(3)} MiB/s; ${after.stalled - before.stalled} chunks stalled)` })
    // Which route carried it is a figure: libp2p's connection monitor may abort the direct connection
    // when its ping waits behind seconds of queued chunks, and the file then comes through the relay.
    figure({ scenario: SCENARIO, name: 'directly: bytes over Alice\'s connection / from the relay', value: towardsBob / MiB, unit: `MiB / ${(fromRelay / MiB).toFixed(2)} MiB` })
    await arrivedOnce(id, sha256, 'direct')
    assert.deepEqual(changes, [], 'the direct connection did not survive the transfer (Bob\'s presence at Alice changed)')
  })

  it(`through the relay while Bob is away: ${FILE_BYTES / MiB} MiB arrive identical, shown once`, { timeout: 3 * TRANSFER_MS }, async () => {
    const { path, sha256 } = await randomFile('relayed.bin')
    await bob.stop()
    const uploadStarted = Date.now()
    const { id } = await alice.command({ cmd: 'send-file', to: ids.aSeesB, path }) as { id: string }
    await fileDone(alice, id)
    const upload = (Date.now() - uploadStarted) / 1000
    await alice.live.next(l => l.event === 'status' && l.id === id && l.state === 'sent', 60_000)

    const before = await edge.proxyStats()
    const downloadStarted = Date.now()
    await bob.start()
    await fileDone(bob, id)
    const download = (Date.now() - downloadStarted) / 1000
    const after = await edge.proxyStats()
    const fromRelay = delta(before, after, relayToBob())
    figure({ scenario: SCENARIO, name: `through the relay: upload of ${FILE_BYTES / MiB} MiB (clean link) in`, value: upload, unit: `s = ${(FILE_BYTES / MiB / upload).toFixed(2)} MiB/s` })
    figure({ scenario: SCENARIO, name: `through the relay: Bob's start to ${FILE_BYTES / MiB} MiB fetched in`, value: download, unit: `s = ${(FILE_BYTES / MiB / download).toFixed(3)} MiB/s (link ${(LINK_KBIT / 8 / 1024).toFixed(3)} MiB/s; ${after.stalled - before.stalled} chunks stalled)` })
    figure({ scenario: SCENARIO, name: 'through the relay: bytes from the relay', value: fromRelay / MiB, unit: 'MiB' })
    await arrivedOnce(id, sha256, 'relayed')
  })
})
