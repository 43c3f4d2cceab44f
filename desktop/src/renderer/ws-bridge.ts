// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `window.sotto` for a browser in headless mode: the IPC contract over the server's WebSocket,
 * authenticated by the per-start token from the URL fragment.
 */
import { EVENT_NAMES, METHODS } from '../shared/channels.js'
import { subscriberName } from '../shared/api.js'
import { HEADLESS_SUBPROTOCOL, TOKEN_PATTERN, TOKEN_PROTOCOL_PREFIX } from '../shared/headless.js'
import type { SottoBridge } from '../shared/api.js'
import type { EventName, Method } from '../shared/channels.js'
import type { Events, Result } from '../shared/contract.js'
import type { ServerFrame } from '../shared/headless.js'

const TOKEN_KEY = 'sotto.token'

/**
 * The token for this page: from `#token=…` (then removed from the address bar so it does not show
 * in screenshots or history), else from this tab's session storage.
 */
export function takeToken (location: Location, history: History, storage: Storage): string | undefined {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (match?.[1] != null && TOKEN_PATTERN.test(match[1])) {
    storage.setItem(TOKEN_KEY, match[1])
    history.replaceState(null, '', location.pathname + location.search)
    return match[1]
  }
  const stored = storage.getItem(TOKEN_KEY)
  return stored != null && TOKEN_PATTERN.test(stored) ? stored : undefined
}

/** Options for {@link connectWebSocketBridge}. */
export interface WebSocketBridgeInit {
  /** `ws://host:port/ipc`. */
  url: string
  /** The per-start token. */
  token: string
  /** Asks the user before a link opens; `window.confirm` by default. */
  confirm?: (question: string) => boolean
  /** Opens a link; `window.open` by default. */
  open?: (url: string) => void
  /** Called when the connection drops for good. */
  onDisconnect?: () => void
}

/** A bridge over a WebSocket. Calls made while it connects wait; calls after it closed fail. */
export function connectWebSocketBridge (init: WebSocketBridgeInit): SottoBridge {
  const socket = new WebSocket(init.url, [HEADLESS_SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX + init.token])
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  let nextId = 1
  let closed = false
  const opened = new Promise<void>(resolve => { socket.addEventListener('open', () => { resolve() }, { once: true }) })

  socket.addEventListener('message', event => {
    let frame: ServerFrame
    try {
      frame = JSON.parse(String(event.data)) as ServerFrame
    } catch {
      return
    }
    if ('id' in frame) {
      pending.get(frame.id)?.(frame.result)
      pending.delete(frame.id)
    } else if ('event' in frame) {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload)
    }
  })
  socket.addEventListener('close', () => {
    closed = true
    for (const resolve of pending.values()) resolve({ ok: false, error: { name: 'DisconnectedError', message: 'The connection to Sotto was lost; reload the page' } })
    pending.clear()
    init.onDisconnect?.()
  })

  const call = async (method: Method, payload?: unknown): Promise<Result<unknown>> => {
    await Promise.race([opened, new Promise(resolve => { socket.addEventListener('close', resolve, { once: true }) })])
    if (closed || socket.readyState !== WebSocket.OPEN) {
      return { ok: false, error: { name: 'DisconnectedError', message: 'The connection to Sotto was lost; reload the page' } }
    }
    const id = nextId++
    return new Promise(resolve => {
      pending.set(id, resolve)
      socket.send(JSON.stringify(payload === undefined ? { id, method } : { id, method, payload }))
    })
  }

  const bridge: Record<string, unknown> = {}
  for (const method of METHODS) {
    if (method !== 'openLink') bridge[method] = (payload?: unknown) => call(method, payload)
  }
  bridge.openLink = async ({ url }: { url: string }): Promise<Result<{ opened: boolean }>> => {
    if (!/^https:\/\//.test(url)) return { ok: false, error: { name: 'InvalidPayloadError', message: 'Only https links open' } }
    const ask = init.confirm ?? ((q: string) => window.confirm(q))
    if (!ask(`Open this link in a new tab?\n\n${url}`)) return { ok: true, value: { opened: false } }
    ;(init.open ?? ((u: string) => { window.open(u, '_blank', 'noopener,noreferrer') }))(url)
    return { ok: true, value: { opened: true } }
  }
  for (const event of EVENT_NAMES) {
    bridge[subscriberName(event)] = (listener: (payload: Events[typeof event]) => void) => {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      const wrapped = (payload: unknown): void => { listener(payload as Events[typeof event]) }
      set.add(wrapped)
      return () => { set.delete(wrapped) }
    }
  }
  return Object.freeze(bridge) as unknown as SottoBridge
}
