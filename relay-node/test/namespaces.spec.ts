// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Three hosts in three network namespaces: Alice and Bob (`sotto run`) each reach only the relay
 * (`sotto-relay`), never each other. Messages flow live through the relay's circuit, and while one
 * of them is offline, through its mailbox.
 *
 *   [Alice 10.213.1.2] ── veth ── [10.213.1.1  relay  10.213.2.1] ── veth ── [Bob 10.213.2.2]
 *
 * The relay's namespace does not forward (a new namespace starts with ip_forward = 0) and Alice and
 * Bob have no route to each other's network.
 */
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { CLI, removeDir, tempDir } from './helpers.js'
import { SottoRun, sotto } from './sotto-cli.js'
import type { ChildProcess } from 'node:child_process'

const run = promisify(execFile)
const isRoot = process.getuid?.() === 0
const tag = `sotto${process.pid % 100000}`
const NS = { relay: `${tag}-r`, alice: `${tag}-a`, bob: `${tag}-b` }
const NET = { relayA: '10.213.1.1', alice: '10.213.1.2', relayB: '10.213.2.1', bob: '10.213.2.2' }
const COUNT = 50

async function ip (...args: string[]): Promise<void> {
  await run('ip', args)
}

/** Makes the three namespaces and their two links. */
async function buildNetwork (): Promise<void> {
  for (const ns of Object.values(NS)) {
    await ip('netns', 'add', ns)
    await ip('-n', ns, 'link', 'set', 'lo', 'up')
  }
  await ip('-n', NS.relay, 'link', 'add', 'to-a', 'type', 'veth', 'peer', 'name', 'to-r', 'netns', NS.alice)
  await ip('-n', NS.relay, 'link', 'add', 'to-b', 'type', 'veth', 'peer', 'name', 'to-r', 'netns', NS.bob)
  const addrs: Array<[string, string, string]> = [
    [NS.relay, 'to-a', NET.relayA], [NS.alice, 'to-r', NET.alice],
    [NS.relay, 'to-b', NET.relayB], [NS.bob, 'to-r', NET.bob]
  ]
  for (const [ns, dev, addr] of addrs) {
    await ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev)
    await ip('-n', ns, 'link', 'set', dev, 'up')
  }
}

async function removeNetwork (): Promise<void> {
  for (const ns of Object.values(NS)) await ip('netns', 'del', ns).catch(() => {})
}

/** Starts sotto-relay inside the relay's namespace; resolves with its PeerId and TCP port. */
async function startNamespacedRelay (dataDir: string): Promise<{ proc: ChildProcess, peerId: string, port: number }> {
  const proc = spawn('ip', [
    'netns', 'exec', NS.relay, process.execPath, CLI, '--data', dataDir, '--jurisdiction', 'DE',
    '--listen', '/ip4/0.0.0.0/tcp/0', '--http', 'off'
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  proc.stderr?.on('data', (d: Buffer) => { output += d.toString() })
  const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', line => {
      output += line + '\n'
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>
        if (parsed.msg === 'listening') resolve(parsed)
      } catch {}
    })
    proc.on('exit', () => { reject(new Error(`relay exited: ${output}`)) })
  })
  const addr = (listening.addrs as string[]).find(a => a.startsWith(`/ip4/${NET.relayA}/tcp/`))
  const port = Number(addr?.split('/')[4])
  return { proc, peerId: String(listening.peerId), port }
}

