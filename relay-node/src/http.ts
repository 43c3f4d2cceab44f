// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The operator's HTTP port (loopback by default): Prometheus `/metrics`, `/livez`, `/readyz`.
 */

import { timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import type { Registry } from 'prom-client'

/** What the HTTP port serves. */
export interface HttpInit {
  /** `HOST:PORT`; IPv6 hosts in brackets. Port 0 picks a free port. */
  listen: string
  registry: Registry
  /** Whether the relay is ready to serve (`/readyz`). */
  ready(): boolean
  /** If set, `/metrics` requires `Authorization: Bearer <token>`. */
  metricsToken?: string
}

/** A running HTTP port. */
export interface HttpServer {
  /** The URL it listens on, e.g. `http://127.0.0.1:9464`. */
  readonly url: string
  close(): Promise<void>
}

function splitHostPort (listen: string): { host: string, port: number } {
  const i = listen.lastIndexOf(':')
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, '$1')
  return { host, port: Number(listen.slice(i + 1)) }
}

function authorized (header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`)
  const given = Buffer.from(header ?? '')
  return given.byteLength === expected.byteLength && timingSafeEqual(given, expected)
}

/** Starts the HTTP port. */
export async function startHttp (init: HttpInit): Promise<HttpServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    if (path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
    } else if (path === '/readyz') {
      const ready = init.ready()
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n')
    } else if (path === '/metrics') {
      if (init.metricsToken != null && !authorized(req.headers.authorization, init.metricsToken)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end()
        return
      }
      init.registry.metrics().then(
        (text) => { res.writeHead(200, { 'content-type': init.registry.contentType }).end(text) },
        () => { res.writeHead(500).end() }
      )
    } else {
      res.writeHead(404).end()
    }
  })
  server.keepAliveTimeout = 5000
  const { host, port } = splitHostPort(init.listen)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address()
  const bound = typeof addr === 'object' && addr != null ? addr : { address: host, port }
  const shownHost = bound.address.includes(':') ? `[${bound.address}]` : bound.address
  return {
    url: `http://${shownHost}:${bound.port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    }
  }
}
