// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto-desktop --headless` program, run for real with `@sotto/core`'s messenger.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { WebSocket } from 'ws'
import { parseHeadlessArgs } from '../../src/main/cli.js'
import { HEADLESS_SUBPROTOCOL } from '../../src/shared/headless.js'
import { tempDir } from '../fixtures/helpers.js'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'

const CLI = fileURLToPath(new URL('../../src/main/cli.js', import.meta.url))

interface Running {
  child: ChildProcessWithoutNullStreams
  url: string
  events: AsyncIterator<Record<string, unknown>>
  exited: Promise<number | null>
}

async function start (dataDir: string, extra: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [CLI, '--headless', '--port', '0', '--data', dataDir, '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', ...extra], {
    env: { ...process.env, SOTTO_PASSPHRASE: 'a passphrase for tests', SOTTO_LOG_LEVEL: 'warn' }
  })
  const exited = new Promise<number | null>(resolve => { child.once('exit', code => { resolve(code) }) })
  child.stderr.resume()
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const events: AsyncIterator<Record<string, unknown>> = {
    next: async () => {
      const line = await lines.next()
      return line.done === true ? { done: true, value: undefined } : { done: false, value: JSON.parse(line.value) as Record<string, unknown> }
    }
  }
  const ready = await events.next()
  assert.equal(ready.value?.event, 'ready')
  return { child, url: String(ready.value?.url), events, exited }
}

function ipc (url: string): Promise<{ call: (method: string, payload?: unknown) => Promise<{ ok: boolean, value?: unknown, error?: { name: string } }>, close: () => void, online: Promise<void> }> {
  const page = new URL(url)
  const token = page.hash.slice('#token='.length)
  const ws = new WebSocket(`ws://${page.host}/ipc`, [HEADLESS_SUBPROTOCOL, `token.${token}`], { origin: `http://${page.host}` })
  let id = 0
  const pending = new Map<number, (r: never) => void>()
  let setOnline!: () => void
  const online = new Promise<void>(resolve => { setOnline = resolve })
  ws.on('message', data => {
    const frame = JSON.parse(data.toString()) as { id?: number, result?: never, event?: string, payload?: { online?: boolean } }
    if (frame.id != null) pending.get(frame.id)?.(frame.result!)
    if (frame.event === 'app' && frame.payload?.online === true) setOnline()
  })
  return new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('open', () => {
      resolve({
        online,
        close: () => { ws.close() },
        call: (method, payload) => new Promise(r => {
          const n = ++id
          pending.set(n, r as (r: never) => void)
          ws.send(JSON.stringify({ id: n, method, payload }))
        })
      })
    })
  })
}

describe('sotto-desktop --headless (with @sotto/core)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  const running: Running[] = []
  beforeEach(async () => { ({ dir, cleanup } = await tempDir()) })
  afterEach(async () => {
    for (const r of running.splice(0)) {
      if (r.child.exitCode == null) r.child.kill('SIGKILL')
      await r.exited
    }
    await cleanup()
  })

  it('parses its arguments and refuses bad ones', () => {
    const args = parseHeadlessArgs(['--headless', '--port', '8080', '--data', '/tmp/x', '--relay', '/ip4/1.2.3.4/tcp/1/p2p/12D3KooWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'])
    assert.equal(args.port, 8080)
    assert.equal(args.host, '127.0.0.1', 'loopback unless told otherwise')
    assert.equal(args.dataDir, '/tmp/x')
    assert.throws(() => parseHeadlessArgs(['--headless', '--port', '99999']), /port/)
    assert.throws(() => parseHeadlessArgs(['--headless', '--unknown']))
    assert.throws(() => parseHeadlessArgs(['--headless', '--host', '0.0.0.0']), /--allow-host/, 'no network bind without named hosts')
    const exposed = parseHeadlessArgs(['--headless', '--host', '0.0.0.0', '--allow-host', 'sotto.example.org', '--allow-host', 'home.lan'])
    assert.deepEqual(exposed.allowedHosts, ['sotto.example.org', 'home.lan'])
  })

  it('serves, sets up, comes online, shuts down cleanly on SIGTERM and reopens the same identity', async () => {
    const data = join(dir, 'data')
    const first = await start(data)
    running.push(first)
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/)
    const page = await fetch(first.url.replace(/#.*$/, ''))
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/)
    assert.match(await page.text(), /<div id="root">/)

    const client = await ipc(first.url)
    const status = await client.call('status')
    assert.equal((status.value as { phase: string }).phase, 'setup')
    assert.equal((status.value as { passphraseProvided: boolean }).passphraseProvided, true)
    const setup = await client.call('setup', { name: 'Ada', relays: [] })
    assert.equal(setup.ok, true)
    assert.deepEqual(await first.events.next(), { done: false, value: { event: 'online' } })
    await client.online
    const identity = (await client.call('identity')).value as { userId: string }
    const invite = (await client.call('createInvite')).value as { link: string }
    assert.match(invite.link, /^sotto:\/\/invite\//)
    assert.equal((await client.call('addContact', { invite: invite.link })).error?.name, 'InvalidInputError', 'own invite refused')
    client.close()

    first.child.kill('SIGTERM')
    assert.equal(await first.exited, 0, 'clean exit')

    const second = await start(data)
    running.push(second)
    assert.notEqual(second.url, first.url, 'a new token on every start')
    assert.deepEqual(await second.events.next(), { done: false, value: { event: 'online' } }, 'opens with the passphrase from the environment')
    const again = await ipc(second.url)
    assert.deepEqual((await again.call('identity')).value, identity)
    again.close()
    second.child.kill('SIGTERM')
    assert.equal(await second.exited, 0)
  })
})
