// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `npm run demo -w e2e`: the quickest way to try Sotto. Starts a relay and two app instances
 * (Alice and Bob) on this machine, in headless mode, each with its own temporary data; introduces
 * them to each other; prints the two addresses to open. Ctrl-C stops everything and removes the
 * temporary data.
 *
 * Needs the build (`npm run build`) and Node.js 22.12 or newer.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { HeadlessApp } from '../fixtures/app.ts'
import { missingBuilds } from '../fixtures/environment.ts'
import { programDefaults } from '../fixtures/program.ts'
import { Relay } from '../fixtures/relay.ts'
import type { ContactView } from '../fixtures/contract.ts'

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`The demo needs Node.js 22.12 or newer; this is ${process.versions.node}.\n`)
  process.exit(1)
}
const missing = missingBuilds()
if (missing.length > 0) {
  process.stderr.write(`Build Sotto first (npm run build); missing: ${missing.join(', ')}\n`)
  process.exit(1)
}

// Ctrl-C reaches this script only; it stops each program cleanly.
programDefaults.ownProcessGroup = true
const dir = await mkdtemp(join(tmpdir(), 'sotto-demo-'))
const relay = new Relay({ dataDir: join(dir, 'relay'), logFile: join(dir, 'relay.log'), operator: 'Sotto demo relay', jurisdiction: 'DE' })
const noBrowser = async (): Promise<never> => { throw new Error('the demo opens no browser itself') }
const app = (name: string): HeadlessApp => new HeadlessApp({
  name,
  dir: join(dir, name.toLowerCase()),
  logFile: join(dir, `${name.toLowerCase()}.log`),
  passphrase: randomBytes(18).toString('base64url'),
  options: {}
}, noBrowser)
const alice = app('Alice')
const bob = app('Bob')

let stopping: Promise<void> | undefined
const stop = async (code: number, keepLogs = false): Promise<never> => {
  stopping ??= (async () => {
    process.stdout.write('\nStopping the demo…\n')
    await Promise.allSettled([alice.dispose(), bob.dispose()])
    await relay.stop().catch(() => {})
    if (keepLogs) return
    await rm(dir, { recursive: true, force: true })
    process.stdout.write('Stopped; its data is removed.\n')
  })()
  await stopping
  process.exit(code)
}
let signals = 0
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C does not wait.
    if (++signals > 1) process.exit(130)
    void stop(0)
  })
}

/** Polls until `check` answers a value; for a script, where nothing is asserted. */
async function until<T> (check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await delay(100)
  }
}

try {
  process.stdout.write('Starting a relay and two apps (Alice and Bob)…\n')
  await relay.start()
  await Promise.all([alice.start(), bob.start()])
  await Promise.all([
    alice.api.call('setup', { name: 'Alice', passphrase: alice.passphrase, relays: [relay.address] }),
    bob.api.call('setup', { name: 'Bob', passphrase: bob.passphrase, relays: [relay.address] })
  ])
  await Promise.all([alice.waitOnline(), bob.waitOnline()])

  // Alice adds Bob by his invite; Bob accepts; Alice says hello.
  const { link } = await bob.api.call('createInvite')
  const bobForAlice = await alice.api.call('addContact', { invite: link })
  const aliceId = (await alice.api.call('status')).identity?.userId
  const request = await until<ContactView>(async () => (await bob.api.call('requests')).find(r => r.id === aliceId), 'Bob to get Alice\'s request')
  await bob.api.call('accept', { contactId: request.id })
  await alice.api.call('send', { contactId: bobForAlice.id, text: 'Hi Bob! This is Sotto. Write back?' })

  process.stdout.write([
    '',
    'Sotto demo is running: a relay and two apps, Alice and Bob, already introduced.',
    '',
    `  Alice: ${alice.url}`,
    `  Bob:   ${bob.url}`,
    '',
    'Open each address in a tab of its own, and chat.',
    `Relay: ${relay.address} (operator "${relay.operator}", jurisdiction ${relay.jurisdiction})`,
    `Data and logs: ${dir} (removed when the demo stops)`,
    '',
    'Press Ctrl-C to stop everything.',
    ''
  ].join('\n'))
} catch (err) {
  process.stderr.write(`The demo could not start: ${(err as Error).message}\nIts logs are kept in ${dir}\n`)
  await stop(1, true)
}
