// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { WebSocket } from 'ws'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { startHeadlessServer } from '../../src/main/headless-server.js'
import { HEADLESS_SUBPROTOCOL } from '../../src/shared/headless.js'
import { tempDir } from '../fixtures/helpers.js'
import { memoryFactory } from '../fixtures/memory-messenger.js'
import type { DesktopService } from '../../src/main/desktop-service.js'
import type { HeadlessServer } from '../../src/main/headless-server.js'

interface HttpAnswer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

function get (port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a socket; resolves with it once open, or rejects with the HTTP status it was refused with. */
function connect (port: number, options: { token?: string, origin?: string, host?: string, protocols?: string[], path?: string }): Promise<WebSocket> {
  const protocols = options.protocols ?? [HEADLESS_SUBPROTOCOL, ...(options.token != null ? [`token.${options.token}`] : [])]
  const headers: Record<string, string> = {}
  if (options.host != null) headers.Host = options.host
  const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ipc'}`, protocols, {
    headers,
    ...(options.origin != null ? { origin: options.origin } : {})
  })
  return new Promise((resolve, reject) => {
    ws.once('open', () => { resolve(ws) })
    ws.once('unexpected-response', (_req, res) => { reject(new Error(`refused ${res.statusCode}`)) })
    ws.once('error', reject)
  })
}

function nextFrame (ws: WebSocket, predicate: (frame: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return new Promise(resolve => {
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>
      if (predicate(frame)) {
        ws.off('message', onMessage)
        resolve(frame)
      }
    }
    ws.on('message', onMessage)
  })
}

let dir: string
let cleanup: () => Promise<void>
let service: DesktopService
let server: HeadlessServer
let token: string
let origin: string
const sockets: WebSocket[] = []

// Every test below starts with a service and a server on loopback, and ends by closing them.
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir())
  const rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Sotto</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(dir, 'secret.txt'), 'outside')
  service = createDesktopService({ dataDir: join(dir, 'data'), createMessenger: memoryFactory().factory, passphrase: 'correct horse battery' })
  await service.start()
  server = await startHeadlessServer({ service, rendererDir, port: 0 })
  token = /#token=([A-Za-z0-9_-]+)$/.exec(server.url)?.[1] ?? ''
  origin = `http://127.0.0.1:${server.port}`
})
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate()
  await server.close()
  await service.stop()
  await cleanup()
})

