// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Messages that wait at `sotto-relay` while their session moves on: Bob is away, Alice's texts
 * wait in his mailbox, the relay goes down, and Alice and Bob chat directly long enough for the
 * Double Ratchet to drop the receiving chain those texts were sealed on (libsignal keeps five).
 * When the relay returns they no longer decrypt; Bob asks Alice to seal them again, and they
 * arrive, once each, in order. (Found by the crash-consistency scenario of `reliability`.)
 * The same for Bob's delivery receipts of such texts, waiting in Alice's mailbox: without them
 * the texts would show `sent` for ever; for a change of the disappearing timer, which would
 * leave the two sides with different timers; for a token list, without which Bob could not
 * use Alice's new relay; and for an edit, a reaction and a delete, sealed as they are then.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, describe, it } from 'node:test'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { ASKED_AGAIN, Fleet, collectEvents, countLogged, introduce, nextEvent } from './messengers.js'
import type { RelayProcess } from './helpers.js'
import type { Message, Messenger } from '@sotto/core'

/** A TCP port free on 127.0.0.1 now: the relay restarts on it, at the address the messengers know. */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
  const address = server.address()
  await new Promise<void>(resolve => { server.close(() => { resolve() }) })
  if (address == null || typeof address === 'string') throw new Error('no port')
  return address.port
}

const HELD = 20
/** Round trips while the relay is down; each turns the ratchet on both sides. */
const ROUND_TRIPS = 8

/** Alice and Bob, introduced through a relay on a port of its own (it restarts there). */
interface Pair {
  relay: RelayProcess
  listen: string[]
  alice: Messenger
  bob: Messenger
  aliceDir: string
  bobDir: string
  /** Each one's own address: kept across restarts, so that the other reaches it directly. */
  aliceAt: { listen: string[] }
  bobAt: { listen: string[] }
  bobAtAlice: string
  aliceAtBob: string
}

const fleet = new Fleet()
const relays: RelayProcess[] = []

after(async () => {
  await fleet.cleanup()
  for (const r of relays) {
    if (r.proc.exitCode == null) await r.kill9()
    await removeDir(r.dataDir)
  }
})

async function pair (): Promise<Pair> {
  const port = await freePort()
  const listen = ['--listen', `/ip4/127.0.0.1/tcp/${port}`]
  const relay = await startRelay({ args: listen })
  relays.push(relay)
  const relayAddr = `/ip4/127.0.0.1/tcp/${port}/p2p/${relay.peerId}`
  const aliceDir = await fleet.dir()
  const bobDir = await fleet.dir()
  const aliceAt = { listen: [`/ip4/127.0.0.1/tcp/${await freePort()}`] }
  const bobAt = { listen: [`/ip4/127.0.0.1/tcp/${await freePort()}`] }
  const alice = await fleet.start(aliceDir, 'Alice', { relays: [relayAddr], ...aliceAt })
  const bob = await fleet.start(bobDir, 'Bob', { relays: [relayAddr], ...bobAt })
  return { relay, listen, alice, bob, aliceDir, bobDir, aliceAt, bobAt, ...await introduce(alice, bob) }
}

/** Bob is away (stopped): Alice's texts wait in his mailbox. Resolves with their ids. */
async function holdTexts (p: Pair): Promise<string[]> {
  await fleet.stop(p.bob)
  const sent = collectEvents(p.alice, 'status', HELD, s => s.state === 'sent' && s.contactId === p.bobAtAlice)
  const held: string[] = []
  for (let i = 0; i < HELD; i++) held.push((await p.alice.send(p.bobAtAlice, `held ${i}`)).id)
  await sent
  return held
}

/** With the relay down, Alice and Bob chat directly, turning the ratchet on both sides. */
async function chatDirectly (p: Pair): Promise<void> {
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const atAlice = nextEvent(p.alice, 'message', m => m.text === `bob ${i}`)
    await p.bob.send(p.aliceAtBob, `bob ${i}`)
    await atAlice
    const atBob = nextEvent(p.bob, 'message', m => m.text === `alice ${i}`)
    await p.alice.send(p.bobAtAlice, `alice ${i}`)
    await atBob
  }
}

/** The states of Alice's messages `ids`, in order. */
async function statesAtAlice (p: Pair, ids: string[]): Promise<string[]> {
  return (await p.alice.history(p.bobAtAlice)).filter(m => ids.includes(m.id)).map(m => m.state)
}

