// SPDX-License-Identifier: AGPL-3.0-only
import { strict as assert } from 'node:assert'
import { afterEach, describe, it } from 'node:test'
import { TokenAnnouncer } from '../../src/messenger/token-announcer.js'
import { FakeOutbox, contactNamed, tempRepos } from './fakes.js'
import type { ContactRecord, IssuedToken, OutboxRecord, RelayRecord } from '../../src/messenger/records.js'
import type { ChangeControl, Repositories } from '../../src/messenger/state.js'
import type { Content } from '../../src/protocol/types.js'
import type { Transaction } from '../../src/storage/types.js'

const RELAY_A = '/ip4/10.0.0.1/tcp/1/p2p/relayA'
const RELAY_B = '/ip4/10.0.0.2/tcp/1/p2p/relayB'

function relay (addr: string, ready: boolean, id: number): RelayRecord {
  return { addr, peerId: addr.split('/').pop() as string, mailboxKey: new Uint8Array(), mailboxId: new Uint8Array(32).fill(id), introToken: new Uint8Array(32), ready, revoke: [], addedAt: 0 }
}

function token (relay: string, fill: number, registered = true, announced = false): IssuedToken {
  return { relay, token: new Uint8Array(32).fill(fill), registered, announced }
}

/** The relays a Tokens message of `call` names, with the first byte of each token. */
function named (content: Omit<Content, 'senderCard'>): string[] {
  return (content.tokens?.relays ?? []).map(r => `${r.addr}#${r.token[0] ?? -1}#${r.mailboxId[0] ?? -1}`)
}

describe('token announcer', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  async function setUp (contacts: ContactRecord[], relays = [relay(RELAY_A, true, 1), relay(RELAY_B, false, 2)], outbox = new FakeOutbox()): Promise<{ repos: Repositories, outbox: FakeOutbox, tokens: TokenAnnouncer }> {
    const { repos, close } = await tempRepos()
    cleanups.push(close)
    await repos.state.change(async tx => {
      for (const r of relays) repos.relays.put(tx, r)
      for (const c of contacts) repos.contacts.put(tx, c)
    })
    const tokens = new TokenAnnouncer({ repos, outbox, profile: { relays: [RELAY_A, RELAY_B] } })
    cleanups.push(async () => { await tokens.stop() })
    return { repos, outbox, tokens }
  }

  it('sends each contact its registered tokens at ready home relays, once', async () => {
    const bob = contactNamed('bob', { issued: [token(RELAY_A, 7), token(RELAY_B, 8)] })
    const { repos, outbox, tokens } = await setUp([bob])
    await tokens.announce()
    assert.equal(outbox.calls.length, 1)
    assert.equal(outbox.calls[0]?.durable, true, 'durable when announce resolves')
    assert.deepEqual(named(outbox.calls[0]?.content ?? {} as Content), [`${RELAY_A}#7#1`], 'not the token at a relay whose mailbox is not ready')
    const stored = await repos.contacts.require('bob')
    assert.deepEqual(stored.issued?.map(t => t.announced), [true, false])
    assert.equal(stored.nextOutbox, 1)
    await tokens.announce()
    assert.equal(outbox.calls.length, 1, 'nothing new, nothing sent')
  })

  it('leaves out unregistered tokens, and announces them once registered', async () => {
    const bob = contactNamed('bob', { issued: [token(RELAY_A, 7, false)] })
    const { repos, outbox, tokens } = await setUp([bob])
    await tokens.announce()
    assert.equal(outbox.calls.length, 0)
    await repos.contacts.update('bob', c => { (c.issued as IssuedToken[])[0]!.registered = true })
    await tokens.announce()
    assert.deepEqual(outbox.calls.map(c => named(c.content)), [[`${RELAY_A}#7#1`]])
  })

  it('sends nothing to requests, blocked contacts, or a contact whose identity key is in doubt', async () => {
    const issued = (): IssuedToken[] => [token(RELAY_A, 7)]
    const { outbox, tokens } = await setUp([
      contactNamed('req', { status: 'request', issued: issued() }),
      contactNamed('eve', { blocked: true, issued: issued(), tokensDirty: true }),
      contactNamed('doubt', { pendingIdentityKey: new Uint8Array(33).fill(2), issued: issued() }),
      contactNamed('bob', { issued: issued() })
    ])
    await tokens.announce()
    assert.deepEqual(outbox.calls.map(c => c.contactId), ['bob'])
  })

  it('sends the whole list again when it is marked dirty, even an empty one', async () => {
    const { repos, outbox, tokens } = await setUp([
      contactNamed('bob', { issued: [token(RELAY_A, 7, true, true)], tokensDirty: true }),
      contactNamed('carol', { issued: [], tokensDirty: true })
    ])
    await tokens.announce()
    assert.deepEqual(outbox.calls.map(c => [c.contactId, named(c.content)]).sort(), [['bob', [`${RELAY_A}#7#1`]], ['carol', []]])
    assert.equal((await repos.contacts.require('bob')).tokensDirty, false)
    assert.equal((await repos.contacts.require('carol')).tokensDirty, false)
  })

  it('runs again when called while it runs, one run at a time, seeing what changed meanwhile', async () => {
    let running = 0
    let most = 0
    let open!: () => void
    const gate = new Promise<void>(resolve => { open = resolve })
    const fake = new FakeOutbox()
    const outbox = {
      calls: fake.calls,
      async add (tx: Transaction, control: ChangeControl, c: ContactRecord, content: Omit<Content, 'senderCard'>): Promise<OutboxRecord> {
        most = Math.max(most, ++running)
        await gate
        running--
        return fake.add(tx, control, c, content)
      }
    } as unknown as FakeOutbox
    const { repos, tokens } = await setUp([contactNamed('bob', { issued: [token(RELAY_A, 7)] })], undefined, outbox)
    const first = tokens.announce()
    // The run holds the lock in the outbox: this change lands after it, and only a run again sees it.
    const changed = repos.contacts.update('bob', c => { c.issued = [token(RELAY_A, 9)] })
    const second = tokens.announce()
    open()
    await Promise.all([first, second, changed])
    assert.equal(most, 1, 'two runs at once')
    assert.deepEqual(fake.calls.map(c => named(c.content)), [[`${RELAY_A}#7#1`], [`${RELAY_A}#9#1`]])
  })

  it('lets a run in progress finish on stop, and runs no more after it', async () => {
    let open!: () => void
    const gate = new Promise<void>(resolve => { open = resolve })
    const fake = new FakeOutbox()
    const outbox = {
      async add (tx: Transaction, control: ChangeControl, c: ContactRecord, content: Omit<Content, 'senderCard'>): Promise<OutboxRecord> {
        await gate
        return fake.add(tx, control, c, content)
      }
    } as unknown as FakeOutbox
    const { repos, tokens } = await setUp([contactNamed('bob', { issued: [token(RELAY_A, 7)] })], undefined, outbox)
    const first = tokens.announce()
    const changed = repos.contacts.update('bob', c => { c.tokensDirty = true })
    void tokens.announce()
    const stopped = tokens.stop()
    open()
    await Promise.all([first, stopped, changed])
    assert.equal(fake.calls.length, 1, 'no run again after stop')
    assert.equal(fake.calls[0]?.durable, true)
  })
})
