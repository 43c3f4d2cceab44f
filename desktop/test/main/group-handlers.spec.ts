// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The group calls, answered by the desktop service over real messengers on loopback (Alice, and
 * her contacts Bob and Carol, who are not each other's): payloads checked, views limited to the
 * contract's fields, events pushed as members join, write and send a file, as the group is
 * renamed, and as members are removed.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createMessenger } from '@sotto/core'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { nextEvent, tempDir, value } from '../fixtures/helpers.js'
import type { DesktopService } from '../../src/main/desktop-service.js'
import type { ContactView, GroupChangeEntry, GroupView, MessageView, Result } from '../../src/shared/contract.js'

/** A desktop service over core's messenger, set up as `name` without relays. */
async function startApp (dir: string, name: string): Promise<DesktopService> {
  const service = createDesktopService({
    dataDir: join(dir, name),
    createMessenger,
    passphrase: `pass of ${name}`,
    messengerOptions: { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, scryptLogN: 10 }
  })
  await service.start()
  value(await service.dispatch('setup', { name, relays: [] }))
  return service
}

/** `a` adds `b` by invite and `b` accepts; resolves with how `a` knows `b`. */
async function introduce (a: DesktopService, b: DesktopService): Promise<ContactView> {
  const request = nextEvent(b, 'request')
  const { link } = value(await b.dispatch('createInvite', undefined)) as { link: string }
  const known = value(await a.dispatch('addContact', { invite: link })) as ContactView
  value(await b.dispatch('accept', { contactId: (await request).id }))
  return known
}

function errorName (result: Result<unknown>): string {
  assert.equal(result.ok, false, 'expected an error')
  return (result as { ok: false, error: { name: string } }).error.name
}

const call = async <T>(service: DesktopService, method: string, payload?: unknown): Promise<T> => value(await service.dispatch(method, payload)) as T

/** Resolves once `service` holds a group that satisfies `match` (pushed, or there already). */
async function groupAt (service: DesktopService, match: (g: GroupView) => boolean): Promise<GroupView> {
  const pushed = nextEvent(service, 'group', match)
  const held = (await call<GroupView[]>(service, 'groups')).find(match)
  return held ?? await pushed
}

const GROUP_KEYS = ['admin', 'disappearingSeconds', 'id', 'invited', 'lastActivity', 'maxMembers', 'member', 'members', 'name', 'unread']