describe('sotto-relay: texts, receipts and timer changes that waited while the session moved on', () => {
  it('are sealed again at the recipient\'s request and arrive once each, in order', { timeout: 120_000 }, async () => {
    const p = await pair()
    const held = await holdTexts(p)

    // The relay goes down with them; Bob returns and they chat directly, turning the ratchet.
    await p.relay.stop()
    p.bob = await fleet.start(p.bobDir, 'Bob', p.bobAt)
    const shownAtBob: string[] = []
    p.bob.on('message', m => { shownAtBob.push(m.text) })
    await chatDirectly(p)

    // The relay returns: the held envelopes do not decrypt any more, and are sealed again.
    const delivered = collectEvents(p.alice, 'status', HELD, s => s.state === 'delivered' && held.includes(s.id), 60_000)
    const arrived = collectEvents(p.bob, 'message', HELD, m => m.text.startsWith('held '), 60_000)
    relays.push(await startRelay({ dataDir: p.relay.dataDir, args: p.listen }))
    await arrived
    await delivered

    const expected = Array.from({ length: HELD }, (_, i) => `held ${i}`)
    assert.deepEqual(shownAtBob.filter(t => t.startsWith('held ')).sort(), [...expected].sort(), 'each held text shown once')
    const history = (await p.bob.history(p.aliceAtBob)).filter(m => m.direction === 'in').map(m => m.text)
    assert.deepEqual(history.filter(t => t.startsWith('held ')), expected, 'in the order Alice wrote them')
    assert.equal(new Set(history).size, history.length, 'nothing stored twice')
    assert.deepEqual(await statesAtAlice(p, held), Array(HELD).fill('delivered'))
  })

  it('seals delivery receipts again at the sender\'s request, so the texts show delivered', { timeout: 120_000 }, async () => {
    const p = await pair()
    const held = await holdTexts(p)
    // Now Alice is away: Bob reads the texts, and his receipts wait in her mailbox.
    await fleet.stop(p.alice)
    const deposits = async (): Promise<number> => metric(p.relay, /^sotto_relay_mailbox_requests_total\{op="deposit",status="OK"\} (\d+)/m)
    const before = await deposits()
    const bob = p.bob = await fleet.start(p.bobDir, 'Bob', p.bobAt)
    await until(async () => (await bob.history(p.aliceAtBob)).filter(m => m.text.startsWith('held ')).length === HELD, 'the held texts at Bob', 60_000)
    await until(async () => await deposits() > before && await metric(p.relay, /^sotto_relay_envelopes (\d+)/m) > 0, 'Bob\'s receipts deposited in Alice\'s mailbox', 60_000)

    // The relay goes down with them; Alice returns and they chat directly, turning the ratchet.
    await p.relay.stop()
    p.alice = await fleet.start(p.aliceDir, 'Alice', p.aliceAt)
    await chatDirectly(p)
    // Bob may have flushed his receipts in more than one go, and one that was not deposited yet
    // when the relay stopped went directly: the rest wait at the relay.
    const states = await statesAtAlice(p, held)
    const waiting = held.filter((_, i) => states[i] === 'sent')
    assert.ok(waiting.length > 0, 'some receipts are still at the relay')
    assert.ok(states.every(s => s === 'sent' || s === 'delivered'), states.join(', '))

    // The relay returns: the receipts no longer decrypt; Alice asks for them again.
    const delivered = collectEvents(p.alice, 'status', waiting.length, s => s.state === 'delivered' && waiting.includes(s.id), 60_000)
    relays.push(await startRelay({ dataDir: p.relay.dataDir, args: p.listen }))
    await delivered
    assert.deepEqual(await statesAtAlice(p, held), Array(HELD).fill('delivered'))
  })

  it('seals a disappearing-timer change again, with the timer as it is, so both sides agree', { timeout: 120_000 }, async () => {
    const p = await pair()
    // Bob is away: Alice turns disappearing messages on, then writes. Both wait in his mailbox
    // (her outbox keeps their order: the text is deposited after the change).
    await fleet.stop(p.bob)
    await p.alice.setDisappearing(p.bobAtAlice, 3600)
    const text = await p.alice.send(p.bobAtAlice, 'after the timer')
    await p.alice.waitForState(text.id, ['sent'], 30_000)

    // The relay goes down with them; Bob returns and they chat directly, turning the ratchet.
    await p.relay.stop()
    p.bob = await fleet.start(p.bobDir, 'Bob', p.bobAt)
    await chatDirectly(p)
    assert.equal((await p.bob.contact(p.aliceAtBob)).disappearingSeconds, 0, 'the change is still at the relay')

    // The relay returns: the change no longer decrypts; Bob asks for it again, and gets it.
    const arrived = nextEvent(p.bob, 'message', m => m.text === 'after the timer', 60_000)
    relays.push(await startRelay({ dataDir: p.relay.dataDir, args: p.listen }))
    await arrived
    await until(async () => (await p.bob.contact(p.aliceAtBob)).disappearingSeconds === 3600, 'the timer at Bob', 60_000)
    assert.equal((await p.alice.contact(p.bobAtAlice)).disappearingSeconds, 3600)
  })
})