describe('sotto in three network namespaces, only the relay reachable from both', { skip: isRoot ? false : 'needs root to make network namespaces' }, () => {
  const dirs: string[] = []
  const runs: SottoRun[] = []
  let relay: { proc: ChildProcess, peerId: string, port: number } | undefined

  before(async () => {
    await removeNetwork()
    await buildNetwork()
  })

  after(async () => {
    for (const r of runs) await r.kill().catch(() => {})
    if (relay != null && relay.proc.exitCode == null) {
      relay.proc.kill('SIGKILL')
      await new Promise(resolve => relay?.proc.once('exit', resolve))
    }
    await removeNetwork()
    for (const d of dirs) await removeDir(d)
  })

  it('carries messages live through the relay circuit, and through the mailbox while one is offline', { timeout: 150_000 }, async () => {
    const relayDir = await tempDir()
    dirs.push(relayDir)
    relay = await startNamespacedRelay(relayDir)
    const viaA = `/ip4/${NET.relayA}/tcp/${relay.port}/p2p/${relay.peerId}`
    const viaB = `/ip4/${NET.relayB}/tcp/${relay.port}/p2p/${relay.peerId}`

    // No route from Alice's host to Bob's: the only way is the relay.
    await assert.rejects(run('ip', ['netns', 'exec', NS.alice, process.execPath, '-e',
      `require('net').connect(9, '${NET.bob}').on('error', e => { console.error(e.code); process.exit(1) })`]), /ENETUNREACH|EHOSTUNREACH/)

    const aliceDir = await tempDir()
    const bobDir = await tempDir()
    dirs.push(aliceDir, bobDir)
    const [[aliceInit], [bobInit]] = await Promise.all([
      sotto(['--data', aliceDir, 'init', '--name', 'Alice', '--listen', `/ip4/${NET.alice}/tcp/0`, '--relay', viaA, '--no-mdns'], 'alice passphrase', { netns: NS.alice }),
      sotto(['--data', bobDir, 'init', '--name', 'Bob', '--listen', `/ip4/${NET.bob}/tcp/0`, '--relay', viaB, '--no-mdns'], 'bob passphrase', { netns: NS.bob })
    ])
    assert.ok(aliceInit?.invite != null && bobInit?.invite != null)

    const started = await Promise.all([
      SottoRun.start(aliceDir, 'alice passphrase', { netns: NS.alice }),
      SottoRun.start(bobDir, 'bob passphrase', { netns: NS.bob })
    ])
    let alice = started[0]
    const bob = started[1]
    runs.push(alice, bob)
    await bob.next(e => e.event === 'relay' && e.reserved === true)
    const { invite } = await bob.command({ cmd: 'invite' }) as { invite: string }
    const added = await alice.command({ cmd: 'add', invite }) as Record<string, unknown>
    const bobAtAlice = String(added.contact)
    const request = await bob.next(e => e.event === 'request')
    const aliceAtBob = String(request.contact)
    await bob.command({ cmd: 'accept', contact: aliceAtBob })
    await alice.next(e => e.event === 'contact' && e.contact === bobAtAlice && Number(e.mailboxes) > 0)
    await bob.next(e => e.event === 'contact' && e.contact === aliceAtBob && Number(e.mailboxes) > 0)

    // Live, both online: through the relay's circuit, each answered by Bob's own receipt.
    const began = Date.now()
    for (let i = 0; i < COUNT; i++) alice.command({ cmd: 'send', to: bobAtAlice, text: `live ${i}` }).catch(() => {})
    await bob.next(e => e.event === 'message' && e.text === `live ${COUNT - 1}`)
    const liveMs = Date.now() - began
    const live = bob.events.filter(e => e.event === 'message').map(e => String(e.text))
    assert.deepEqual(live, Array.from({ length: COUNT }, (_, i) => `live ${i}`))
    await waitFor(async () => (await history(alice, bobAtAlice)).filter(m => m.state === 'delivered').length === COUNT, 'live messages delivered')
    const presence = alice.events.filter(e => e.event === 'connection' && e.contact === bobAtAlice).map(e => e.presence)
    assert.equal(presence.at(-1), 'relay', 'Alice reaches Bob only through the relay')
    assert.ok(!presence.includes('direct'), 'never directly')
    assert.ok(liveMs < 20_000, `live messages took ${liveMs} ms`)

    // Alice goes offline; Bob's messages wait in her mailbox at the relay.
    assert.equal(await alice.stop(), 0)
    for (let i = 0; i < 20; i++) await bob.command({ cmd: 'send', to: aliceAtBob, text: `while away ${i}` })
    await waitFor(async () => (await history(bob, aliceAtBob)).filter(m => String(m.text).startsWith('while away')).every(m => m.state === 'sent'), 'deposits at the relay')
    alice = await SottoRun.start(aliceDir, 'alice passphrase', { netns: NS.alice })
    runs.push(alice)
    await alice.next(e => e.event === 'message' && e.text === 'while away 19')
    const drained = alice.events.filter(e => e.event === 'message').map(e => String(e.text))
    assert.deepEqual(drained, Array.from({ length: 20 }, (_, i) => `while away ${i}`))
    await waitFor(async () => (await history(bob, aliceAtBob)).every(m => m.direction === 'in' || m.state === 'delivered'), 'Bob sees them delivered')
    assert.equal(await alice.stop(), 0)
    assert.equal(await bob.stop(), 0)
  })
})

async function history (peer: SottoRun, contact: string): Promise<Array<Record<string, unknown>>> {
  return await peer.command({ cmd: 'history', contact }) as Array<Record<string, unknown>>
}

/** Polls `condition` until it holds (every 200 ms, at most `timeoutMs`). */
async function waitFor (condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise<void>(resolve => { setTimeout(resolve, 200) })
  }
}
