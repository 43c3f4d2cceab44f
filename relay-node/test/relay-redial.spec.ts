// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A connection to `sotto-relay` reset while it is set up (as a relay past its rate of new
 * connections per address does, in the handshake): the mailbox client and a short-link request
 * dial once more, and the call succeeds. The reset is real: the
 * client reaches the relay through a TCP relay of the test's own that resets the first connection
 * it takes and passes the others through.
 */
import assert from 'node:assert/strict'
import { createServer, connect } from 'node:net'
import { after, describe, it } from 'node:test'
import { newLinkSecrets, linkRequest } from '@sotto/core/links'
import { createMailboxClient, generateMailboxKey } from '@sotto/core/mailbox'
import { clientNode, removeDir, startRelay } from './helpers.js'
import type { Server, Socket } from 'node:net'
import type { RelayProcess } from './helpers.js'

/** A TCP relay to `port` that resets the first `resets` connections it takes. */
async function resettingProxy (port: number, resets: number): Promise<{ server: Server, port: number, taken: () => number }> {
  let taken = 0
  const sockets: Socket[] = []
  const server = createServer(socket => {
    sockets.push(socket)
    if (taken++ < resets) {
      socket.resetAndDestroy()
      return
    }
    const upstream = connect(port, '127.0.0.1')
    sockets.push(upstream)
    socket.pipe(upstream).pipe(socket)
    const close = (): void => { socket.destroy(); upstream.destroy() }
    socket.on('error', close)
    upstream.on('error', close)
  })
  server.on('close', () => { for (const s of sockets) s.destroy() })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address == null || typeof address === 'string') throw new Error('the proxy has no port')
  return { server, port: address.port, taken: () => taken }
}

describe('relay clients: a connection reset while it is set up', () => {
  let relay: RelayProcess | undefined

  after(async () => {
    if (relay != null && relay.proc.exitCode == null) await relay.kill9()
    if (relay != null) await removeDir(relay.dataDir)
  })

  it('is dialled once more by the mailbox client, and the call goes through', { timeout: 60_000 }, async () => {
    relay ??= await startRelay()
    const relayPort = Number(/\/tcp\/(\d+)\//.exec(relay.tcp)?.[1])
    const proxy = await resettingProxy(relayPort, 1)
    const node = await clientNode()
    const client = createMailboxClient(node, `/ip4/127.0.0.1/tcp/${proxy.port}/p2p/${relay.peerId}`)
    try {
      const key = await generateMailboxKey()
      const id = await client.create(key)
      assert.equal(id.length, 32, 'the mailbox was made')
      assert.equal(proxy.taken(), 2, 'the first connection was reset, the second carried the call')
      assert.equal((await client.read(key)).envelopes.length, 0)
    } finally {
      await client.close()
      await node.stop()
      await new Promise(resolve => proxy.server.close(resolve))
    }
  })

  it('is dialled once more for a short-link request, which gets its answer', { timeout: 60_000 }, async () => {
    relay ??= await startRelay()
    const relayPort = Number(/\/tcp\/(\d+)\//.exec(relay.tcp)?.[1])
    const proxy = await resettingProxy(relayPort, 1)
    const node = await clientNode()
    try {
      const answer = await linkRequest(node, `/ip4/127.0.0.1/tcp/${proxy.port}/p2p/${relay.peerId}`, { type: 'get', linkId: newLinkSecrets().linkId })
      assert.equal(answer.status, 'NOT_FOUND', 'the relay answered')
      assert.equal(proxy.taken(), 2, 'the first connection was reset, the second carried the request')
    } finally {
      await node.stop()
      await new Promise(resolve => proxy.server.close(resolve))
    }
  })
})
