// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Forwarded deposits (`/sotto/forward/1.0.0`) between two real relays: Alice, holding a reservation
 * at her relay RA, has RA deposit into Bob's mailbox at RB. RB takes it from RA, never from Alice
 * (its debug log names every connection's peer); a peer without a reservation at RA is refused
 * with the named error and nothing is stored; the target's refusals come back by name; each user's
 * forwards are rate-limited; a private target is refused unless the operator allowed it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { yamux } from '@libp2p/yamux'
import { NotRelayUserError, RateLimitedError, RelayRequestError, RelayUnreachableError, UnauthorizedError } from '@sotto/core'
import { FRAMED_STREAM_OPTIONS, createMailboxClient, forwardDeposit, generateDepositToken, generateMailboxKey } from '@sotto/core/mailbox'
import { createLibp2p } from 'libp2p'
import { clientNode, metric, removeDir, startRelay } from './helpers.js'
import type { RelayProcess } from './helpers.js'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { MailboxClient } from '@sotto/core/mailbox'

/** A peer holding a reservation at `relayAddr` (as a messenger hiding its IP address does). */
async function reservingPeer (relayAddr: string): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: [`${relayAddr}/p2p-circuit`] },
    transports: [tcp(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: FRAMED_STREAM_OPTIONS })],
    services: { identify: identify() }
  })
}

describe('forwarded deposits between two real relays', () => {
  let ra: RelayProcess
  let rb: RelayProcess
  let strict: RelayProcess
  let alice: Libp2p
  let stranger: Libp2p
  let bob: Libp2p
  let bobClient: MailboxClient
  let bobKey: PrivateKey
  let mailboxId: Uint8Array
  const token = generateDepositToken()

  before(async () => {
    ra = await startRelay({ args: ['--log-level', 'debug', '--forward-private', 'on', '--forward-burst', '4', '--forward-per-hour', '0'] })
    rb = await startRelay({ args: ['--log-level', 'debug'] })
    strict = await startRelay()
    bob = await clientNode()
    bobClient = createMailboxClient(bob, rb.tcp)
    bobKey = await generateMailboxKey()
    mailboxId = await bobClient.create(bobKey)
    await bobClient.registerToken(bobKey, token, 'contact')
    alice = await reservingPeer(ra.tcp)
    stranger = await clientNode()
  })

  after(async () => {
    await bobClient.close()
    await Promise.allSettled([alice.stop(), stranger.stop(), bob.stop()])
    for (const r of [ra, rb, strict]) {
      await r.stop()
      await removeDir(r.dataDir)
    }
  })

  it('deposits through Alice\'s relay, and Bob\'s relay sees her relay, never her', async () => {
    await forwardDeposit(alice, ra.tcp, rb.tcp, { mailboxId, token, envelope: Uint8Array.from([1, 2, 3]) })
    const page = await bobClient.read(bobKey)
    assert.deepEqual(page.envelopes.map(e => [...e.envelope]), [[1, 2, 3]])
    await bobClient.ack(bobKey, page.envelopes.map(e => e.id))
    const peers = new Set(rb.lines.filter(l => l.msg === 'connection opened').map(l => l.peer))
    assert.ok(peers.has(ra.peerId), 'Bob\'s relay saw Alice\'s relay')
    assert.ok(!peers.has(alice.peerId.toString()), 'and never Alice')
    assert.equal(await metric(ra, /^sotto_relay_forwarded_deposits_total\{status="OK"\} (\d+)/m), 1)
  })

  it('refuses a peer without a reservation with the named error, storing nothing', async () => {
    await assert.rejects(forwardDeposit(stranger, ra.tcp, rb.tcp, { mailboxId, token, envelope: Uint8Array.from([9]) }), NotRelayUserError)
    assert.equal((await bobClient.read(bobKey)).envelopes.length, 0)
  })

  it('passes the target\'s refusal back by name, and says when the target cannot be reached', async () => {
    await assert.rejects(forwardDeposit(alice, ra.tcp, rb.tcp, { mailboxId, token: generateDepositToken(), envelope: Uint8Array.from([1]) }), UnauthorizedError)
    const nobody = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const gone = `/ip4/127.0.0.1/tcp/1/p2p/${nobody}`
    await assert.rejects(forwardDeposit(alice, ra.tcp, gone, { mailboxId, token, envelope: Uint8Array.from([1]) }), RelayUnreachableError)
  })

  it('limits each user\'s forwards', async () => {
    // Four in the bucket, none refilled: three were taken above.
    await forwardDeposit(alice, ra.tcp, rb.tcp, { mailboxId, token, envelope: Uint8Array.from([4]) })
    await assert.rejects(forwardDeposit(alice, ra.tcp, rb.tcp, { mailboxId, token, envelope: Uint8Array.from([5]) }), RateLimitedError)
    assert.deepEqual((await bobClient.read(bobKey)).envelopes.map(e => [...e.envelope]), [[4]])
  })

  it('refuses a target at a private address unless the operator allowed it', async () => {
    const peer = await reservingPeer(strict.tcp)
    try {
      await assert.rejects(forwardDeposit(peer, strict.tcp, rb.tcp, { mailboxId, token, envelope: Uint8Array.from([6]) }),
        (err: Error) => err instanceof RelayRequestError && err.code === 'BAD_REQUEST')
    } finally {
      await peer.stop()
    }
  })
})
