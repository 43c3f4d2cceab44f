// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The mailbox service's rate buckets, with connections faked down to their address and peer: an
 * IPv6 /48 counts as well as a /64 for mailbox creation (per /64 alone, one site's 65,536 /64s
 * could fill a relay's 100,000 mailboxes in minutes), and introductions count per peer and per
 * address across tokens.
 */

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MailboxRates } from '../src/mailbox/rates.js'
import type { MailboxRateLimits } from '../src/mailbox/rates.js'
import type { Connection, PeerId } from '@libp2p/interface'

const OPEN = { burst: 1_000_000, perHour: 0 }
const LIMITS: MailboxRateLimits = {
  contactRate: OPEN,
  introductionRate: OPEN,
  introductionPeerRate: { burst: 3, perHour: 0 },
  introductionIpRate: { burst: 5, perHour: 0 },
  createRate: { burst: 2, perHour: 0 },
  createSiteRate: { burst: 10, perHour: 0 },
  tokenRate: { burst: 2, perHour: 0 }
}

async function peer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

function from (addr: string, remotePeer: PeerId): Connection {
  return { remoteAddr: multiaddr(addr), remotePeer } as unknown as Connection
}

describe('mailbox rates', () => {
  it('counts mailbox creations per /48 as well as per /64', async () => {
    const rates = new MailboxRates(LIMITS, () => 0)
    const p = await peer()
    const created: boolean[] = []
    // Seven /64s of one /48, two creations each: each /64 has room for two, the /48 for ten.
    for (let net = 1; net <= 7; net++) {
      for (let i = 0; i < 2; i++) created.push(rates.createMailbox(from(`/ip6/2001:db8:aa:${net}::${i + 1}/tcp/1`, p)) == null)
    }
    assert.equal(created.filter(Boolean).length, 10, 'the /48 stopped creations its /64s alone would have allowed (14)')
    assert.match(rates.createMailbox(from('/ip6/2001:db8:aa:99::1/tcp/1', p))?.message ?? '', /this network/)
    assert.equal(rates.createMailbox(from('/ip6/2001:db8:bb:1::1/tcp/1', p)), undefined, 'another /48 is not held back')
    assert.equal(rates.createMailbox(from('/ip6/2001:db8:bb:1::2/tcp/1', p)), undefined)
    assert.match(rates.createMailbox(from('/ip6/2001:db8:bb:1::3/tcp/1', p))?.message ?? '', /from here/, 'and a /64 keeps its own limit')
    for (let i = 0; i < 2; i++) assert.equal(rates.createMailbox(from(`/ip4/203.0.113.${i}/tcp/1`, p)), undefined, 'IPv4 addresses have no /48')
  })

  it('counts introductions per peer across tokens, and per address across peers', async () => {
    const rates = new MailboxRates(LIMITS, () => 0)
    const [first, second] = [await peer(), await peer()]
    const results: Array<string | undefined> = []
    for (let i = 0; i < 4; i++) results.push(rates.deposit('introduction', `token-${i}`, from('/ip4/198.51.100.7/tcp/1', first))?.message)
    for (let i = 0; i < 3; i++) results.push(rates.deposit('introduction', `token-${i}`, from('/ip4/198.51.100.7/tcp/2', second))?.message)
    assert.deepEqual(results, [
      undefined, undefined, undefined, 'too many introductions from this peer',
      undefined, undefined, 'too many introductions from here'
    ])
    assert.equal(rates.deposit('contact', 'token-0', from('/ip4/198.51.100.7/tcp/2', second)), undefined, 'contacts are not introductions')
  })

  it('counts token registrations per address', async () => {
    const rates = new MailboxRates(LIMITS, () => 0)
    const p = await peer()
    const results = Array.from({ length: 3 }, () => rates.registerToken(from('/ip6/2001:db8:cc:1::9/tcp/1', p))?.message)
    assert.deepEqual(results, [undefined, undefined, 'too many token registrations from here'])
  })
})
