// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Deposit token rotation at a real relay (`sotto-relay`, a child process), with Bob's rotation on a
 * clock the test moves: a week on, Bob's token for Alice is replaced; Alice, who has not heard of the
 * replacement yet, deposits with the old token inside the overlap and the relay takes it; after the
 * grace it is revoked and her deposit with it is refused (a named error); she learns the new token
 * inside the encrypted session and deposits with it. Nothing is lost, nothing arrives twice.
 *
 * Alice has no relay of her own, so that the new token can reach her only when Bob and she are
 * online together: the test decides when she learns it.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { jsonLoggers } from '@sotto/core'
import { metric, removeDir, startRelay, until } from './helpers.js'
import { Fleet, contactReaches, nextEvent, received } from './messengers.js'
import type { LogLine, RelayProcess } from './helpers.js'
import type { MessengerOptions } from '@sotto/core'

const DAY_MS = 24 * 3_600_000

/** A TCP port free on loopback now. */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>(resolve => server.close(() => { resolve() }))
  return port
}

describe('deposit token rotation at a real relay', () => {
  const fleet = new Fleet()
  let relay: RelayProcess

  before(async () => { relay = await startRelay() })

  after(async () => {
    await fleet.cleanup()
    await relay.stop()
    await removeDir(relay.dataDir)
  })

  it('takes the old token inside the overlap, refuses it after, and loses nothing across the rotation', { timeout: 180_000 }, async () => {
    let time = Date.now()
    // Its timer is never due within the test: each start's first run does the work.
    const clock = { now: () => time, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(), clearTimeout: (t: unknown) => { clearTimeout(t as NodeJS.Timeout) } }
    const bobLog: LogLine[] = []
    const aliceLog: LogLine[] = []
    const bobOptions: Partial<MessengerOptions> = {
      listen: [`/ip4/127.0.0.1/tcp/${await freePort()}`],
      tokenRotation: { clock, checkMs: 20 * DAY_MS },
      logger: jsonLoggers(line => { bobLog.push(JSON.parse(line) as LogLine) })
    }
    const aliceOptions: Partial<MessengerOptions> = {
      listen: [`/ip4/127.0.0.1/tcp/${await freePort()}`],
      logger: jsonLoggers(line => { aliceLog.push(JSON.parse(line) as LogLine) })
    }
    const tokensAtRelay = async (): Promise<number> => metric(relay, /^sotto_relay_tokens (\d+)/m)
    const aliceDir = await fleet.dir()
    const bobDir = await fleet.dir()
    let alice = await fleet.start(aliceDir, 'Alice', aliceOptions)
    let bob = await fleet.start(bobDir, 'Bob', { relays: [relay.tcp], ...bobOptions })
    const request = nextEvent(bob, 'request')
    const bobAtAlice = (await alice.addContact(await bob.invite())).id
    const aliceAtBob = (await request).id
    await bob.accept(aliceAtBob)
    await contactReaches(alice, bobAtAlice, c => c.mailboxes > 0)
    // Bob's introduction token and the token he gave Alice.
    assert.equal(await tokensAtRelay(), 2)

    // A week on, Bob's next start replaces Alice's token; she is away and does not learn of it.
    await fleet.stop(alice)
    await fleet.stop(bob)
    // (Tokens are dated by the system clock when made: an hour's margin for the test's own time.)
    time += 7 * DAY_MS + 3_600_000
    const announced = bobLog.length
    bob = await fleet.start(bobDir, 'Bob', bobOptions)
    await until(async () => await tokensAtRelay() === 3, 'the new token registered beside the old')
    await until(async () => bobLog.slice(announced).some(l => l.msg === 'deposit tokens announced'), 'the new token queued for Alice')
    await fleet.stop(bob)

    // Inside the overlap: Alice deposits with the old token, and the relay takes it.
    alice = await fleet.start(aliceDir, 'Alice', aliceOptions)
    const first = await alice.send(bobAtAlice, 'one, with the old token')
    await alice.waitForState(first.id, ['sent'], 60_000)
    await fleet.stop(alice)

    // Two days on, Bob's next start revokes the old token; he gets what she left.
    time += 2 * DAY_MS
    bob = await fleet.start(bobDir, 'Bob', bobOptions)
    await received(bob, aliceAtBob, 'one, with the old token')
    await until(async () => await tokensAtRelay() === 2, 'the old token revoked')
    await fleet.stop(bob)

    // After the overlap the relay refuses the old token, with a named error; the message waits.
    const refusedFrom = aliceLog.length
    alice = await fleet.start(aliceDir, 'Alice', aliceOptions)
    const second = await alice.send(bobAtAlice, 'two, refused with the old token')
    await until(async () => aliceLog.slice(refusedFrom).some(l => l.msg === 'relay did not take a deposit'), 'the refusal')
    const refusal = aliceLog.slice(refusedFrom).find(l => l.msg === 'relay did not take a deposit')
    assert.equal(refusal?.error, 'UnauthorizedError')
    assert.equal((await alice.history(bobAtAlice)).find(m => m.id === second.id)?.state, 'queued')

    // Bob comes back: Alice learns the new token from him, and the waiting message goes.
    bob = await fleet.start(bobDir, 'Bob', bobOptions)
    await received(bob, aliceAtBob, 'two, refused with the old token')
    await alice.waitForState(second.id, ['delivered'], 60_000)
    await fleet.stop(bob)
    // The new token works: a deposit while Bob is away is taken, and reaches him.
    const third = await alice.send(bobAtAlice, 'three, with the new token')
    await alice.waitForState(third.id, ['sent'], 60_000)
    bob = await fleet.start(bobDir, 'Bob', bobOptions)
    await received(bob, aliceAtBob, 'three, with the new token')

    const texts = (await bob.history(aliceAtBob)).filter(m => m.direction === 'in').map(m => m.text)
    assert.deepEqual(texts, ['one, with the old token', 'two, refused with the old token', 'three, with the new token'], 'each once, in order')
  })
})
