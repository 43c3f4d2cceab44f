// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Guest links end to end: a real relay (child process), real messengers, and the guest client the
 * guest page runs, here under Node over WebSockets. A guest writes to an online seller (live,
 * through a circuit) and to an offline one (the link's mailbox); the seller's reply reaches a guest
 * who left and came back by the resume link; the seller's limits, a block, the relay's flood limit
 * and a revoked link are refused with clear errors; the relay keeps no guest text.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GuestClient } from '../src/guest/client.js'
import { readTree, startRelay, until } from './helpers.js'
import { Fleet, nextEvent } from './messengers.js'
import { SottoRun, sotto } from './sotto-cli.js'
import type { RelayProcess } from './helpers.js'
import type { Messenger, MessengerEvents } from '@sotto/core'

describe('guest links', () => {
  const fleet = new Fleet()
  const guests: GuestClient[] = []
  const texts: string[] = []
  let relay: RelayProcess
  let page: string
  let sellerDir: string
  let seller: Messenger

  const startSeller = async (): Promise<Messenger> => {
    seller = await fleet.start(sellerDir, 'Seller')
    await until(async () => (await seller.relays()).some(r => r.mailboxReady && r.reserved), 'the seller\'s reservation and mailbox')
    return seller
  }
  const openGuest = async (link: string): Promise<GuestClient> => {
    const g = await GuestClient.open(link)
    guests.push(g)
    return g
  }
  const text = (t: string): string => { texts.push(t); return t }
  const guestMessage = async (match: (m: MessengerEvents['message']) => boolean): Promise<MessengerEvents['message']> =>
    nextEvent(seller, 'message', m => m.guest === true && match(m), 30_000)

  before(async () => {
    relay = await startRelay({ args: ['--web', '127.0.0.1:0', '--log-level', 'debug'] })
    page = `${(await relay.waitFor(l => l.msg === 'web page listening')).url as string}g`
    sellerDir = await fleet.dir()
    seller = await fleet.start(sellerDir, 'Seller')
    await seller.addRelay(relay.tcp)
    await until(async () => (await seller.relays()).some(r => r.mailboxReady && r.reserved), 'the seller\'s reservation and mailbox')
  })

  after(async () => {
    for (const g of guests) await g.close().catch(() => {})
    await fleet.cleanup()
    await relay?.stop()
  })

  it('a guest writes live to an online seller, who replies; the conversation is apart from contacts', async () => {
    const link = await seller.createGuestLink({ label: 'Bike for sale', page })
    assert.ok(link.link.startsWith(`${page}#`), 'the link opens the relay\'s guest page')
    assert.ok(!link.link.slice(0, link.link.indexOf('#')).includes(seller.identity().peerId), 'the seller is named in the fragment only')
    const guest = await openGuest(link.link)
    const arrived = guestMessage(m => m.text === 'Is the bike still there?')
    const sent = await guest.send(text('Is the bike still there?'))
    assert.equal(sent.path, 'live')
    const m = await arrived
    assert.equal(m.guest, true)
    assert.deepEqual(await seller.contacts(), [], 'a guest is no contact')
    const [conversation] = await seller.guestConversations()
    assert.equal(conversation?.id, m.contactId)
    assert.equal(conversation?.label, 'Bike for sale')
    assert.match(conversation?.notice ?? '', /no forward secrecy.*relay sees the guest's IP/)
    const replies: string[] = []
    const replied = new Promise<void>(resolve => { void guest.watch(r => { replies.push(r.text); resolve() }) })
    await seller.send(m.contactId, text('Yes, come by at six'))
    await replied
    assert.deepEqual(replies, ['Yes, come by at six'])
    assert.deepEqual((await seller.history(m.contactId)).map(h => [h.direction, h.text]), [['in', 'Is the bike still there?'], ['out', 'Yes, come by at six']])
    assert.equal((await seller.guestConversations())[0]?.unread, 1)
    await seller.markRead(m.contactId)
    assert.equal((await seller.guestConversations())[0]?.unread, 0)
  })

  it('a guest writes to an offline seller through the relay, and reads the reply after coming back by the resume link', async () => {
    const link = await seller.createGuestLink({ label: 'Sofa', page })
    await fleet.stop(seller)
    const guest = await openGuest(link.link)
    const sent = await guest.send(text('Does the sofa fit in a van?'))
    assert.equal(sent.path, 'mailbox')
    const resume = guest.resumeLink()
    await guest.close()
    await startSeller()
    await until(async () => (await seller.guestConversations()).some(c => c.label === 'Sofa'), 'the offline message')
    const conversation = (await seller.guestConversations()).find(c => c.label === 'Sofa')
    const [m] = await seller.history(conversation?.id ?? '')
    assert.ok(m != null && m.guest === true)
    assert.equal(m.text, 'Does the sofa fit in a van?')
    await seller.send(m.contactId, text('It does, just'))
    const back = await openGuest(resume)
    const replies: string[] = []
    await until(async () => { const r = await back.replies(); if (r.length > 0) replies.push(...r.map(x => x.text)); return replies.length > 0 }, 'the reply')
    assert.deepEqual(replies, ['It does, just'])
  })

  it('refuses a guest over the link\'s messages per hour, a blocked guest, and a guest over its conversations, with clear errors', async () => {
    const link = await seller.createGuestLink({ label: 'Lamp', page, messagesPerHour: 2 })
    const guest = await openGuest(link.link)
    const first = guestMessage(m => m.text === 'one')
    assert.equal((await guest.send('one')).path, 'live')
    assert.equal((await guest.send('two')).path, 'live')
    await assert.rejects(guest.send('three'), { name: 'RateLimitedError', message: /too many messages this hour/ })
    await seller.blockGuest((await first).contactId)
    const other = await seller.createGuestLink({ label: 'Lamp 2', page })
    const g2 = await openGuest(other.link)
    const m = guestMessage(x => x.text === 'hello')
    await g2.send('hello')
    await seller.blockGuest((await m).contactId)
    await assert.rejects(g2.send('hello again'), { name: 'GuestBlockedError' })
    const small = await seller.createGuestLink({ label: 'One at a time', page, maxConversations: 1 })
    assert.equal((await (await openGuest(small.link)).send('first guest')).path, 'live')
    await assert.rejects((await openGuest(small.link)).send('second guest'), { name: 'RateLimitedError', message: /as many conversations as it may/ })
  })

  it('the relay refuses a flood from a guest while the seller is offline', async () => {
    const link = await seller.createGuestLink({ label: 'Flood', page })
    await fleet.stop(seller)
    const guest = await openGuest(link.link)
    let accepted = 0
    let refused: Error | undefined
    for (let i = 0; i < 20 && refused == null; i++) {
      try {
        await guest.send(`flood ${i}`)
        accepted++
      } catch (err) {
        refused = err as Error
      }
    }
    assert.equal(refused?.name, 'RateLimitedError', 'the relay says the guest writes too often')
    assert.ok(accepted >= 1 && accepted < 20, `${accepted} accepted before the refusal`)
    await startSeller()
  })

  it('a revoked link is refused live and at the relay', async () => {
    const link = await seller.createGuestLink({ label: 'Gone', page })
    const guest = await openGuest(link.link)
    await guest.send('before')
    await seller.revokeGuestLink(link.id)
    assert.equal((await seller.guestLinks()).find(l => l.id === link.id)?.revoked, true)
    await assert.rejects(guest.send('after'), { name: 'GuestLinkRevokedError' })
    await fleet.stop(seller)
    await assert.rejects(guest.send('after, offline'), { name: 'GuestLinkRevokedError' })
    await startSeller()
  })

  it('the CLI: guest-link prints the link, run prints guest messages, send answers a guest', async () => {
    const dir = await fleet.dir()
    const local = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']
    await sotto(['--data', dir, 'init', '--name', 'Shop', '--relay', relay.tcp, ...local], 'shop passphrase')
    // No --page: the home relay's own page, from the web address it publishes.
    const [made] = await sotto(['--data', dir, 'guest-link', '--label', 'Shop', ...local], 'shop passphrase')
    assert.ok(typeof made?.link === 'string' && made.link.startsWith(`${page}#`))
    const run = await SottoRun.start(dir, 'shop passphrase', {}, local)
    try {
      await run.next(e => e.event === 'relay' && e.reserved === true)
      const guest = await openGuest(made.link as string)
      const replied = new Promise<string>(resolve => { void guest.watch(r => { resolve(r.text) }) })
      await guest.send(text('Open on Sunday?'))
      const event = await run.next(e => e.event === 'message' && e.text === 'Open on Sunday?')
      assert.equal(event.guest, true)
      assert.match(event.from as string, /^guest-/)
      const sent = await run.command({ cmd: 'send', to: event.from, text: text('Closed on Sundays') }) as { state: string }
      assert.equal(sent.state, 'sent')
      assert.equal(await replied, 'Closed on Sundays')
    } finally {
      await run.stop()
    }
  })

  it('takes the page its home relay publishes; names the error when no home relay serves one', async () => {
    assert.equal((await seller.relays())[0]?.info?.webUrl, new URL(page).origin)
    const link = await seller.createGuestLink({ label: 'Default page' })
    assert.ok(link.link.startsWith(`${page}#`), 'the relay\'s guest page, from relay-info')
    const bare = await startRelay()
    try {
      const other = await fleet.start(await fleet.dir(), 'No page')
      await other.addRelay(bare.tcp)
      await until(async () => (await other.relays()).some(r => r.mailboxReady), 'a home relay without a web page')
      await assert.rejects(other.createGuestLink({ label: 'None' }), { name: 'NoGuestPageError', message: /--page/ })
      const named = await other.createGuestLink({ label: 'Named', page: 'https://shop.example.org/g' })
      assert.ok(named.link.startsWith('https://shop.example.org/g#'), 'a page given is used as it is')
    } finally {
      await bare.stop()
    }
  })

  it('serves the guest page under a strict CSP, with nothing from elsewhere', async () => {
    const res = await fetch(page)
    assert.equal(res.status, 200)
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /default-src 'none'/)
    assert.match(csp, /script-src 'self'/)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
    const html = await res.text()
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'no third-party resource')
    assert.match(html, /<label for="text">/)
    const script = await fetch(new URL('/g/guest.js', page))
    assert.equal(script.status, 200)
    assert.match(script.headers.get('content-type') ?? '', /javascript/)
    assert.equal(script.headers.get('content-encoding'), 'gzip', 'sent compressed to a client that accepts it')
    assert.ok((await script.text()).includes('sotto-guest/1'), 'and it decompresses to the guest script')
  })

  it('leaves no guest text in the relay\'s files or logs', async () => {
    const files = await readTree(relay.dataDir)
    const output = relay.output()
    for (const t of texts) {
      const needle = Buffer.from(t)
      assert.ok(!files.some(f => f.bytes.includes(needle)), `"${t}" is in no file of the relay`)
      assert.ok(!output.includes(t), `"${t}" is not in the relay's log`)
    }
    assert.ok(texts.length >= 4)
  })
})