describe('sotto-relay: token lists and conversation actions that waited while the session moved on', () => {
  it('answers a request for a token list with the current one', { timeout: 120_000 }, async () => {
    const p = await pair()
    assert.equal((await p.bob.contact(p.aliceAtBob)).mailboxes, 1)
    // Bob is away: Alice adds a second relay, and her new token list waits in his mailbox.
    await fleet.stop(p.bob)
    const second = await startRelay()
    relays.push(second)
    const deposits = async (): Promise<number> => metric(p.relay, /^sotto_relay_mailbox_requests_total\{op="deposit",status="OK"\} (\d+)/m)
    const before = await deposits()
    await p.alice.addRelay(second.tcp)
    await until(async () => await deposits() > before, 'the token list deposited in Bob\'s mailbox', 60_000)

    // The relay goes down with it; Bob returns and they chat directly, turning the ratchet. (A
    // later list, made once the second relay took its tokens, may still be on its way: it goes
    // directly then, and the one at the relay is asked for again all the same.)
    await p.relay.stop()
    const asked = countLogged(ASKED_AGAIN)
    p.bob = await fleet.start(p.bobDir, 'Bob', { ...p.bobAt, logger: asked.logger })
    await chatDirectly(p)

    // The relay returns: the list no longer decrypts; Bob asks for it again, and gets the current one.
    relays.push(await startRelay({ dataDir: p.relay.dataDir, args: p.listen }))
    await until(async () => asked.count() > 0 && (await p.bob.contact(p.aliceAtBob)).mailboxes === 2, 'the list asked for again, and both of Alice\'s relays at Bob', 60_000)
  })

  it('seals an edit, a reaction and a delete again, as they are now', { timeout: 120_000 }, async () => {
    const p = await pair()
    const plan = nextEvent(p.bob, 'message', m => m.text === 'see you at 8')
    const text = await p.alice.send(p.bobAtAlice, 'see you at 8')
    await plan
    const typo = nextEvent(p.bob, 'message', m => m.text === 'a typo')
    const regret = await p.alice.send(p.bobAtAlice, 'a typo')
    await typo
    const answer = nextEvent(p.alice, 'message', m => m.text === 'great')
    const bobs = await p.bob.send(p.aliceAtBob, 'great')
    await answer
    // Bob is away: Alice's edit, reaction and delete wait in his mailbox, then a text after them.
    await fleet.stop(p.bob)
    await p.alice.edit(text.id, 'see you at 9')
    await p.alice.react(bobs.id, '👍')
    await p.alice.deleteMessage(regret.id, { everyone: true })
    const marker = await p.alice.send(p.bobAtAlice, 'after the changes')
    await p.alice.waitForState(marker.id, ['sent'], 30_000)

    // The relay goes down with them; Bob returns and they chat directly, turning the ratchet.
    await p.relay.stop()
    p.bob = await fleet.start(p.bobDir, 'Bob', p.bobAt)
    await chatDirectly(p)
    const atBob = async (id: string): Promise<Message | undefined> => (await p.bob.history(p.aliceAtBob)).find(m => m.id === id)
    assert.equal((await atBob(text.id))?.text, 'see you at 8', 'the edit is still at the relay')

    // The relay returns: none of them decrypts; Bob asks for them again, and they apply.
    relays.push(await startRelay({ dataDir: p.relay.dataDir, args: p.listen }))
    await until(async () => (await atBob(marker.id)) != null, 'the text after the changes at Bob', 60_000)
    await until(async () => (await atBob(text.id))?.text === 'see you at 9', 'the edit at Bob', 60_000)
    await until(async () => (await atBob(regret.id))?.deleted === true, 'the delete at Bob', 60_000)
    await until(async () => (await atBob(bobs.id))?.reactions?.[0]?.emoji === '👍', 'the reaction at Bob', 60_000)
  })
})
