// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Strangers at the real daemon. An introduction token is published in every invite card, so anyone
 * may deposit with it: an impostor once filled a 64 MiB mailbox that way and kept it full, and every
 * contact's deposit then got QUOTA. Introductions now have a small quota of their own per mailbox,
 * a shorter retention, a size limit, and rates per depositing peer and per source address.
 *
 * The new settings go in through the environment, which a relay without them ignores: run against
 * one, these tests fail on the property, not on a refused flag.
 */

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MAX_ENVELOPE_BYTES, createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { WITHOUT_INTRODUCTION_RATES, clientNode, discardRelays, startRelay } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { MailboxClient } from '@sotto/core/mailbox'

const DAY_MS = 86_400_000

async function outcome (p: Promise<unknown>): Promise<string> {
  return p.then(() => 'OK', (err: Error) => err.name)
}

interface Mailbox {
  key: PrivateKey
  id: Uint8Array
  contact: Uint8Array
  introduction: Uint8Array
}

describe('strangers with an introduction token', () => {
  const relays: RelayProcess[] = []
  const nodes: Libp2p[] = []
  const clients: MailboxClient[] = []

  async function client (relay: RelayProcess): Promise<MailboxClient> {
    const node = await clientNode()
    nodes.push(node)
    const c = createMailboxClient(node, relay.tcp)
    clients.push(c)
    return c
  }

  async function mailbox (owner: MailboxClient): Promise<Mailbox> {
    const key = await generateMailboxKey()
    const id = await owner.create(key)
    const contact = generateDepositToken()
    const introduction = generateDepositToken()
    await owner.registerToken(key, contact, 'contact')
    await owner.registerToken(key, introduction, 'introduction')
    return { key, id, contact, introduction }
  }

  after(async () => {
    for (const c of clients) await c.close()
    for (const n of nodes) await n.stop()
    await discardRelays(relays)
  })

  describe('with the default introduction quota and retention', () => {
    let relay: RelayProcess
    before(async () => {
      // Rates out of the way: what is tested here is the quota.
      relay = await startRelay(WITHOUT_INTRODUCTION_RATES)
      relays.push(relay)
    })

    it('lets an impostor fill only the introduction quota, and contacts still deposit', { timeout: 120_000 }, async () => {
      const owner = await client(relay)
      const impostor = await client(relay)
      const contact = await client(relay)
      const box = await mailbox(owner)
      const sent = Date.now()
      let accepted = 0
      let refusal = 'OK'
      // 4 KiB envelopes: the envelope count (64) is reached before the bytes (1 MiB); 200 tries
      // would store them all without the quota.
      for (let i = 0; i < 200 && refusal === 'OK'; i++) {
        refusal = await outcome(impostor.deposit(box.id, box.introduction, new Uint8Array(4096).fill(i)))
        if (refusal === 'OK') accepted++
      }
      assert.equal(refusal, 'QuotaExceededError', 'the impostor is refused with QUOTA')
      assert.equal(accepted, 64, 'after the introduction quota, 64 envelopes')
      assert.equal(await outcome(impostor.deposit(box.id, box.introduction, new Uint8Array(1024))), 'QuotaExceededError', 'and stays refused')
      for (let i = 0; i < 100; i++) await contact.deposit(box.id, box.contact, new Uint8Array(4096).fill(i))

      const page = await owner.read(box.key, { limit: 1000 })
      const intros = page.envelopes.filter(e => e.kind === 'introduction')
      assert.equal(intros.length, 64)
      assert.equal(page.envelopes.length, 164, 'every contact deposit was stored')
      assert.ok(intros.every(e => e.expiresAt <= Date.now() + 3 * DAY_MS), 'introductions are kept 3 days at most')
      const contacts = page.envelopes.filter(e => e.kind === 'contact')
      assert.ok(contacts.every(e => e.expiresAt >= sent + 14 * DAY_MS - 60_000), 'contact deposits keep the full retention')

      // The owner takes the introductions off; strangers may deposit again.
      await owner.ack(box.key, intros.map(e => e.id))
      assert.equal(await outcome(impostor.deposit(box.id, box.introduction, new Uint8Array(1024))), 'OK')
    })
  })

  describe('with low introduction rates', () => {
    let relay: RelayProcess
    before(async () => {
      relay = await startRelay({
        args: ['--introduction-burst', '100000', '--introduction-per-hour', '100000'],
        env: {
          SOTTO_RELAY_INTRODUCTION_PEER_BURST: '5',
          SOTTO_RELAY_INTRODUCTION_PEER_PER_HOUR: '0',
          SOTTO_RELAY_INTRODUCTION_IP_BURST: '8',
          SOTTO_RELAY_INTRODUCTION_IP_PER_HOUR: '0'
        }
      })
      relays.push(relay)
    })

    it('limits introductions per depositing peer across tokens, and per source address across peers', async () => {
      const owner = await client(relay)
      const [a, b, c] = [await mailbox(owner), await mailbox(owner), await mailbox(owner)]
      const first = await client(relay)
      const results: string[] = []
      for (const box of [a, a, a, b, b, b]) results.push(await outcome(first.deposit(box.id, box.introduction, new Uint8Array(1024))))
      assert.deepEqual(results, ['OK', 'OK', 'OK', 'OK', 'OK', 'RateLimitedError'], 'five per peer, whatever the mailbox')
      // A fresh peer id from the same address gets what is left of the address's eight.
      const second = await client(relay)
      const more: string[] = []
      for (let i = 0; i < 4; i++) more.push(await outcome(second.deposit(c.id, c.introduction, new Uint8Array(1024))))
      assert.deepEqual(more, ['OK', 'OK', 'OK', 'RateLimitedError'], 'eight per address, whatever the peer')
      // Contacts are not introductions: their tokens' own rates apply.
      assert.equal(await outcome(second.deposit(c.id, c.contact, new Uint8Array(1024))), 'OK')
    })
  })

  describe('with a size limit on introductions', () => {
    let relay: RelayProcess
    before(async () => {
      relay = await startRelay({ env: { SOTTO_RELAY_MAX_INTRODUCTION_ENVELOPE_BYTES: '16KiB' } })
      relays.push(relay)
    })

    it('refuses introductions over the size limit, not contacts\' envelopes', async () => {
      const owner = await client(relay)
      const box = await mailbox(owner)
      const stranger = await client(relay)
      assert.equal(await outcome(stranger.deposit(box.id, box.introduction, new Uint8Array(MAX_ENVELOPE_BYTES))), 'TooLargeError')
      assert.equal(await outcome(stranger.deposit(box.id, box.contact, new Uint8Array(MAX_ENVELOPE_BYTES))), 'OK')
    })
  })
})
