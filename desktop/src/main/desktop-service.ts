// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The main-side service of the desktop app: it owns the messenger, answers every call of the IPC
 * contract after validating its payload, and pushes the messenger's events. It knows nothing of
 * Electron or WebSockets: the Electron glue and the headless server are thin adapters around it.
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { isMethod } from '../shared/channels.js'
import { inviteLinkSchema, requestSchemas } from '../shared/contract.js'
import type { Method } from '../shared/channels.js'
import type {
  AppStatus, ContactView, ErrorView, Events, MessageView, Phase, PushedEvent, RelayView, Replies,
  Requests, Result
} from '../shared/contract.js'
import {
  BugError, EXPOSED_ERROR_NAMES, InvalidPayloadError, NotReadyError, PassphraseRequiredError,
  UnknownMethodError, UnsupportedError, WrongPhaseError
} from './errors.js'
import { DEFAULT_PREFS, readConfig, writeConfig } from './desktop-config.js'
import { notificationFor } from './notifications.js'
import { contactView, identityView, messageView, settingsView } from './views.js'
import type { DesktopConfig, RelayEntry, RelayInfo } from './desktop-config.js'
import type { KeyVault } from './key-vault.js'
import type { NotificationContent } from './notifications.js'
import type { KeySource, LoggerFactory, Messenger, MessengerEvents, MessengerOptions, RelayInfo as RelayInfoOfCore, RelayView as HomeRelay } from '@sotto/core'

/** Creates a messenger: `createMessenger` from `@sotto/core`, injected so tests can run without it. */
export type MessengerFactory = (options: MessengerOptions) => Promise<Messenger>

/** What the service needs. */
export interface DesktopServiceInit {
  /** The app's data directory; the messenger's own data lives in `<dataDir>/messenger`. */
  dataDir: string
  /** The messenger factory. */
  createMessenger: MessengerFactory
  /** The OS keychain (Electron's `safeStorage`); absent in headless mode. */
  keyVault?: KeyVault
  /** A passphrase supplied by the environment (`SOTTO_PASSPHRASE`). */
  passphrase?: string
  /** Relays offered in onboarding. */
  defaultRelays?: RelayInfo[]
  /** Passed through to the messenger (listen addresses, mDNS override, ICE servers, scrypt cost). */
  messengerOptions?: Pick<MessengerOptions, 'listen' | 'mdns' | 'iceServers' | 'scryptLogN'>
  /**
   * Reads what a relay publishes about itself (`fetchRelayInfo` of `@sotto/core`), so onboarding
   * shows the operator and jurisdiction of the offered relays before the user picks them.
   */
  fetchRelayInfo?: (address: string) => Promise<Pick<RelayInfoOfCore, 'operator' | 'jurisdiction' | 'contact' | 'retentionSeconds'>>
  /** Opens an https link outside the app after the user confirmed; absent where the renderer does it. */
  openLink?: (url: string) => Promise<boolean>
  /** Loggers. */
  logger?: LoggerFactory
}

/** The main-side service. */
export interface DesktopService {
  /** Opens the messenger if the data directory is set up and unlockable; resolves with the status. */
  start(): Promise<AppStatus>
  /** Answers one call. Never throws: bad input and failures come back as `{ ok: false }`. */
  dispatch(method: unknown, payload: unknown): Promise<Result<unknown>>
  /** Current status. */
  status(): AppStatus
  /** Unread incoming messages and pending requests, for the tray. */
  unreadTotal(): number
  /** The notification to show for an incoming message under the user's preferences. */
  notificationFor(message: MessageView): Promise<NotificationContent | undefined>
  /** Subscribes to pushed events; returns the function that unsubscribes. */
  subscribe(listener: (event: PushedEvent) => void): () => void
  /**
   * An invite link opened from outside the app (a `sotto://invite/` link clicked elsewhere). It
   * is held until the renderer takes it with `pendingInvite` and pushed as an `invite` event; the
   * user still confirms adding the contact. Returns false, ignoring it, when it is no invite link.
   */
  offerInvite(link: string): boolean
  /** Stops the messenger (flushing its outbox state) and the service. Safe to call twice. */
  stop(): Promise<void>
}

type Handlers = { [M in Method]: (request: Requests[M]) => Promise<Replies[M]> }

/** The messenger's own data directory, inside the app's. */
const MESSENGER_DIR = 'messenger'

