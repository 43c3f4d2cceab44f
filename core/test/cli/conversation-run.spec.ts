// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Reply, react, edit, delete, read receipts and search through two `sotto run` processes on
 * loopback, in a conversation and in a group, and search as a one-shot command afterwards.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { tempDir } from '../messenger/helpers.js'
import { RunningPeer, freePort, sotto } from './cli-process.js'

describe('sotto run: a conversation beyond texts', () => {
  const dirs: Array<{ dir: string, cleanup(): Promise<void> }> = []
  const running: RunningPeer[] = []
  let alice: RunningPeer
  let bob: RunningPeer
  let bobId: string
  let aliceId: string

  /** The result of a stdin command, which must not be an error. */
  async function ok (peer: RunningPeer, cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = await peer.command(cmd)
    assert.equal(answer.event, 'result', JSON.stringify(answer))
    return answer.result as Record<string, unknown>
  }

  before(async () => {
    dirs.push(await tempDir(), await tempDir())
    const [aliceDir, bobDir] = [dirs[0]!.dir, dirs[1]!.dir]
    const [alicePort, bobPort] = [await freePort(), await freePort()]
    await sotto(['--data', aliceDir, 'init', '--name', 'Alice', '--listen', `/ip4/127.0.0.1/tcp/${alicePort}`, '--no-mdns'], 'alice pass')
    const [bobInit] = await sotto(['--data', bobDir, 'init', '--name', 'Bob', '--listen', `/ip4/127.0.0.1/tcp/${bobPort}`, '--no-mdns'], 'bob pass')
    const [added] = await sotto(['--data', aliceDir, 'add', String(bobInit?.invite), '--alias', 'bob'], 'alice pass')
    bobId = String(added?.contact)
    alice = await RunningPeer.start(aliceDir, 'alice pass')
    bob = await RunningPeer.start(bobDir, 'bob pass')
    running.push(alice, bob)
    aliceId = String((await bob.next(e => e.event === 'request')).contact)
    await ok(bob, { cmd: 'accept', contact: aliceId })
  })

  after(async () => {
    for (const p of running) await p.kill().catch(() => {})
    for (const d of dirs) await d.cleanup()
  })

  it('prints reply, reaction, edit, delete and read events, and finds what is visible', async () => {
    await ok(alice, { cmd: 'settings', readReceipts: true })
    await ok(bob, { cmd: 'settings', readReceipts: true })
    const sent = await ok(alice, { cmd: 'send', to: bobId, text: 'pelican briefing at noon' })
    const id = String(sent.id)
    await bob.next(e => e.event === 'message' && e.id === id)
    // `run` counts a printed message as read.
    await alice.next(e => e.event === 'status' && e.id === id && e.state === 'read')

    const reply = await ok(bob, { cmd: 'reply', to: aliceId, id, text: 'noon works' })
    assert.equal(reply.replyTo, id)
    assert.equal((await alice.next(e => e.event === 'message' && e.id === reply.id)).replyTo, id)

    // A contact's id is their user id: Alice's own reactions are by the id Bob knows her by.
    assert.deepEqual((await ok(alice, { cmd: 'react', id: reply.id, emoji: '👍' })).reactions, [{ by: aliceId, emoji: '👍' }])
    const reaction = await bob.next(e => e.event === 'reaction' && e.id === reply.id)
    assert.deepEqual([reaction.by, reaction.emoji], [aliceId, '👍'])

    await ok(alice, { cmd: 'edit', id, text: 'pelican briefing at one' })
    const edit = await bob.next(e => e.event === 'edit' && e.id === id)
    assert.equal(edit.text, 'pelican briefing at one')

    const refused = await alice.command({ cmd: 'edit', id: reply.id, text: 'not mine' })
    assert.deepEqual([refused.event, refused.name], ['error', 'NotYourMessageError'])

    const doomed = await ok(alice, { cmd: 'send', to: bobId, text: 'pelican password hunter2' })
    await bob.next(e => e.event === 'message' && e.id === doomed.id)
    await ok(alice, { cmd: 'delete', id: doomed.id, everyone: true })
    const deleted = await bob.next(e => e.event === 'delete' && e.id === doomed.id)
    assert.equal(deleted.everyone, true)

    const found = await ok(bob, { cmd: 'search', query: 'pelican' })
    assert.deepEqual((found as unknown as Array<Record<string, unknown>>).map(m => m.text), ['pelican briefing at one'])
    const within = await ok(bob, { cmd: 'search', query: 'noon', in: aliceId })
    assert.deepEqual((within as unknown as Array<Record<string, unknown>>).map(m => m.id), [reply.id])
  })

  it('replies, reacts, edits and deletes in a group; the events name the group', async () => {
    const created = await ok(alice, { cmd: 'group', action: 'create', name: 'Pelicans', member: [bobId] })
    const group = String(created.group)
    await bob.next(e => e.event === 'group' && e.group === group && (e.members as unknown[]).length === 2)
    await alice.next(e => e.event === 'group' && e.group === group && (e.members as unknown[]).length === 2)
    const sent = await ok(alice, { cmd: 'send', to: group, text: 'pelicans at dawn' })
    await bob.next(e => e.event === 'message' && e.id === sent.id)

    const reply = await ok(bob, { cmd: 'reply', to: group, id: sent.id, text: 'dawn works' })
    const replied = await alice.next(e => e.event === 'message' && e.id === reply.id)
    assert.deepEqual([replied.group, replied.replyTo], [group, sent.id])
    await ok(bob, { cmd: 'react', id: sent.id, emoji: '👍' })
    const reaction = await alice.next(e => e.event === 'reaction' && e.id === sent.id)
    assert.deepEqual([reaction.group, reaction.by, reaction.emoji, reaction.contact], [group, bobId, '👍', undefined])
    await ok(alice, { cmd: 'edit', id: sent.id, text: 'pelicans at nine' })
    assert.equal((await bob.next(e => e.event === 'edit' && e.id === sent.id)).group, group)
    const refused = await bob.command({ cmd: 'edit', id: sent.id, text: 'not mine' })
    assert.deepEqual([refused.event, refused.name], ['error', 'NotYourMessageError'])
    await ok(alice, { cmd: 'delete', id: sent.id, everyone: true })
    const deleted = await bob.next(e => e.event === 'delete' && e.id === sent.id)
    assert.deepEqual([deleted.group, deleted.everyone], [group, true])
  })

  it('searches as a one-shot command once run has stopped', async () => {
    await bob.stop()
    const lines = await sotto(['--data', dirs[1]!.dir, 'search', 'pel', '--in', aliceId], 'bob pass')
    assert.deepEqual(lines.map(m => m.text), ['pelican briefing at one'])
    assert.deepEqual(await sotto(['--data', dirs[1]!.dir, 'search', 'hunter2'], 'bob pass'), [])
  })
})

