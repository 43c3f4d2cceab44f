// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Where a connection comes from, for per-IP limits.
 */

import { isIPv6 } from 'node:net'
import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The source a multiaddr's connection counts against: its IPv4 address, or the /64 network of its
 * IPv6 address (what one subscriber gets, as one IPv4 address behind NAT; per address, one host
 * could change addresses without end), written as its first four groups followed by `::/64`. An
 * IPv4-mapped IPv6 address counts as the IPv4 address; a DNS name as itself; otherwise `'unknown'`.
 */
export function sourceOf (addr: Multiaddr): string {
  for (const c of addr.getComponents()) {
    if (c.name === 'ip4' || c.name === 'dns' || c.name === 'dns4' || c.name === 'dns6') return c.value ?? 'unknown'
    if (c.name === 'ip6') return c.value != null ? ipv6Source(c.value) : 'unknown'
  }
  return 'unknown'
}

/**
 * The IPv6 /48 a multiaddr's connection comes from (one site: what many providers give a
 * subscriber, who can then use 65,536 /64s), written as its first three groups followed by
 * `::/48`; undefined for anything but a plain IPv6 address.
 */
export function siteOf (addr: Multiaddr): string | undefined {
  for (const c of addr.getComponents()) {
    if (c.name === 'ip6' && c.value != null && isIPv6(c.value)) {
      const groups = ipv6Groups(c.value)
      if (isMapped(groups)) return undefined
      return `${groups.slice(0, 3).map(g => g.toString(16)).join(':')}::/48`
    }
    if (c.name === 'ip4' || c.name.startsWith('dns')) return undefined
  }
  return undefined
}

function isMapped (groups: number[]): boolean {
  return groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff
}

function ipv6Groups (ip: string): number[] {
  const groupsOf = (part: string): number[] => part === '' ? [] : part.split(':').flatMap(g => {
    if (!g.includes('.')) return [parseInt(g, 16)]
    // An embedded IPv4 tail (a.b.c.d) is two groups.
    const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number)
    return [(a << 8) | b, (c << 8) | d]
  })
  const [head = '', tail] = ip.split('::')
  const left = groupsOf(head)
  const right = tail != null ? groupsOf(tail) : []
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
}

function ipv6Source (ip: string): string {
  if (!isIPv6(ip)) return ip
  const groups = ipv6Groups(ip)
  if (isMapped(groups)) {
    const [hi = 0, lo = 0] = groups.slice(6)
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.')
  }
  return `${groups.slice(0, 4).map(g => g.toString(16)).join(':')}::/64`
}
