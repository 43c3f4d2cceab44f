// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Groups through `sotto-relay` (a child process): a member offline catches up from its mailbox,
 * with messages from members who are not its contacts (deposited with its group token, shown in
 * the group, no request made); and a sender killed with SIGKILL in the middle of a fan-out (a
 * `sotto run` process) loses nothing it acknowledged, each member showing each message once, in
 * order, once it runs again.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { metric, removeDir, startRelay, tempDir, until } from './helpers.js'
import { Fleet, introduce, nextEvent } from './messengers.js'
import { SottoRun, sotto } from './sotto-cli.js'
import type { RelayProcess } from './helpers.js'
import type { Group, Message, Messenger } from '@sotto/core'

/** Resolves once `m` holds a group matching `match`. */
async function groupReaches (m: Messenger, match: (g: Group) => boolean): Promise<Group> {
  const event = nextEvent(m, 'group', match, 60_000)
  const found = (await m.groups()).find(match)
  return found ?? await event
}

/** The group messages `m` shows, as they come. */
function shownAt (m: Messenger): Message[] {
  const shown: Message[] = []
  m.on('message', msg => { if (msg.groupId != null) shown.push(msg) })
  return shown
}

/** The texts `shown` holds from `prefix`, as indices: each once and rising, or the assertion fails. */
function indicesOf (shown: Message[], prefix: string): number[] {
  const indices = shown.filter(m => m.text.startsWith(prefix)).map(m => Number(m.text.slice(prefix.length)))
  assert.deepEqual(indices, [...indices].sort((a, b) => a - b), `${prefix}: in the order written`)
  assert.equal(new Set(indices).size, indices.length, `${prefix}: each once`)
  return indices
}

describe('groups through sotto-relay', () => {
  const fleet = new Fleet()
  let relay: RelayProcess

  before(async () => {
    relay = await startRelay()
  })

  after(async () => {
    await fleet.cleanup()
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    await removeDir(relay?.dataDir)
  })

  it('an offline member catches up from its mailbox, from members who are not its contacts', { timeout: 180_000 }, async () => {
    const dirs = [await fleet.dir(), await fleet.dir(), await fleet.dir(), await fleet.dir()]
    const names = ['Alice', 'Bob', 'Carol', 'Dave']
    const [alice, bob, carol, dave] = await Promise.all(names.map(async (n, i) => fleet.start(dirs[i] as string, n, { relays: [relay.tcp] }))) as [Messenger, Messenger, Messenger, Messenger]
    for (const m of [bob, carol, dave]) await introduce(alice, m)
    const team = await alice.createGroup('Team', [bob, carol, dave].map(m => m.identity().userId))
    await Promise.all([alice, bob, carol, dave].map(async m => groupReaches(m, g => g.id === team.id && g.members.length === 4)))

    await fleet.stop(dave)
    const PER_SENDER = 5
    const last: Message[] = []
    for (const [i, m] of [alice, bob, carol].entries()) {
      for (let k = 0; k < PER_SENDER; k++) {
        const sent = await m.send(team.id, `${names[i] as string} ${k}`)
        if (k === PER_SENDER - 1) last.push(sent)
      }
    }
    // Every text waits in Dave's mailbox, deposited by each sender with Dave's token for the group.
    await until(async () => await metric(relay, /^sotto_relay_envelopes (\d+)/m) >= 3 * PER_SENDER, 'the texts in Dave\'s mailbox', 60_000)
    assert.equal(await metric(relay, /^sotto_relay_mailbox_requests_total\{op="deposit",status="UNAUTHORIZED"\} (\d+)/m), 0)
    const back = await fleet.start(dirs[3] as string, 'Dave')
    const shown = shownAt(back)
    await until(async () => shown.length >= 3 * PER_SENDER, 'every message at Dave', 60_000)
    for (const name of names.slice(0, 3)) {
      assert.deepEqual(indicesOf(shown, `${name} `), [0, 1, 2, 3, 4], `Dave shows ${name}'s messages`)
    }
    assert.deepEqual(await back.requests(), [], 'no request from members who are not contacts')
    assert.deepEqual((await back.contacts()).map(c => c.displayName), ['Alice'])
    // Dave's receipts go back one to one, to members who are not his contacts too.
    for (const [i, m] of [alice, bob, carol].entries()) {
      const sent = last[i] as Message
      await until(async () => (await m.history(team.id)).find(x => x.id === sent.id)?.deliveredCount === 3, `${names[i] as string}'s last delivered to 3`, 60_000)
    }
  })

  it('a sender killed in the middle of a fan-out loses nothing it acknowledged', { timeout: 240_000 }, async () => {
    const pass = 'alice passphrase'
    const aliceDir = await tempDir()
    const local = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']
    await sotto(['--data', aliceDir, 'init', '--name', 'Alice', '--relay', relay.tcp, ...local], pass)
    let alice = await SottoRun.start(aliceDir, pass, {}, ['--listen', '/ip4/127.0.0.1/tcp/0'])
    try {
      const members = await Promise.all(['Bob', 'Carol', 'Dave'].map(async n => fleet.start(await fleet.dir(), n, { relays: [relay.tcp] })))
      for (const m of members) {
        const request = nextEvent(m, 'request')
        await alice.command({ cmd: 'add', invite: await m.invite() })
        await m.accept((await request).id)
      }
      const created = await alice.command({ cmd: 'group', action: 'create', name: 'Crew', member: members.map(m => m.identity().userId) }) as Record<string, unknown>
      assert.equal(created.name, 'Crew')
      await alice.next(e => e.event === 'group' && (e.members as unknown[]).length === 4, 120_000)
      await Promise.all(members.map(async m => groupReaches(m, g => g.id === created.group && g.members.length === 4)))

      const shown = members.map(shownAt)
      const COUNT = 40
      const acknowledged: number[] = []
      const answers = Array.from({ length: COUNT }, async (_, i) => {
        await alice.command({ cmd: 'send', to: 'Crew', text: `m ${i}` })
        acknowledged.push(i)
      })
      // Killed once a quarter is acknowledged: deliveries to three members are under way.
      await until(async () => acknowledged.length >= COUNT / 4, 'a quarter acknowledged', 60_000)
      await alice.kill()
      const kept = [...acknowledged]
      // The rest are never answered: the process that would have is gone.
      for (const a of answers) a.catch(() => {})
      alice = await SottoRun.start(aliceDir, pass, {}, ['--listen', '/ip4/127.0.0.1/tcp/0'])
      for (const [i, s] of shown.entries()) {
        await until(async () => kept.every(k => s.some(m => m.text === `m ${k}`)), `every acknowledged message at member ${i}`, 120_000)
        indicesOf(s, 'm ')
      }
    } finally {
      await alice.kill()
      await removeDir(aliceDir)
    }
  })
})