describe('headless server', () => {
  it('prints a loopback URL with a fresh random token', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/)
    const other = await startHeadlessServer({ service, rendererDir: dir, port: 0 })
    assert.notEqual(/#token=(.*)$/.exec(other.url)?.[1], token)
    await other.close()
  })

  it('serves the renderer with a strict CSP and refuses everything else', async () => {
    const index = await get(server.port, '/')
    assert.equal(index.status, 200)
    const csp = String(index.headers['content-security-policy'])
    assert.match(csp, /default-src 'none'/)
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
    assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${server.port}/ipc`))
    assert.equal(index.headers['x-content-type-options'], 'nosniff')
    assert.equal(index.headers['x-frame-options'], 'DENY')
    assert.equal((await get(server.port, '/assets/app.js')).status, 200)
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/missing.js', '/assets/']) {
      assert.equal((await get(server.port, path)).status, 404, path)
    }
    assert.equal((await get(server.port, '/', {}, 'POST')).status, 405)
    assert.equal((await get(server.port, '/', { Host: 'evil.example:80' })).status, 421, 'DNS rebinding')
  })

  it('refuses sockets without the token, with a wrong one, from another origin or host', async () => {
    await assert.rejects(connect(server.port, { origin }), /refused 401/)
    await assert.rejects(connect(server.port, { origin, token: 'A'.repeat(43) }), /refused 401/)
    await assert.rejects(connect(server.port, { origin, token: token.slice(1) }), /refused 401/)
    await assert.rejects(connect(server.port, { token }), /refused 401/, 'no Origin')
    await assert.rejects(connect(server.port, { token, origin: 'http://evil.example' }), /refused 401/)
    await assert.rejects(connect(server.port, { token, origin: 'null' }), /refused 401/)
    await assert.rejects(connect(server.port, { token, origin: 'http://evil.example', host: 'evil.example' }), /refused 421/)
    await assert.rejects(connect(server.port, { origin, protocols: [`token.${token}`] }), /refused 401/, 'no sotto-ipc protocol')
    await assert.rejects(connect(server.port, { origin, token, path: '/other' }), /refused 404/)
  })

  it('carries the IPC contract and events with the token', async () => {
    const ws = await connect(server.port, { origin, token })
    sockets.push(ws)
    assert.equal(ws.protocol, HEADLESS_SUBPROTOCOL)
    const reply = nextFrame(ws, f => f.id === 1)
    ws.send(JSON.stringify({ id: 1, method: 'status' }))
    assert.deepEqual((await reply).result, { ok: true, value: service.status() })

    const bad = nextFrame(ws, f => f.id === 2)
    ws.send(JSON.stringify({ id: 2, method: 'send', payload: { contactId: 'x' } }))
    assert.equal(((await bad).result as { error: { name: string } }).error.name, 'InvalidPayloadError')

    const unknown = nextFrame(ws, f => f.id === 3)
    ws.send(JSON.stringify({ id: 3, method: 'constructor' }))
    assert.equal(((await unknown).result as { error: { name: string } }).error.name, 'UnknownMethodError')

    const event = nextFrame(ws, f => f.event === 'app' && (f.payload as { phase: string }).phase === 'ready')
    const setup = nextFrame(ws, f => f.id === 4)
    ws.send(JSON.stringify({ id: 4, method: 'setup', payload: { name: 'Ada', relays: [] } }))
    assert.equal(((await setup).result as { ok: boolean }).ok, true)
    await event
  })

})

describe('headless server beyond loopback', () => {
  it('refuses to bind beyond loopback unless the host names it is reached by are named', async () => {
    const rendererDir = join(dir, 'renderer')
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      await assert.rejects(startHeadlessServer({ service, rendererDir, host, port: 0 }), (err: Error) =>
        err.name === 'UnsafeBindError' && /--allow-host/.test(err.message) && /TLS|tunnel/.test(err.message), host)
    }
    await assert.rejects(startHeadlessServer({ service, rendererDir, port: 0, allowedHosts: ['evil.example/x'] }), { name: 'UnsafeBindError' })
  })

  it('bound beyond loopback, checks Host and Origin against loopback and the named hosts on every request', async () => {
    const exposed = await startHeadlessServer({ service, rendererDir: join(dir, 'renderer'), host: '0.0.0.0', port: 0, allowedHosts: ['sotto.example.org'] })
    try {
      const { port } = exposed
      for (const host of ['evil.example', `evil.example:${port}`, `sotto.example.org.evil.example:${port}`, `[::2]:${port}`]) {
        assert.equal((await get(port, '/', { Host: host })).status, 421, host)
        await assert.rejects(connect(port, { token, origin: `http://${host}`, host }), /refused 421/, host)
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'sotto.example.org', `SOTTO.example.org:${port}`, 'sotto.example.org:443']) {
        assert.equal((await get(port, '/', { Host: host })).status, 200, host)
      }
      assert.equal((await get(port, '/', { Host: 'sotto.example.org', Origin: 'https://evil.example' })).status, 403, 'foreign Origin')
      assert.equal((await get(port, '/', { Host: 'sotto.example.org', Origin: 'https://sotto.example.org' })).status, 200)
      const csp = String((await get(port, '/', { Host: 'sotto.example.org' })).headers['content-security-policy'])
      assert.match(csp, /connect-src 'self' ws:\/\/sotto\.example\.org\/ipc wss:\/\/sotto\.example\.org\/ipc/, 'wss behind a TLS tunnel')

      const exposedToken = /#token=([A-Za-z0-9_-]+)$/.exec(exposed.url)?.[1] ?? ''
      await assert.rejects(connect(port, { token: exposedToken, host: 'sotto.example.org', origin: 'https://evil.example' }), /refused 401/)
      const ws = await connect(port, { token: exposedToken, host: 'sotto.example.org', origin: 'https://sotto.example.org' })
      sockets.push(ws)
      const local = await connect(port, { token: exposedToken, origin: `http://127.0.0.1:${port}` })
      sockets.push(local)
    } finally {
      await exposed.close()
    }
  })

  it('streams a saved file once from its one-time path, as an attachment, and nothing else', async () => {
    const bytes = Buffer.from('minutes of the meeting\n'.repeat(50_000))
    let reads = 0
    const path = service.downloads.issue({
      name: 'minutes é.pdf',
      read: async function * () {
        reads++
        for (let o = 0; o < bytes.byteLength; o += 65536) yield bytes.subarray(o, o + 65536)
      }
    })
    const answer = await get(server.port, path, { Host: `127.0.0.1:${server.port}` })
    assert.equal(answer.status, 200)
    assert.equal(answer.body, bytes.toString())
    assert.equal(answer.headers['content-type'], 'application/octet-stream')
    assert.equal(answer.headers['content-disposition'], 'attachment; filename="minutes _.pdf"; filename*=UTF-8\'\'minutes%20%C3%A9.pdf')
    assert.equal(answer.headers['cache-control'], 'no-store')
    assert.match(String(answer.headers['content-security-policy']), /default-src 'none'/)
    assert.equal((await get(server.port, path)).status, 404, 'taken once')
    assert.equal(reads, 1)
    const other = service.downloads.issue({ name: 'x.bin', read: async function * () { yield new Uint8Array(1) } })
    assert.equal((await get(server.port, other, { Host: 'evil.example' })).status, 421, 'Host is checked as for the page')
    assert.equal((await get(server.port, other, {}, 'POST')).status, 405)
    assert.equal((await get(server.port, '/download/not-a-ticket')).status, 404)
    const missing = service.downloads.issue({ name: 'gone.bin', read: async function * () { yield * []; throw new Error('not here') } })
    assert.equal((await get(server.port, missing)).status, 404, 'a file that is not here')
  })

  it('closes a socket that sends malformed frames', async () => {
    for (const frame of ['not json', JSON.stringify({ id: 'x', method: 'status' }), JSON.stringify({ id: 1, method: 'status', extra: 1 })]) {
      const ws = await connect(server.port, { origin, token })
      sockets.push(ws)
      const closed = new Promise<number>(resolve => { ws.once('close', code => { resolve(code) }) })
      ws.send(frame)
      assert.ok([1007, 1008].includes(await closed), frame)
    }
  })
})
