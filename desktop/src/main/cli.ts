#!/usr/bin/env node
// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `sotto-desktop`: starts the Electron app, or with `--headless` runs the same main-side service
 * without Electron and serves the app to a browser on loopback.
 *
 *   sotto-desktop --headless --port 8080 --data ~/.local/share/sotto [--host 127.0.0.1]
 *
 * Prints one JSON line `{"event":"ready","url":...}` on stdout once it serves; logs go to stderr.
 */
import { spawn } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { fetchRelayInfo, loadMessengerFactory } from './core-loader.js'
import { createDesktopService } from './desktop-service.js'
import { startHeadlessServer } from './headless-server.js'
import { isLoopback } from './host-policy.js'
import { pinoLoggers } from './logger.js'
import { defaultRelays } from './relays.js'
import { RENDERER_DIR } from './renderer-files.js'
import type { MessengerFactory } from './desktop-service.js'

const USAGE = `Usage:
  sotto-desktop                      start the desktop app (needs Electron)
  sotto-desktop --headless [options] serve the app to a browser instead

Options (headless):
  --port N          port to serve on (default 0: any free port)
  --data DIR        data directory (default ~/.local/share/sotto-desktop)
  --host ADDR       address to bind (default 127.0.0.1; anything else exposes the app to the network
                    and needs --allow-host, and TLS or a tunnel in front)
  --allow-host NAME a host name the app may be reached by besides loopback (repeatable)
  --relay ADDR      a relay to offer during set-up (repeatable; also SOTTO_RELAYS, comma-separated)
                    (relay links listed in relays.txt or relays.json, in the data directory or
                    beside the app, are offered too)
  --listen ADDR     a libp2p listen multiaddr (repeatable)
  --no-mdns         no LAN discovery for this run

Environment: SOTTO_PASSPHRASE (the storage passphrase), SOTTO_LOG_LEVEL.`

/** Parsed command line of headless mode. */
export interface HeadlessArgs {
  /** Port, 0 for any. */
  port: number
  /** Data directory. */
  dataDir: string
  /** Bind address. */
  host: string
  /** Host names the app may be reached by besides loopback; required beyond loopback. */
  allowedHosts: string[]
  /** Relays offered. */
  relays: string[]
  /** Listen multiaddrs. */
  listen: string[]
  /** mDNS off for this run. */
  noMdns: boolean
}

/** Parses headless mode's arguments; throws a TypeError on bad input. */
export function parseHeadlessArgs (argv: string[]): HeadlessArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      headless: { type: 'boolean' },
      port: { type: 'string', default: '0' },
      data: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-host': { type: 'string', multiple: true, default: [] },
      relay: { type: 'string', multiple: true, default: [] },
      listen: { type: 'string', multiple: true, default: [] },
      'no-mdns': { type: 'boolean', default: false }
    },
    strict: true,
    allowPositionals: false
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('--port must be 0–65535')
  if (!isLoopback(values.host) && values['allow-host'].length === 0) {
    throw new TypeError(`--host ${values.host} exposes Sotto to the network: name the host names it is reached by with ` +
      '--allow-host NAME (repeatable), and put TLS or a tunnel in front')
  }
  return {
    port,
    dataDir: resolve(values.data ?? join(homedir(), '.local', 'share', 'sotto-desktop')),
    host: values.host,
    allowedHosts: values['allow-host'],
    relays: values.relay,
    listen: values.listen,
    noMdns: values['no-mdns']
  }
}

/** Runs headless mode until SIGINT/SIGTERM. `createMessenger` defaults to `@sotto/core`'s. */
export async function runHeadless (args: HeadlessArgs, createMessenger?: MessengerFactory): Promise<void> {
  const logger = pinoLoggers()
  const log = logger.forComponent('desktop:cli')
  // The network stack is imported on first use, after the page is served: importing it takes
  // longer than everything else here together.
  let loading: Promise<MessengerFactory> | undefined
  const factory: MessengerFactory = async options => {
    loading ??= createMessenger != null ? Promise.resolve(createMessenger) : loadMessengerFactory()
    return (await loading)(options)
  }
  const passphrase = process.env.SOTTO_PASSPHRASE
  const service = createDesktopService({
    dataDir: args.dataDir,
    createMessenger: factory,
    defaultRelays: defaultRelays(process.env, args.relays),
    fetchRelayInfo,
    // A distributor's relays.txt / relays.json beside the app (the package's directory).
    relayListDirs: [fileURLToPath(new URL('../../../', import.meta.url))],
    messengerOptions: {
      ...(args.listen.length > 0 ? { listen: args.listen } : {}),
      ...(args.noMdns ? { mdns: false } : {})
    },
    logger,
    ...(passphrase != null && passphrase !== '' ? { passphrase } : {})
  })
  const server = await startHeadlessServer({ service, rendererDir: RENDERER_DIR, host: args.host, allowedHosts: args.allowedHosts, port: args.port, logger })
  if (!isLoopback(args.host)) {
    process.stderr.write(`sotto-desktop: WARNING: serving on ${args.host} for ${args.allowedHosts.join(', ')} over plain HTTP. ` +
      'The page and its token must reach the browser through TLS (a reverse proxy) or a tunnel (SSH, WireGuard).\n')
  }

  let signals = 0
  const shutdown = (): void => {
    // The first signal shuts down cleanly; a second one does not wait.
    if (++signals > 1) process.exit(1)
    log.info('shutting down')
    void Promise.all([server.close(), service.stop()]).then(() => { process.exit(0) }, () => { process.exit(1) })
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)

  process.stdout.write(JSON.stringify({ event: 'ready', url: server.url }) + '\n')
  const status = await service.start()
  log.info('started', { phase: status.phase })
  if (status.online) process.stdout.write(JSON.stringify({ event: 'online' }) + '\n')
  else {
    const off = service.subscribe(event => {
      if (event.name === 'app' && event.payload.online) {
        off()
        process.stdout.write(JSON.stringify({ event: 'online' }) + '\n')
      }
    })
  }
}

/** Starts Electron on this app; explains headless mode where Electron is missing. */
async function runElectron (argv: string[]): Promise<void> {
  let electronPath: string
  try {
    // Under Node, the electron package exports the path of its binary; it throws when there is none.
    electronPath = createRequire(import.meta.url)('electron') as string
  } catch {
    process.stderr.write('Electron is not installed here. Serve the app to a browser instead:\n' +
      '  sotto-desktop --headless --port 8080 --data ~/.local/share/sotto-desktop\n')
    process.exit(1)
  }
  const appDir = fileURLToPath(new URL('../../../', import.meta.url))
  const child = spawn(electronPath, [appDir, ...argv], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { child.kill(signal) })
  child.on('exit', code => { process.exit(code ?? 1) })
}

async function main (argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n')
    return
  }
  if (!argv.includes('--headless')) {
    await runElectron(argv)
    return
  }
  let args: HeadlessArgs
  try {
    args = parseHeadlessArgs(argv)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`)
    process.exit(2)
  }
  await runHeadless(args)
}

if (process.argv[1] != null && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(`sotto-desktop needs Node.js 22.12 or newer (this is ${process.versions.node})\n`)
    process.exit(1)
  }
  main(process.argv.slice(2)).catch(err => {
    process.stderr.write(`sotto-desktop: ${(err as Error).message}\n`)
    process.exit(1)
  })
}
