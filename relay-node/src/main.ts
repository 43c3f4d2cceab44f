// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The `sotto-relay` program, after the runtime check in `cli.ts`: configuration, logging, the
 * relay, the HTTP port and the signal handlers.
 */

import { pino } from 'pino'
import { loadConfig, redactConfig } from './config.js'
import { ConfigError } from './errors.js'
import { startHttp } from './http.js'
import { installShutdown } from './shutdown.js'
import { AGENT } from './version.js'
import type { HttpServer } from './http.js'
import type { WebServer } from './links/web.js'
import type { StunResponder } from './stun.js'

/**
 * The web page's own address (`http://HOST:PORT`, no trailing slash) when its host is a specific
 * one; undefined for 0.0.0.0 and ::, which no browser elsewhere could open.
 */
export function listenedWebUrl (url: string): string | undefined {
  const { hostname, origin } = new URL(url)
  return hostname === '0.0.0.0' || hostname === '[::]' ? undefined : origin
}

/** Runs the relay with these command-line arguments until a signal stops it. */
export async function main (argv: string[]): Promise<void> {
  let loaded
  try {
    loaded = loadConfig(argv)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`sotto-relay: ${err.message}\n`)
    process.exit(2)
  }
  if (loaded.kind === 'help') {
    process.stdout.write(loaded.text + '\n')
    return
  }
  if (loaded.kind === 'version') {
    process.stdout.write(AGENT + '\n')
    return
  }
  const config = loaded.config
  const log = pino({
    level: config.logLevel,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) }
  })
  process.on('uncaughtException', (err) => {
    log.fatal({ err: err.message, name: err.name }, 'uncaught exception')
    process.exit(1)
  })
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: (reason as Error)?.message, name: (reason as Error)?.name }, 'unhandled rejection')
    process.exit(1)
  })
  log.info({ config: redactConfig(config), version: AGENT, node: process.versions.node }, 'starting')

  // Loaded only now: a bad configuration is reported without loading the whole libp2p stack.
  const { startRelay } = await import('./relay.js')
  let relay
  try {
    relay = await startRelay(config, log)
  } catch (err) {
    log.fatal({ err: (err as Error).message, name: (err as Error).name }, 'cannot start')
    process.exit(1)
  }
  let http: HttpServer | undefined
  if (config.http !== 'off') {
    http = await startHttp({ listen: config.http, registry: relay.metrics.registry, ready: relay.ready, metricsToken: config.metricsToken })
    log.info({ url: http.url }, 'http listening')
  }
  let stun: StunResponder | undefined
  if (config.stun !== 'off') {
    const { startStun } = await import('./stun.js')
    stun = await startStun(config.stun)
    log.info({ port: stun.port }, 'stun listening')
  }
  let web: WebServer | undefined
  if (config.web !== 'off') {
    const { relayInfoOf } = await import('./relay.js')
    const { startWeb } = await import('./links/web.js')
    const { guestPageFiles } = await import('./guest/web.js')
    const files = await guestPageFiles()
    if (typeof files === 'string') log.warn(files)
    web = await startWeb({ listen: config.web, link: relay.link(), info: relayInfoOf(config), ...(typeof files !== 'string' ? { files } : {}) })
    const webUrl = config.webUrl ?? listenedWebUrl(web.url)
    if (webUrl != null) relay.publishWebUrl(webUrl)
    else log.warn('the web page listens on every address: set --web-url to publish its public address in relay-info')
    log.info({ url: web.url, published: webUrl ?? null }, 'web page listening')
  }
  const started = relay
  installShutdown({
    log,
    drainTimeoutMs: config.drainTimeout * 1000,
    stop: async () => {
      await started.stop()
      await http?.close()
      await web?.close()
      await stun?.close()
    }
  })
  log.info({ peerId: relay.peerId.toString(), addrs: relay.addrs(), link: relay.link() }, 'listening')
}
