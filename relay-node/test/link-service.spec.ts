// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay's link service between two libp2p nodes on loopback, over a real link store, with the
 * relay's clock in the test's hands: who may put, quotas, expiry, revocation, durability, joining.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { deleteLink, joinRelay, linkRequest, newLinkSecrets, putLink, sealCard } from '@sotto/core/links'
import { generateMailboxKey, mailboxIdOf } from '@sotto/core/mailbox'
import { createLibp2p } from 'libp2p'
import { pino } from 'pino'
import { Admission, LinkService, LinkStore } from '../src/links/index.js'
import { clientNode, removeDir, tempDir } from './helpers.js'
import type { MailboxStore } from '../src/mailbox/index.js'
import type { Libp2p, PrivateKey } from '@libp2p/interface'

describe('link service', () => {
  let dir: string
  let server: Libp2p
  let client: Libp2p
  let store: LinkStore
  let relay: string
  let now = Date.now()
  const mailboxes = new Set<string>()
  const admission = { value: undefined as unknown as Admission }

  async function owner (): Promise<PrivateKey> {
    const key = await generateMailboxKey()
    mailboxes.add(Buffer.from(mailboxIdOf(key)).toString('hex'))
    return key
  }

  async function put (key: PrivateKey, linkId: Uint8Array, ttl = 3600): Promise<number> {
    return putLink(client, relay, key, { linkId, sealed: sealCard(new Uint8Array([1, 2, 3]), linkId, newLinkSecrets().key), ttl })
  }

  async function get (linkId: Uint8Array): Promise<string> {
    return (await linkRequest(client, relay, { type: 'get', linkId })).status
  }

  before(async () => {
    dir = await tempDir('sotto-link-service-')
    store = new LinkStore(join(dir, 'links'))
    await store.open()
    admission.value = new Admission(true, dir, () => now)
    server = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    const service = new LinkService({
      store,
      admission: admission.value,
      relayId: server.peerId.toMultihash().bytes,
      mailboxExists: async (id) => mailboxes.has(Buffer.from(id).toString('hex')),
      maxLinksPerMailbox: 2,
      maxTtlSeconds: 7200,
      now: () => now,
      log: pino({ level: 'silent' })
    })
    await server.handle('/sotto/link/1.0.0', service.handle)
    client = await clientNode()
    relay = server.getMultiaddrs()[0]!.toString()
  })

  after(async () => {
    await client?.stop()
    await server?.stop()
    await store?.close()
    if (dir != null) await removeDir(dir)
  })

  it('stores a link for the owner of a mailbox here, and no one else', async () => {
    const alice = await owner()
    const { linkId } = newLinkSecrets()
    const expiresAt = await put(alice, linkId)
    assert.equal(expiresAt, now + 3600_000)
    assert.equal(await get(linkId), 'OK')
    const mallory = await owner()
    await assert.rejects(put(mallory, linkId), { name: 'UnauthorizedError' }, 'another mailbox cannot replace it')
    await assert.rejects(deleteLink(client, relay, mallory, linkId), { name: 'UnauthorizedError' }, 'nor delete it')
    const stranger = await generateMailboxKey()
    await assert.rejects(put(stranger, newLinkSecrets().linkId), { name: 'UnauthorizedError' }, 'a mailbox that does not exist here has no links')
    assert.equal(await get(newLinkSecrets().linkId), 'NOT_FOUND')
  })

  it('caps links per mailbox and their lifetime; an expired link is gone', async () => {
    const bob = await owner()
    const [a, b, c] = [newLinkSecrets().linkId, newLinkSecrets().linkId, newLinkSecrets().linkId]
    assert.equal(await put(bob, a!, 10 * 86_400), now + 7200_000, 'the relay keeps a link at most its limit')
    await put(bob, b!)
    await assert.rejects(put(bob, c!), { name: 'QuotaExceededError' })
    await put(bob, a!)
    now += 7201_000
    assert.equal(await get(a!), 'NOT_FOUND')
    assert.ok(await store.purgeExpired(now) >= 2)
    await put(bob, c!)
  })

  it('signs again with the relay\'s clock when ours is off', async () => {
    const carol = await owner()
    const { linkId } = newLinkSecrets()
    now += 10 * 60_000
    try {
      assert.equal(await put(carol, linkId), now + 3600_000)
    } finally {
      now -= 10 * 60_000
    }
  })

  it('a deleted link answers REVOKED, cannot be put again, and stays so across a restart', async () => {
    const dave = await owner()
    const { linkId } = newLinkSecrets()
    await put(dave, linkId)
    await deleteLink(client, relay, dave, linkId)
    assert.equal(await get(linkId), 'REVOKED')
    await assert.rejects(put(dave, linkId), { name: 'RelayRequestError', code: 'REVOKED' })
    await store.close()
    await store.open()
    assert.equal(await get(linkId), 'REVOKED')
  })

  it('admits a mailbox to an invite-only relay with a join code only', async () => {
    const file = await admission.value.prepare()
    const code = (await readFile(file!, 'utf8')).trim()
    const key = await generateMailboxKey()
    const id = Buffer.from(mailboxIdOf(key)).toString('hex')
    await assert.rejects(joinRelay(client, relay, key, 'wrong-code'), { name: 'JoinCodeRequiredError' })
    assert.equal(admission.value.mayCreate(id), false)
    // The mailbox service sees a store that refuses mailboxes not admitted, whatever the client does.
    const created: string[] = []
    const guarded = admission.value.guard({ createMailbox: async (r: { id: Uint8Array }) => { created.push(Buffer.from(r.id).toString('hex')); return true } } as unknown as MailboxStore)
    await assert.rejects(guarded.createMailbox({ id: mailboxIdOf(key), publicKey: key.publicKey.raw }, 10), { name: 'CapacityError' })
    await joinRelay(client, relay, key, code)
    assert.equal(admission.value.mayCreate(id), true)
    assert.equal(await guarded.createMailbox({ id: mailboxIdOf(key), publicKey: key.publicKey.raw }, 10), true)
    assert.deepEqual(created, [id])
    now += 11 * 60_000
    assert.equal(admission.value.mayCreate(id), false, 'an admission not used in time runs out')
  })
})
