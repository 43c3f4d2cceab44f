// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What a relay keeps, and for how long, against the real daemon: mailboxes whose owner has gone
 * expire (the owner's last activity survives restarts), token registration has a rate, and tokens
 * have a relay-wide cap. Before, mailboxes never expired and tokens sat in an unbounded map.
 *
 * The new settings go in through the environment, which a relay without them ignores: run against
 * one, these tests fail on the property, not on a refused flag.
 */

import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createMailboxClient, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { clientNode, removeDir, startRelay, tempDir } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p } from '@libp2p/interface'
import type { MailboxClient } from '@sotto/core/mailbox'

const MINUTE_MS = 60_000

async function outcome (p: Promise<unknown>): Promise<string> {
  return p.then(() => 'OK', (err: Error) => err.name)
}

describe('mailbox lifetime and token limits', () => {
  const relays: RelayProcess[] = []
  const dirs: string[] = []

  after(async () => {
    for (const r of relays) if (r.proc.exitCode == null) await r.kill9()
    for (const d of [...dirs, ...relays.map(r => r.dataDir)]) await removeDir(d)
  })

  /** Runs `fn` with a relay on `dataDir` whose clock is `offsetMs` ahead, then stops it cleanly. */
  async function withRelay<T> (dataDir: string, offsetMs: number, env: Record<string, string>, fn: (client: MailboxClient, relay: RelayProcess) => Promise<T>): Promise<T> {
    const relay = await startRelay({ dataDir, args: ['--clock-offset', String(offsetMs)], env })
    relays.push(relay)
    let node: Libp2p | undefined
    let client: MailboxClient | undefined
    try {
      node = await clientNode()
      client = createMailboxClient(node, relay.tcp)
      return await fn(client, relay)
    } finally {
      await client?.close()
      await node?.stop()
      const { code } = await relay.stop()
      assert.equal(code, 0)
    }
  }

  it('deletes a mailbox whose owner has been away longer than the expiry, counting across restarts', { timeout: 120_000 }, async () => {
    const dataDir = await tempDir()
    dirs.push(dataDir)
    const env = { SOTTO_RELAY_MAILBOX_EXPIRY: '1h' }
    const [kept, left] = [await generateMailboxKey(), await generateMailboxKey()]
    const token = generateDepositToken()
    const leftId = await withRelay(dataDir, 0, env, async (client) => {
      await client.create(kept)
      const id = await client.create(left)
      await client.registerToken(left, token, 'contact')
      await client.deposit(id, token, new Uint8Array(100))
      return id
    })
    // 40 minutes later: the owner of one mailbox reads it; nobody touches the other.
    await withRelay(dataDir, 40 * MINUTE_MS, env, async (client) => {
      assert.equal((await client.read(kept)).envelopes.length, 0)
    })
    // 70 minutes after creation: one has been idle 70 minutes, the other 30.
    await withRelay(dataDir, 70 * MINUTE_MS, env, async (client, relay) => {
      assert.equal(await outcome(client.read(kept)), 'OK', 'the mailbox its owner used is kept')
      assert.equal(await outcome(client.read(left)), 'UnauthorizedError', 'the idle one is gone')
      assert.equal(await outcome(client.deposit(leftId, token, new Uint8Array(100))), 'UnauthorizedError', 'with its tokens')
      const line = await relay.waitFor(l => l.msg === 'deleted mailboxes their owners left')
      assert.equal(line.count, 1)
    })
  })

  it('rate-limits token registration', async () => {
    const dataDir = await tempDir()
    dirs.push(dataDir)
    await withRelay(dataDir, 0, { SOTTO_RELAY_TOKEN_BURST: '5', SOTTO_RELAY_TOKEN_PER_HOUR: '0' }, async (client) => {
      const key = await generateMailboxKey()
      await client.create(key)
      const results: string[] = []
      for (let i = 0; i < 7; i++) results.push(await outcome(client.registerToken(key, generateDepositToken(), 'contact')))
      assert.deepEqual(results, ['OK', 'OK', 'OK', 'OK', 'OK', 'RateLimitedError', 'RateLimitedError'])
    })
  })

  it('caps tokens relay-wide, across mailboxes', async () => {
    const dataDir = await tempDir()
    dirs.push(dataDir)
    await withRelay(dataDir, 0, { SOTTO_RELAY_MAX_TOKENS: '10' }, async (client) => {
      const [a, b] = [await generateMailboxKey(), await generateMailboxKey()]
      await client.create(a)
      await client.create(b)
      const results: string[] = []
      for (let i = 0; i < 6; i++) results.push(await outcome(client.registerToken(a, generateDepositToken(), 'contact')))
      for (let i = 0; i < 6; i++) results.push(await outcome(client.registerToken(b, generateDepositToken(), 'contact')))
      assert.deepEqual(results, [...Array<string>(10).fill('OK'), 'QuotaExceededError', 'QuotaExceededError'])
      await client.delete(a)
      assert.equal(await outcome(client.registerToken(b, generateDepositToken(), 'contact')), 'OK', 'a deleted mailbox gives its tokens back')
    })
  })
})
