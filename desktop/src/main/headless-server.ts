// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Headless mode's server: the built renderer over HTTP, and the IPC contract over a WebSocket that
 * only opens with the per-start token and from the page's own origin, and files the user saves at
 * one-time paths handed out over that socket (file-downloads.ts). Loopback by default.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import { isIP } from 'node:net'
import { WebSocketServer } from 'ws'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import {
  clientFrameSchema, HEADLESS_IPC_PATH, HEADLESS_SUBPROTOCOL, MAX_FRAME_BYTES, TOKEN_PROTOCOL_PREFIX
} from '../shared/headless.js'
import type { ServerFrame } from '../shared/headless.js'
import { hostPolicy, isLoopback } from './host-policy.js'
import { readRendererFile, securityHeaders } from './renderer-files.js'
import { DOWNLOAD_PATH, sendDownload } from './file-downloads.js'
import type { HostPolicy } from './host-policy.js'
import type { DesktopService } from './desktop-service.js'
import type { LoggerFactory } from '@sotto/core'

/** Options for {@link startHeadlessServer}. */
export interface HeadlessServerInit {
  /** The service to expose. */
  service: DesktopService
  /** The built renderer (`dist/renderer`). */
  rendererDir: string
  /** Address to bind; `127.0.0.1` by default. */
  host?: string
  /**
   * Host names the server may be reached by besides loopback (through a TLS tunnel or proxy).
   * Required when `host` is not a loopback address.
   */
  allowedHosts?: string[]
  /** Port; 0 picks a free one. */
  port?: number
  /** The token; random per start by default. Tests may fix it. */
  token?: string
  /** Loggers. */
  logger?: LoggerFactory
}

/** A running headless server. */
export interface HeadlessServer {
  /** The URL to open, with the token in its fragment (never sent to the server by the browser). */
  url: string
  /** The port bound. */
  port: number
  /** Closes every connection and the server. */
  close(): Promise<void>
}

/** A fresh per-start token: 32 random bytes, base64url. */
export function createToken (): string {
  return randomBytes(32).toString('base64url')
}

function sameSecret (a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest()
  const db = createHash('sha256').update(b).digest()
  return timingSafeEqual(da, db)
}

function send (ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
}

function refuseHttp (res: ServerResponse, code: number): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(code === 404 ? 'Not found\n' : 'Refused\n')
}

/** Answers a GET or HEAD for a file of the built renderer. */
async function serveFile (req: IncomingMessage, res: ServerResponse, rendererDir: string, policy: HostPolicy): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') { refuseHttp(res, 405); return }
  const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/'
  const file = await readRendererFile(rendererDir, path)
  if (file == null) { refuseHttp(res, 404); return }
  const host = req.headers.host!
  // Behind a TLS tunnel the page is https, and its socket wss.
  const connect = `ws://${host}${HEADLESS_IPC_PATH}` + (policy.isAllowedName(host) ? ` wss://${host}${HEADLESS_IPC_PATH}` : '')
  res.writeHead(200, {
    ...securityHeaders(connect),
    'Content-Type': file.contentType,
    'Content-Length': file.body.length
  })
  res.end(req.method === 'HEAD' ? undefined : file.body)
}

