// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What per-IP limits count against: an IPv4 address, or an IPv6 address's /64 (a host that owns a
 * /64 would otherwise come back from a new address for every connection).
 */

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { siteOf, sourceOf } from '../src/ip.js'

const of = (addr: string): string => sourceOf(multiaddr(addr))

describe('sourceOf', () => {
  it('is the IPv4 address itself', () => {
    assert.equal(of('/ip4/203.0.113.7/tcp/4001'), '203.0.113.7')
    assert.equal(of('/ip4/203.0.113.7/tcp/4001/ws'), '203.0.113.7')
  })

  it('puts every address of an IPv6 /64 together, and apart from the next /64', () => {
    const a = of('/ip6/2001:db8:aa:1::1/tcp/4001')
    assert.equal(a, '2001:db8:aa:1::/64')
    assert.equal(of('/ip6/2001:0db8:00aa:0001:ffff:1234:5678:9abc/tcp/4001'), a)
    assert.equal(of('/ip6/2001:db8:aa:1:0:0:0:2/udp/4001/quic-v1'), a)
    assert.notEqual(of('/ip6/2001:db8:aa:2::1/tcp/4001'), a)
    assert.equal(of('/ip6/::1/tcp/4001'), '0:0:0:0::/64')
    assert.equal(of('/ip6/64:ff9b::203.0.113.7/tcp/4001'), '64:ff9b:0:0::/64')
    assert.equal(of('/ip6/1:2:3::203.0.113.7/tcp/4001'), '1:2:3:0::/64')
  })

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', () => {
    assert.equal(of('/ip6/::ffff:203.0.113.7/tcp/4001'), '203.0.113.7')
  })

  it('keeps a DNS name as it is, and anything else as unknown', () => {
    assert.equal(of('/dns4/relay.example/tcp/4001'), 'relay.example')
    assert.equal(of('/p2p-circuit'), 'unknown')
  })

  it('puts every /64 of an IPv6 /48 into one site, and has no site for anything else', () => {
    const site = (addr: string): string | undefined => siteOf(multiaddr(addr))
    assert.equal(site('/ip6/2001:db8:aa:1::1/tcp/4001'), '2001:db8:aa::/48')
    assert.equal(site('/ip6/2001:db8:aa:ffff:1:2:3:4/tcp/4001'), '2001:db8:aa::/48')
    assert.notEqual(site('/ip6/2001:db8:ab:1::1/tcp/4001'), '2001:db8:aa::/48')
    assert.equal(site('/ip6/::ffff:203.0.113.7/tcp/4001'), undefined)
    assert.equal(site('/ip4/203.0.113.7/tcp/4001'), undefined)
    assert.equal(site('/dns6/relay.example/tcp/4001'), undefined)
  })
})
