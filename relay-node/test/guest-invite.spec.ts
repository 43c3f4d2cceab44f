// SPDX-License-Identifier: AGPL-3.0-only
/**
 * "Invite to Sotto" end to end: a real relay (child process), real messengers and the guest client
 * under Node. The seller invites a guest; the invitation reaches the guest's page; the buyer, now
 * with the app (a second messenger), adds the link and is a contact at once, the guest
 * conversation's history kept and the conversation closed. A used tag, and a tag no longer open
 * (replaced by a newer invitation), give an ordinary request.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GuestClient } from '../src/guest/client.js'
import { startRelay, until } from './helpers.js'
import { Fleet, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { GuestReply } from '@sotto/core/guest'
import type { Messenger } from '@sotto/core'

describe('invite a guest to Sotto', () => {
  const fleet = new Fleet()
  const guests: GuestClient[] = []
  let relay: RelayProcess
  let page: string
  let seller: Messenger

  const ready = async (m: Messenger): Promise<void> => {
    await m.addRelay(relay.tcp)
    await until(async () => (await m.relays()).some(r => r.mailboxReady && r.reserved), 'a reservation and a mailbox')
  }
  /** A guest who wrote once; the seller's conversation with them. */
  const guestWrites = async (label: string, text: string): Promise<{ guest: GuestClient, conversation: string }> => {
    const link = await seller.createGuestLink({ label, page })
    const guest = await GuestClient.open(link.link)
    guests.push(guest)
    const arrived = nextEvent(seller, 'message', m => m.guest === true && m.text === text, 30_000)
    await guest.send(text)
    return { guest, conversation: (await arrived).contactId }
  }
  /** The seller invites the guest; the invitation as the guest's page receives it. */
  const invite = async (guest: GuestClient, conversation: string): Promise<string> => {
    await seller.inviteGuest(conversation)
    let reply: GuestReply | undefined
    await until(async () => { reply = (await guest.replies()).find(r => r.invite != null); return reply != null }, 'the invitation at the guest')
    assert.ok(reply?.invite?.startsWith('sotto://') === true)
    return reply.invite as string
  }
  const buyer = async (name: string): Promise<Messenger> => {
    const m = await fleet.start(await fleet.dir(), name)
    await ready(m)
    return m
  }

  before(async () => {
    // Every app here dials from 127.0.0.1: the relay's rate of new connections per address is meant
    // for separate hosts (circuit-relay.spec.ts raises it for the same reason).
    relay = await startRelay({ args: ['--web', '127.0.0.1:0', '--inbound-connections-per-second', '1000'] })
    page = `${(await relay.waitFor(l => l.msg === 'web page listening')).url as string}g`
    seller = await fleet.start(await fleet.dir(), 'Seller')
    await ready(seller)
  })

  after(async () => {
    for (const g of guests) await g.close().catch(() => {})
    await fleet.cleanup()
    await relay?.stop()
  })

  it('the invited guest adds the link and is a contact at once; the guest conversation moves there, its history kept', async () => {
    const { guest, conversation } = await guestWrites('Bike', 'Is the bike still there?')
    await seller.send(conversation, 'Yes, come by at six')
    const link = await invite(guest, conversation)
    assert.ok(link.startsWith('sotto://s/'), 'a one-time short link at the seller\'s relay')
    assert.equal((await seller.guestConversations()).find(c => c.id === conversation)?.invited, true)
    const bob = await buyer('Bob')
    const requested = nextEvent(seller, 'request', c => c.displayName === 'Bob', 30_000)
    const accepted = nextEvent(seller, 'contact', c => c.displayName === 'Bob' && c.status === 'contact', 30_000)
    const sellerContact = await bob.addContact(link)
    const contact = await accepted
    assert.equal((await requested).status, 'request', 'the user sees who came')
    assert.equal(contact.fromGuest, conversation)
    assert.deepEqual(await seller.requests(), [], 'no accept step')
    const moved = (await seller.guestConversations()).find(c => c.id === conversation)
    assert.equal(moved?.movedTo, contact.id)
    assert.equal(moved?.invited, false, 'the invitation is used')
    assert.deepEqual((await seller.history(conversation)).slice(0, 2).map(m => [m.direction, m.text]),
      [['in', 'Is the bike still there?'], ['out', 'Yes, come by at six']], 'the guest conversation stays readable')
    await assert.rejects(seller.send(conversation, 'here?'), { name: 'InvalidInputError', message: /moved to a contact/ })
    // They talk as contacts: the seller's answer reaches Bob.
    const answered = nextEvent(bob, 'message', m => m.text === 'Welcome', 30_000)
    await seller.send(contact.id, 'Welcome')
    await answered
    assert.equal((await bob.contacts()).find(c => c.id === sellerContact.id)?.status, 'contact')
  })

  it('a used invitation gives an ordinary request', async () => {
    const { guest, conversation } = await guestWrites('Lamp', 'Lamp?')
    const link = await invite(guest, conversation)
    const first = nextEvent(seller, 'contact', c => c.displayName === 'Carol' && c.status === 'contact', 30_000)
    await (await buyer('Carol')).addContact(link)
    await first
    const again = nextEvent(seller, 'request', c => c.displayName === 'Dave', 30_000)
    await (await buyer('Dave')).addContact(link)
    assert.equal((await again).status, 'request')
    await until(async () => (await seller.requests()).some(c => c.displayName === 'Dave'), 'Dave waits as a request')
    assert.equal((await seller.contacts()).some(c => c.displayName === 'Dave'), false)
  })

  it('a tag that is no longer open (replaced by a newer invitation) gives an ordinary request; the newer one still works', async () => {
    const { guest, conversation } = await guestWrites('Sofa', 'Sofa?')
    const old = await invite(guest, conversation)
    const newer = await invite(guest, conversation)
    assert.notEqual(old, newer)
    const request = nextEvent(seller, 'request', c => c.displayName === 'Erin', 30_000)
    await (await buyer('Erin')).addContact(old)
    assert.equal((await request).status, 'request')
    await until(async () => (await seller.requests()).some(c => c.displayName === 'Erin'), 'Erin waits as a request')
    assert.equal((await seller.guestConversations()).find(c => c.id === conversation)?.movedTo, undefined, 'the invitation is still open')
    const frank = nextEvent(seller, 'contact', c => c.displayName === 'Frank' && c.status === 'contact', 30_000)
    await (await buyer('Frank')).addContact(newer)
    assert.equal((await frank).fromGuest, conversation)
  })
})

