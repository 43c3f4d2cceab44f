// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Short invite links through a real relay process: adding a contact by one (and by its QR code),
 * "New link" revoking the old one, and the relay's files holding none of the card's fields.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { peerIdFromString } from '@libp2p/peer-id'
import { decodeInviteLink, decodeShortLink, encodeShortLink, newLinkSecrets, qrVersion, readQrPng, writeQrPng } from '@sotto/core/links'
import { readTree, startRelay } from './helpers.js'
import { Fleet, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import { previewInvite } from '@sotto/core'
import type { Messenger } from '@sotto/core'

const ZBARIMG = ['/usr/bin/zbarimg', '/usr/local/bin/zbarimg'].find(p => existsSync(p))

describe('short invite links through a relay', () => {
  const fleet = new Fleet()
  let relay: RelayProcess
  let alice: Messenger
  let short: string

  before(async () => {
    relay = await startRelay()
    alice = await fleet.start(await fleet.dir(), 'Alice Liddell', { relays: [relay.tcp] })
    const link = await alice.shortInvite()
    assert.ok(link != null, 'a messenger with a ready home relay has a short link')
    short = link
  })

  after(async () => {
    await fleet.cleanup()
    await relay?.stop()
  })

  it('is at most 200 characters and its QR code (version 10 or lower) reads back', async () => {
    assert.ok(short.length <= 200, `${short.length} characters`)
    assert.equal(decodeShortLink(short).relay, relay.tcp)
    const version = qrVersion(short)
    assert.ok(version <= 10, `QR version ${version}`)
    const file = join(await fleet.dir(), 'invite.png')
    assert.equal(await writeQrPng(short, file), version)
    assert.equal(await readQrPng(file), short)
    if (ZBARIMG != null) {
      const { stdout } = await promisify(execFile)(ZBARIMG, ['--quiet', '--raw', file])
      assert.equal(stdout.trim(), short, 'an independent reader decodes the same link')
    }
    process.stdout.write(`# short link: ${short.length} characters, QR version ${version}\n`)
  })

  it('is read before adding: the owner\'s name and relays, the same as the long link\'s', async () => {
    const preview = await previewInvite(short)
    assert.equal(preview.name, 'Alice Liddell')
    assert.equal(preview.userId, alice.identity().userId)
    assert.deepEqual(preview.relays, [relay.tcp])
    const [card, own] = [decodeInviteLink(preview.invite), decodeInviteLink(await alice.invite())]
    assert.deepEqual(card.bundle.identityKey, own.bundle.identityKey, 'the card is Alice\'s, signed by her identity key')
    assert.deepEqual(await alice.requests(), [], 'reading an invite sends nothing to its owner')
  })

  it('adds its owner: the adder reads the card from the relay, the owner gets the request', async () => {
    const bob = await fleet.start(await fleet.dir(), 'Bob')
    const request = nextEvent(alice, 'request')
    const added = await bob.addContact(short)
    assert.equal(added.id, alice.identity().userId)
    assert.equal(added.displayName, 'Alice Liddell')
    assert.equal((await request).id, bob.identity().userId)
  })

  it('leaves none of the card\'s fields in the relay\'s files', async () => {
    const card = decodeInviteLink(await alice.invite())
    const bytes = Buffer.concat((await readTree(relay.dataDir)).map(f => f.bytes))
    const linkId = Buffer.from(decodeShortLink(short).linkId).toString('hex')
    // The files read are the relay's link database: the link's id is there.
    assert.ok(bytes.includes(Buffer.from(linkId)), 'the link is stored in the files read')
    const fields: Array<[string, Uint8Array]> = [
      ['name', Buffer.from('Alice Liddell')],
      ['PeerId', Buffer.from(card.peerId)],
      ['PeerId bytes', peerIdFromString(card.peerId).toMultihash().bytes],
      ['identity key', card.bundle.identityKey],
      ['identity key (base64)', Buffer.from(Buffer.from(card.bundle.identityKey).toString('base64'))],
      ['user id', Buffer.from(card.userId)],
      ['Kyber prekey', card.bundle.kyberPreKey.subarray(0, 32)]
    ]
    for (const [what, field] of fields) assert.ok(!bytes.includes(Buffer.from(field)), `the relay's files hold the card's ${what}`)
  })

  it('"New link" revokes the old one: adding by it fails with InviteLinkRevokedError', async () => {
    const fresh = await alice.newShortInvite()
    assert.ok(fresh != null && fresh !== short && fresh.length <= 200)
    const carol = await fleet.start(await fleet.dir(), 'Carol')
    await assert.rejects(carol.addContact(short), { name: 'InviteLinkRevokedError' })
    assert.deepEqual(await carol.contacts(), [])
    assert.equal((await carol.addContact(fresh)).id, alice.identity().userId)
  })

  it('an unknown link fails with InviteLinkExpiredError, a wrong key with InvalidInputError', async () => {
    const dave = await fleet.start(await fleet.dir(), 'Dave')
    await assert.rejects(dave.addContact(encodeShortLink({ relay: relay.tcp, ...newLinkSecrets() })), { name: 'InviteLinkExpiredError' })
    const current = await alice.shortInvite()
    const wrongKey = encodeShortLink({ ...decodeShortLink(current!), key: newLinkSecrets().key })
    await assert.rejects(dave.addContact(wrongKey), { name: 'InvalidInputError', message: /does not decrypt/ })
    assert.deepEqual(await dave.contacts(), [])
  })
})