/** Creates the service. Call {@link DesktopService.start} next. */
export function createDesktopService (init: DesktopServiceInit): DesktopService {
  const log = init.logger?.forComponent('desktop:service')
  const listeners = new Set<(event: PushedEvent) => void>()
  const messengerDir = join(init.dataDir, MESSENGER_DIR)

  let phase: Phase = 'starting'
  let config: DesktopConfig | undefined
  let messenger: Messenger | undefined
  let lastError: ErrorView | undefined
  let online = false
  let unread = 0
  let onlineTimer: ReturnType<typeof setTimeout> | undefined
  let opening: Promise<void> | undefined
  let stopping: Promise<void> | undefined
  let sending: Promise<unknown> = Promise.resolve()
  let pendingInvite: string | undefined
  /** What the offered relays published, by address, once read (onboarding). */
  const published = new Map<string, Pick<RelayInfoOfCore, 'operator' | 'jurisdiction' | 'contact' | 'retentionSeconds'>>()
  const unsubscribers: Array<() => void> = []

  const push = <E extends PushedEvent['name']>(name: E, payload: Events[E]): void => {
    const event = { name, payload } as PushedEvent
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (err) {
        log?.error('event listener failed', { event: name, error: (err as Error).name })
      }
    }
  }

  const status = (): AppStatus => {
    const s: AppStatus = {
      phase,
      keyStorage: init.keyVault?.available() === true ? 'keychain' : 'passphrase',
      passphraseProvided: init.passphrase != null,
      defaultRelays: (init.defaultRelays ?? []).map(r => relayView({ ...r, source: 'default', enabled: true })),
      online
    }
    if (messenger != null && phase === 'ready') s.identity = identityView(messenger.identity())
    if (lastError != null) s.error = lastError
    return s
  }

  const setPhase = (next: Phase, error?: ErrorView): void => {
    phase = next
    lastError = error
    push('app', status())
  }

  const requireMessenger = (): Messenger => {
    if (messenger == null || phase !== 'ready') throw new NotReadyError('Sotto is not running yet')
    return messenger
  }

  const requireConfig = (): DesktopConfig => {
    if (config == null) throw new NotReadyError('Sotto is not set up yet')
    return config
  }

  const refreshUnread = async (): Promise<void> => {
    const m = messenger
    if (m == null) return
    try {
      const [contacts, requests] = await Promise.all([m.contacts(), m.requests()])
      const total = contacts.reduce((n, c) => n + (c.blocked ? 0 : c.unread), 0) +
        requests.filter(r => !r.blocked).length
      if (total !== unread) {
        unread = total
        push('unread', { total })
      }
    } catch (err) {
      log?.warn('could not count unread messages', { error: (err as Error).name })
    }
  }

  /**
   * Online: listening, and with home relays, holding a reservation at one of them (so contacts can
   * reach this messenger). Checked at start, on every relay event, and again, less and less often,
   * until then.
   */
  const checkOnline = (delay?: number): void => {
    const m = messenger
    if (m == null || phase !== 'ready' || online) return
    void m.relays().then(relays => {
      if (messenger !== m || phase !== 'ready' || online) return
      const isOnline = relays.length === 0 ? m.addresses().length > 0 : relays.some(r => r.reserved)
      if (isOnline) {
        online = true
        clearTimeout(onlineTimer)
        log?.info('online', { relays: relays.length })
        push('app', status())
      } else if (delay != null) {
        onlineTimer = setTimeout(() => { checkOnline(Math.min(delay * 2, 5000)) }, delay)
        onlineTimer.unref?.()
      }
    }, err => { log?.warn('could not list relays', { error: (err as Error).name }) })
  }

  const subscribeMessenger = (m: Messenger): void => {
    const on = <K extends keyof MessengerEvents>(event: K, listener: (e: MessengerEvents[K]) => void): void => {
      m.on(event, listener)
      unsubscribers.push(() => { m.off(event, listener) })
    }
    on('message', message => {
      push('message', messageView(message))
      void refreshUnread()
    })
    on('status', s => {
      const payload: Events['status'] = { id: s.id, contactId: s.contactId, state: s.state }
      if (s.failure != null) payload.failure = s.failure
      push('status', payload)
    })
    on('request', contact => {
      push('request', contactView(contact))
      void refreshUnread()
    })
    on('contact', contact => {
      push('contact', contactView(contact))
      void refreshUnread()
    })
    on('connection', c => { push('connection', { contactId: c.contactId, presence: c.presence }) })
    on('expired', e => {
      push('expired', { contactId: e.contactId, ids: [...e.ids] })
      void refreshUnread()
    })
    on('relay', r => {
      push('relay', homeRelayView(r))
      checkOnline()
    })
  }

  /**
   * Opens the messenger with `keySource`; on failure the phase becomes `failPhase` with the error.
   * Relays are given at set-up only: from then on the messenger keeps its list of home relays.
   */
  const open = async (keySource: KeySource, options: { name?: string, relays?: string[], failPhase: Phase }): Promise<void> => {
    requireConfig()
    setPhase('starting')
    const messengerOptions: MessengerOptions = {
      ...init.messengerOptions,
      dataDir: messengerDir,
      keySource
    }
    if (options.relays != null) messengerOptions.relays = options.relays
    if (options.name != null) messengerOptions.name = options.name
    if (init.logger != null) messengerOptions.logger = init.logger
    try {
      const m = await init.createMessenger(messengerOptions)
      messenger = m
      subscribeMessenger(m)
      setPhase('ready')
      log?.info('messenger ready')
      void refreshUnread()
      checkOnline(50)
    } catch (err) {
      const error = errorView(err, log)
      log?.warn('messenger did not start', { error: error.name })
      setPhase(options.failPhase, error)
      throw err
    }
  }

  const guarded = (work: () => Promise<void>): Promise<void> => {
    if (opening != null) throw new WrongPhaseError('Sotto is already starting')
    opening = work().finally(() => { opening = undefined })
    return opening
  }

  /** A relay offered in onboarding: what it published when asked, else what Sotto's list says. */
  const relayView = (r: RelayEntry): RelayView => {
    const info = published.get(r.address)
    const view: RelayView = { address: r.address, source: r.source, enabled: r.enabled, reachable: info != null, reserved: false, mailboxReady: false }
    const operator = info?.operator ?? r.operator
    const jurisdiction = info?.jurisdiction ?? r.jurisdiction
    if (operator != null) view.operator = operator
    if (jurisdiction != null) view.jurisdiction = jurisdiction
    if (info != null) {
      view.contact = info.contact
      view.retentionSeconds = info.retentionSeconds
    }
    return view
  }

  /** Asks each offered relay what it publishes; the status is pushed again as answers come. */
  const askOfferedRelays = (): void => {
    const fetch = init.fetchRelayInfo
    if (fetch == null) return
    for (const { address } of init.defaultRelays ?? []) {
      fetch(address).then(info => {
        published.set(address, info)
        if (phase === 'setup') push('app', status())
      }, (err: Error) => { log?.info('an offered relay did not answer', { relay: address, error: err.name }) })
    }
  }

  /** A home relay of the messenger: what the relay itself publishes, and its state. */
  const homeRelayView = (r: HomeRelay): RelayView => {
    const view: RelayView = {
      address: r.addr,
      source: (init.defaultRelays ?? []).some(d => d.address === r.addr) ? 'default' : 'user',
      enabled: true,
      reachable: r.reachable,
      reserved: r.reserved,
      mailboxReady: r.mailboxReady
    }
    if (r.info != null) {
      view.operator = r.info.operator
      view.contact = r.info.contact
      view.jurisdiction = r.info.jurisdiction
      view.retentionSeconds = r.info.retentionSeconds
    }
    return view
  }

  const saveConfig = async (next: DesktopConfig): Promise<void> => {
    await writeConfig(init.dataDir, next)
    config = next
  }

  const contactViewOf = async (promise: Promise<Parameters<typeof contactView>[0]>): Promise<ContactView> =>
    contactView(await promise)

  const handlers: Handlers = {
    status: async () => status(),
    setup: async ({ name, passphrase, relays }) => {
      if (phase !== 'setup') throw new WrongPhaseError('Sotto is already set up')
      const secret = passphrase ?? init.passphrase
      const useKeychain = secret == null
      if (useKeychain && init.keyVault?.available() !== true) {
        throw new PassphraseRequiredError('This system has no keychain: choose a passphrase')
      }
      const defaults = init.defaultRelays ?? []
      const chosen: RelayEntry[] = relays.map(address => {
        const known = defaults.find(d => d.address === address)
        const entry: RelayEntry = { address, source: known != null ? 'default' : 'user', enabled: true }
        if (known?.operator != null) entry.operator = known.operator
        if (known?.jurisdiction != null) entry.jurisdiction = known.jurisdiction
        return entry
      })
      await mkdir(init.dataDir, { recursive: true, mode: 0o700 })
      await guarded(async () => {
        let keySource: KeySource
        if (useKeychain) {
          keySource = { kind: 'host-key', key: await init.keyVault!.create() }
        } else {
          keySource = { kind: 'passphrase', passphrase: secret }
        }
        await saveConfig({ version: 1, keyMode: useKeychain ? 'host-key' : 'passphrase', relays: chosen, prefs: { ...DEFAULT_PREFS } })
        try {
          await open(keySource, { name, relays: chosen.map(r => r.address), failPhase: 'setup' })
        } catch (err) {
          // A fresh set-up that failed leaves nothing behind, so it can be tried again.
          await rm(join(init.dataDir, 'desktop.json'), { force: true })
          await rm(messengerDir, { recursive: true, force: true })
          if (useKeychain) await init.keyVault!.remove()
          config = undefined
          throw err
        }
      })
      return status()
    },
    unlock: async ({ passphrase }) => {
      if (phase !== 'locked') throw new WrongPhaseError('Sotto is not locked')
      await guarded(async () => { await open({ kind: 'passphrase', passphrase }, { failPhase: 'locked' }) })
      return status()
    },
    identity: async () => identityView(requireMessenger().identity()),
    createInvite: async () => {
      const m = requireMessenger()
      // The QR code carries the compact form: with relays, the link is too long for one.
      const [link, qr] = await Promise.all([m.invite(), m.inviteQr()])
      return { link, qr }
    },
    contacts: async () => (await requireMessenger().contacts()).map(contactView),
    contact: async ({ contactId }) => contactViewOf(requireMessenger().contact(contactId)),
    addContact: async ({ invite, alias }) =>
      contactViewOf(requireMessenger().addContact(invite, alias != null ? { alias } : undefined)),
    renameContact: async ({ contactId, alias }) => contactViewOf(requireMessenger().setAlias(contactId, alias)),
    block: async ({ contactId }) => {
      const c = await contactViewOf(requireMessenger().block(contactId))
      void refreshUnread()
      return c
    },
    unblock: async ({ contactId }) => contactViewOf(requireMessenger().unblock(contactId)),
    deleteContact: async ({ contactId }) => {
      await requireMessenger().deleteContact(contactId)
      void refreshUnread()
      return null
    },
    setVerified: async ({ contactId, verified }) => contactViewOf(requireMessenger().setVerified(contactId, verified)),
    acceptKeyChange: async ({ contactId }) => contactViewOf(requireMessenger().acceptIdentityChange(contactId)),
    setDisappearing: async ({ contactId, seconds }) => contactViewOf(requireMessenger().setDisappearing(contactId, seconds)),
    requests: async () => (await requireMessenger().requests()).map(contactView),
    accept: async ({ contactId }) => {
      const c = await contactViewOf(requireMessenger().accept(contactId))
      void refreshUnread()
      return c
    },
    history: async ({ contactId, before, limit }) => {
      const options: { before?: string, limit?: number } = {}
      if (before != null) options.before = before
      if (limit != null) options.limit = limit
      return (await requireMessenger().history(contactId, options)).map(messageView)
    },
    send: async ({ contactId, text }) => {
      const m = requireMessenger()
      // One send at a time, in the order the calls came: the messenger numbers a message only
      // once it holds its lock, so two sends in flight could be stored (and shown) swapped.
      const sent = sending.then(() => m.send(contactId, text))
      sending = sent.catch(() => {})
      return messageView(await sent)
    },
    markRead: async ({ contactId }) => {
      await requireMessenger().markRead(contactId)
      await refreshUnread()
      return null
    },
    settings: async () => settingsView(await requireMessenger().settings(), requireConfig().prefs),
    updateSettings: async (patch) => {
      const m = requireMessenger()
      const { theme, notifications, notificationPreview, ...core } = patch
      const settings = Object.keys(core).length > 0 ? await m.updateSettings(core) : await m.settings()
      const cfg = requireConfig()
      const prefs = { ...cfg.prefs }
      if (theme != null) prefs.theme = theme
      if (notifications != null) prefs.notifications = notifications
      if (notificationPreview != null) prefs.notificationPreview = notificationPreview
      if (theme != null || notifications != null || notificationPreview != null) await saveConfig({ ...cfg, prefs })
      return settingsView(settings, prefs)
    },
    relays: async () => (await requireMessenger().relays()).map(homeRelayView),
    addRelay: async ({ address }) => {
      const m = requireMessenger()
      await m.addRelay(address)
      return (await m.relays()).map(homeRelayView)
    },
    removeRelay: async ({ address }) => {
      const m = requireMessenger()
      await m.removeRelay(address)
      return (await m.relays()).map(homeRelayView)
    },
    openLink: async ({ url }) => {
      if (init.openLink == null) throw new UnsupportedError('Links are opened by the browser in this mode')
      return { opened: await init.openLink(url) }
    },
    pendingInvite: async () => {
      const invite = pendingInvite ?? null
      pendingInvite = undefined
      return { invite }
    }
  }

  return {
    async start () {
      try {
        config = await readConfig(init.dataDir)
      } catch (err) {
        setPhase('failed', errorView(err, log))
        return status()
      }
      if (config == null) {
        setPhase('setup')
        askOfferedRelays()
        return status()
      }
      try {
        if (config.keyMode === 'host-key') {
          const key = await init.keyVault?.load()
          if (key == null) {
            setPhase('failed', { name: 'KeychainError', message: 'The storage key is missing from the OS keychain' })
            return status()
          }
          await guarded(() => open({ kind: 'host-key', key }, { failPhase: 'failed' }))
        } else if (init.passphrase != null) {
          await guarded(() => open({ kind: 'passphrase', passphrase: init.passphrase! }, { failPhase: 'locked' }))
        } else {
          setPhase('locked')
        }
      } catch (err) {
        if (phase === 'starting') setPhase('failed', errorView(err, log))
      }
      return status()
    },

    async dispatch (method, payload) {
      if (!isMethod(method)) return failure(new UnknownMethodError('Unknown call'), log)
      if (stopping != null) return failure(new NotReadyError('Sotto is shutting down'), log)
      const parsed = requestSchemas[method].safeParse(payload)
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map(i => `${i.path.length > 0 ? i.path.join('.') : 'payload'}: ${i.message}`)
          .join('; ')
        return failure(new InvalidPayloadError(`Invalid ${method} request (${detail})`), log)
      }
      try {
        const handler = handlers[method] as (request: unknown) => Promise<unknown>
        return { ok: true, value: await handler(parsed.data) }
      } catch (err) {
        return failure(err, log)
      }
    },

    status,

    unreadTotal: () => unread,

    async notificationFor (message) {
      const cfg = config
      if (cfg == null || messenger == null) return undefined
      let contact: ContactView | undefined
      try {
        contact = contactView(await messenger.contact(message.contactId))
      } catch {
        contact = undefined
      }
      return notificationFor(message, contact, cfg.prefs)
    },

    subscribe (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },

    offerInvite (link) {
      const parsed = inviteLinkSchema.safeParse(link.trim())
      if (!parsed.success || stopping != null) {
        log?.warn('ignored a link that is not an invite')
        return false
      }
      pendingInvite = parsed.data
      push('invite', { invite: parsed.data })
      return true
    },

    stop () {
      stopping ??= (async () => {
        clearTimeout(onlineTimer)
        await opening?.catch(() => {})
        for (const unsubscribe of unsubscribers.splice(0)) unsubscribe()
        const m = messenger
        messenger = undefined
        if (m != null) await m.stop()
        setPhase('stopped')
        listeners.clear()
        log?.info('stopped')
      })()
      return stopping
    }
  }
}

/** An error as it may cross the boundary: known names keep their message, others become generic. */
export function errorView (err: unknown, log?: ReturnType<LoggerFactory['forComponent']>): ErrorView {
  if (err instanceof Error && EXPOSED_ERROR_NAMES.has(err.name)) {
    return { name: err.name, message: err.message }
  }
  if (err instanceof BugError) log?.error('bug', { error: err.name, message: err.message })
  else log?.error('unexpected error', { error: err instanceof Error ? err.name : typeof err })
  return { name: 'InternalError', message: 'Something went wrong inside Sotto; see the log for details' }
}

function failure (err: unknown, log?: ReturnType<LoggerFactory['forComponent']>): Result<never> {
  return { ok: false, error: errorView(err, log) }
}
