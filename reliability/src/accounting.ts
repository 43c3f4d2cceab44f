// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Which packets reached a host from which others, without nftables, iptables or tcpdump (the rig's
 * kernel has none of them, nor tc classifiers): routing realms. A host gets a /32 route with a realm
 * to each address it watches; the kernel then counts, in `/proc/net/rt_acct`, every packet it
 * receives from that address under the realm (the route back to the source names it). A packet
 * travelling from A to B is therefore seen at B, whichever direction a connection was opened in.
 *
 * `/proc/net/rt_acct` is one table for the whole machine, not per namespace: realms are picked from
 * the process id, and each watch is read as a difference from when it was set up.
 */
import { readFile } from 'node:fs/promises'
import { sh } from './sys.js'
import type { Host } from './network.js'

/** Bytes of one realm's entry in `/proc/net/rt_acct`: o_bytes, o_packets, i_bytes, i_packets (u32 each). */
const ENTRY = 16

let nextRealm = 1 + (process.pid % 40) * 6

/** Packets received by `from`'s realm so far (the i_packets of the realm as a source). */
async function received (realm: number): Promise<number> {
  const table = await readFile('/proc/net/rt_acct')
  return table.readUInt32LE(realm * ENTRY + 12)
}

/** A count of the packets `at` receives from a set of addresses. */
export class PacketWatch {
  private constructor (readonly label: string, private readonly realm: number, private readonly base: number) {}

  /** Starts counting, at `at`, the packets that arrive from any of `from` (addresses). */
  static async start (label: string, at: Host, from: string[]): Promise<PacketWatch> {
    const realm = nextRealm++
    if (realm > 255) throw new Error('no routing realm left')
    for (const ip of from) await sh('ip', ['-n', at.ns, 'route', 'replace', `${ip}/32`, 'dev', at.ifname, 'realm', String(realm)])
    return new PacketWatch(label, realm, await received(realm))
  }

  /** Packets received since the watch started. */
  async packets (): Promise<number> {
    return (await received(this.realm)) - this.base
  }
}