/** Answers a GET of a one-time download path: the file, streamed, once. */
async function serveDownload (req: IncomingMessage, res: ServerResponse, service: DesktopService): Promise<void> {
  if (req.method !== 'GET') { refuseHttp(res, 405); return }
  const ticket = service.downloads.take((req.url ?? '').split(/[?#]/, 1)[0] ?? '')
  if (ticket == null) { refuseHttp(res, 404); return }
  await sendDownload(res, ticket, securityHeaders())
}

/** Answers one frame from the browser; closes the socket on a malformed one. */
function answerFrame (ws: WebSocket, service: DesktopService, text: string, isBinary: boolean): void {
  if (isBinary) { ws.close(1003, 'text frames only'); return }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    ws.close(1007, 'not JSON')
    return
  }
  const frame = clientFrameSchema.safeParse(json)
  if (!frame.success) { ws.close(1008, 'malformed frame'); return }
  void service.dispatch(frame.data.method, frame.data.payload)
    .then(result => { send(ws, { id: frame.data.id, result }) })
}

/** Starts the server; resolves once it listens. */
export async function startHeadlessServer (init: HeadlessServerInit): Promise<HeadlessServer> {
  const log = init.logger?.forComponent('desktop:headless')
  const host = init.host ?? '127.0.0.1'
  const token = init.token ?? createToken()
  const wildcard = host === '0.0.0.0' || host === '::'
  const policy = hostPolicy({ bindHost: host, allowedHosts: init.allowedHosts ?? [] })
  if (!isLoopback(host)) {
    log?.warn('serving beyond loopback: reach it only through TLS or a tunnel, the page and its token travel unencrypted', { host, allowedHosts: init.allowedHosts })
  }
  let port = init.port ?? 0

  const server = createServer((req, res) => {
    // Host and Origin checks keep other web pages from reaching this server through DNS rebinding.
    const hostHeader = req.headers.host
    if (!policy.hostAllowed(hostHeader)) { refuseHttp(res, 421); return }
    if (req.headers.origin != null && !policy.originAllowed(req.headers.origin, hostHeader)) { refuseHttp(res, 403); return }
    const serve = req.url?.startsWith(DOWNLOAD_PATH) === true ? serveDownload(req, res, init.service) : serveFile(req, res, init.rendererDir, policy)
    serve.catch(() => {
      if (!res.headersSent) refuseHttp(res, 500)
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: protocols => protocols.has(HEADLESS_SUBPROTOCOL) ? HEADLESS_SUBPROTOCOL : false
  })

  const refuseUpgrade = (socket: Duplex, status: string, reason: string): void => {
    log?.warn('refused a connection', { reason })
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }

  const authorised = (req: IncomingMessage): string | undefined => {
    const hostHeader = req.headers.host
    if (!policy.hostAllowed(hostHeader)) return 'host'
    if (!policy.originAllowed(req.headers.origin, hostHeader)) return 'origin'
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map(s => s.trim())
    if (!offered.includes(HEADLESS_SUBPROTOCOL)) return 'protocol'
    const presented = offered.find(p => p.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length)
    if (presented == null || !sameSecret(presented, token)) return 'token'
    return undefined
  }

  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?', 1)[0]
    if (path !== HEADLESS_IPC_PATH) { refuseUpgrade(socket, '404 Not Found', 'path'); return }
    const reason = authorised(req)
    if (reason != null) { refuseUpgrade(socket, reason === 'host' ? '421 Misdirected Request' : '401 Unauthorized', reason); return }
    wss.handleUpgrade(req, socket, head, ws => { wss.emit('connection', ws, req) })
  })

  const unsubscribe = init.service.subscribe(event => {
    const frame = { event: event.name, payload: event.payload } as ServerFrame
    for (const ws of wss.clients) send(ws, frame)
  })

  wss.on('connection', (ws: WebSocket) => {
    log?.info('browser connected', { clients: wss.clients.size })
    ws.on('message', (data, isBinary) => { answerFrame(ws, init.service, data.toString(), isBinary) })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address == null || typeof address === 'string') throw new Error('server has no TCP address')
  port = address.port
  const urlHost = isIP(host) === 6 ? `[${host}]` : host
  const visibleHost = wildcard ? '127.0.0.1' : urlHost
  policy.bind(port)
  log?.info('listening', { host, port })

  let closing: Promise<void> | undefined
  return {
    url: `http://${visibleHost}:${port}/#token=${token}`,
    port,
    close () {
      closing ??= (async () => {
        unsubscribe()
        for (const ws of wss.clients) ws.close(1001, 'shutting down')
        await new Promise<void>(resolve => { wss.close(() => { resolve() }) })
        for (const ws of wss.clients) ws.terminate()
        server.closeAllConnections()
        await new Promise<void>(resolve => { server.close(() => { resolve() }) })
      })()
      return closing
    }
  }
}