describe('group calls', () => {
  let alice: DesktopService, bob: DesktopService, carol: DesktopService
  let bobId: string, carolId: string, group: GroupView
  let cleanup: () => Promise<void>
  before(async () => {
    let dir: string
    ({ dir, cleanup } = await tempDir())
    ;[alice, bob, carol] = await Promise.all(['Alice', 'Bob', 'Carol'].map(async name => startApp(dir, name))) as [DesktopService, DesktopService, DesktopService]
    bobId = (await introduce(alice, bob)).id
    carolId = (await introduce(alice, carol)).id
  })
  after(async () => {
    await Promise.allSettled([alice, bob, carol].map(async s => s?.stop()))
    await cleanup()
  })

  it('refuses malformed group payloads without calling the messenger', async () => {
    const bad: Array<[string, unknown]> = [
      ['createGroup', { name: 'Friends', members: [] }],
      ['createGroup', { name: '   ', members: [bobId] }],
      ['createGroup', { name: 'a\u0007b', members: [bobId] }],
      ['createGroup', { name: 'Friends', members: [bobId], extra: 1 }],
      ['group', { groupId: 'Friends' }],
      ['removeGroupMember', { groupId: '0'.repeat(32), memberId: 'Bob' }],
      ['setGroupDisappearing', { groupId: '0'.repeat(32), seconds: 17 }],
      ['renameGroup', { groupId: '0'.repeat(32), name: ' ' }],
      ['renameGroup', { groupId: '0'.repeat(32), name: 'x'.repeat(65) }],
      ['groups', { all: true }]
    ]
    for (const [method, payload] of bad) assert.equal(errorName(await alice.dispatch(method, payload)), 'InvalidPayloadError', `${method} ${JSON.stringify(payload)}`)
    assert.deepEqual(await call(alice, 'groups'), [], 'nothing was created')
  })

  it('creates a group of contacts and pushes it as each joins, with the contract\'s fields only', { timeout: 60_000 }, async () => {
    const whole = nextEvent(alice, 'group', g => g.members.length === 3)
    const created = await call<GroupView>(alice, 'createGroup', { name: 'Friends', members: [bobId, carolId] })
    assert.deepEqual(Object.keys(created).sort(), GROUP_KEYS)
    assert.deepEqual([...created.invited].sort(), [bobId, carolId].sort())
    assert.equal(created.admin, true)
    group = await whole
    assert.deepEqual(Object.keys(group.members[0]!).sort(), ['admin', 'contact', 'id', 'name'])
    const atBob = await groupAt(bob, g => g.id === group.id && g.members.length === 3)
    assert.equal(atBob.admin, false)
    const changes = await call<GroupChangeEntry[]>(bob, 'groupChanges', { groupId: group.id })
    assert.deepEqual(changes.map(c => c.type), ['created', 'added', 'added'])
    assert.deepEqual(changes.filter(c => c.type === 'added').map(c => c.memberName).sort(), ['Bob', 'Carol'])
  })

  it('carries texts with their sender and delivery count, counts them unread, and shows the newest', { timeout: 60_000 }, async () => {
    await call(alice, 'updateSettings', { notificationPreview: 'name-and-text' })
    const notified = nextEvent(alice, 'notification')
    const arrived = nextEvent(alice, 'message', m => m.contactId === group.id)
    const unread = nextEvent(alice, 'unread', u => u.total === 1)
    const delivered = nextEvent(bob, 'status', s => s.contactId === group.id && s.deliveredCount === 2)
    const sent = await call<MessageView>(bob, 'send', { contactId: group.id, text: 'hello friends' })
    assert.equal(sent.recipientCount, 2)
    const shown = await arrived
    assert.equal(shown.text, 'hello friends')
    assert.equal(shown.senderId, (await call<{ identity: { userId: string } }>(bob, 'status')).identity.userId)
    await unread
    assert.deepEqual(await notified, { title: 'Bob in Friends', body: 'hello friends', contactId: group.id })
    assert.deepEqual(await delivered, { id: sent.id, contactId: group.id, state: 'delivered', deliveredCount: 2, recipientCount: 2 })
    const [listed] = await call<GroupView[]>(alice, 'groups')
    assert.equal(listed?.unread, 1)
    assert.equal(listed?.lastMessage?.text, 'hello friends')
    const read = nextEvent(alice, 'unread', u => u.total === 0)
    await call(alice, 'markRead', { contactId: group.id })
    await read
  })

  it('lets an admin alone rename the group; each member is pushed the new name and shows the change', { timeout: 60_000 }, async () => {
    assert.equal(errorName(await bob.dispatch('renameGroup', { groupId: group.id, name: 'Bob\'s friends' })), 'NotGroupAdminError')
    const atCarol = nextEvent(carol, 'group', g => g.id === group.id && g.name === 'Old friends')
    const renamed = await call<GroupView>(alice, 'renameGroup', { groupId: group.id, name: 'Old friends' })
    assert.deepEqual(Object.keys(renamed).sort(), [...GROUP_KEYS, 'lastMessage'].sort())
    assert.equal(renamed.name, 'Old friends')
    await atCarol
    const last = (await call<GroupChangeEntry[]>(carol, 'groupChanges', { groupId: group.id })).at(-1)
    assert.deepEqual(last, { id: last?.id, at: last?.at, type: 'renamed', by: renamed.members.find(m => m.admin)?.id, byName: 'Alice', name: 'Old friends', previousName: 'Friends' })
  })

  it('sends a file to the group through the upload calls; each member gets it, a non-contact too', { timeout: 60_000 }, async () => {
    const bytes = Buffer.from('minutes of the meeting\n'.repeat(400))
    const { uploadId } = await call<{ uploadId: string }>(bob, 'startUpload', { name: 'minutes.txt', size: bytes.length })
    await call(bob, 'uploadChunk', { uploadId, offset: 0, data: bytes.toString('base64') })
    const here = [alice, carol].map(async s => nextEvent(s, 'file', f => f.contactId === group.id && f.state === 'done'))
    const sent = await call<MessageView>(bob, 'sendUpload', { uploadId, contactId: group.id })
    assert.equal(sent.file?.name, 'minutes.txt')
    assert.equal(sent.recipientCount, 2)
    for (const [i, service] of [alice, carol].entries()) {
      assert.equal((await here[i])?.id, sent.id)
      const { data } = await call<{ data: string }>(service, 'readFile', { messageId: sent.id, offset: 0 })
      assert.ok(Buffer.from(data, 'base64').equals(bytes), 'the file arrives identical')
    }
  })

  it('lets admins alone change members; a removed member is told and cannot send', { timeout: 60_000 }, async () => {
    assert.equal(errorName(await bob.dispatch('removeGroupMember', { groupId: group.id, memberId: carolId })), 'NotGroupAdminError')
    const made = await call<GroupView>(alice, 'makeGroupAdmin', { groupId: group.id, memberId: bobId })
    assert.equal(made.members.find(m => m.id === bobId)?.admin, true)
    const timed = await call<GroupView>(alice, 'setGroupDisappearing', { groupId: group.id, seconds: 3600 })
    assert.equal(timed.disappearingSeconds, 3600)
    const message = await call<MessageView>(alice, 'send', { contactId: group.id, text: 'this one goes in an hour' })
    assert.equal(message.disappearingSeconds, 3600)

    const removed = groupAt(carol, g => g.id === group.id && !g.member)
    await call(alice, 'removeGroupMember', { groupId: group.id, memberId: carolId })
    await removed
    const last = (await call<GroupChangeEntry[]>(carol, 'groupChanges', { groupId: group.id })).at(-1)
    assert.deepEqual([last?.type, last?.member], ['removed', carolId])
    assert.equal(errorName(await carol.dispatch('send', { contactId: group.id, text: 'still here?' })), 'GroupChangeRefusedError')
    const left = await call<GroupView>(bob, 'leaveGroup', { groupId: group.id })
    assert.equal(left.member, false)
  })
})
