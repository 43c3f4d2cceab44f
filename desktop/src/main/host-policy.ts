// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Which Host and Origin headers headless mode answers. A page elsewhere can make a browser send
 * requests here under its own name (DNS rebinding), so every HTTP and WebSocket request must name
 * this server: a loopback name with its port, or one of the host names the user allowed when
 * binding beyond loopback (reached through a TLS tunnel or proxy, so on any port).
 */
import { isIP } from 'node:net'
import { UnsafeBindError } from './errors.js'

/** A host name or IP address as `--allow-host` takes it. */
const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

/** Whether `host` is a loopback address or name. */
export function isLoopback (host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (h === 'localhost' || h === '::1') return true
  return isIP(h) === 4 && h.startsWith('127.')
}

/** The host part of a Host header (`name`, `name:port`, `[v6]:port`), lower-cased, and its port. */
export function splitHost (header: string): { name: string, port: string | undefined } | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(header)
  if (match == null) return undefined
  return { name: match[1]!.toLowerCase(), port: match[2] }
}

/** The Host and Origin checks of one server. */
export interface HostPolicy {
  /** Whether a Host header names this server. */
  hostAllowed(header: string | undefined): header is string
  /** Whether an Origin header is this server's own page as reached under `hostHeader`. */
  originAllowed(origin: string | undefined, hostHeader: string): boolean
  /** Whether `hostHeader` is one of the allowed names (not loopback): then it may come over TLS. */
  isAllowedName(hostHeader: string): boolean
}

/**
 * Checks the bind and builds the policy. Binding beyond loopback without allowed names throws
 * `UnsafeBindError`, as does a malformed name.
 */
export function hostPolicy ({ bindHost, allowedHosts }: { bindHost: string, allowedHosts: readonly string[] }): HostPolicy & { bind(port: number): void } {
  for (const name of allowedHosts) {
    if (!HOST_NAME.test(name) && isIP(name.replace(/^\[(.*)\]$/, '$1')) === 0) throw new UnsafeBindError(`--allow-host ${JSON.stringify(name)} is not a host name`)
  }
  if (!isLoopback(bindHost) && allowedHosts.length === 0) {
    throw new UnsafeBindError(`Binding to ${bindHost} exposes Sotto to the network: name the host names it is reached by ` +
      'with --allow-host NAME (repeatable), and reach it through TLS or a tunnel, since the page and its token travel unencrypted')
  }
  const names = new Set(allowedHosts.map(n => n.toLowerCase()))
  const loopback = new Set<string>()
  const nameOf = (header: string): string | undefined => splitHost(header)?.name
  return {
    bind (port: number) {
      const own = isIP(bindHost) === 6 ? `[${bindHost}]` : bindHost
      for (const name of ['127.0.0.1', 'localhost', '[::1]', ...(isLoopback(bindHost) ? [own] : [])]) loopback.add(`${name}:${port}`)
    },
    hostAllowed (header): header is string {
      if (header == null) return false
      if (loopback.has(header.toLowerCase())) return true
      const name = nameOf(header)
      return name != null && names.has(name)
    },
    originAllowed (origin, hostHeader) {
      if (origin === `http://${hostHeader}`) return true
      return origin === `https://${hostHeader}` && this.isAllowedName(hostHeader)
    },
    isAllowedName (hostHeader) {
      const name = nameOf(hostHeader)
      return name != null && names.has(name)
    }
  }
}
