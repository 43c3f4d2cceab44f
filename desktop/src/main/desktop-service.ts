// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The main-side service of the desktop app: it owns the messenger, answers every call of the IPC
 * contract after validating its payload, and pushes the messenger's events. It knows nothing of
 * Electron or WebSockets: the Electron glue and the headless server are thin adapters around it.
 *
 * Lifecycle (the contract's `Phase`, pushed as the `app` event on every change):
 *
 * ```
 * createDesktopService ─→ starting ─start()─┬→ setup ──setup()──→ starting ─→ ready
 *                                           ├→ locked ─unlock()─→ starting ─→ ready
 *                                           ├→ ready    (keychain key, or SOTTO_PASSPHRASE)
 *                                           └→ failed   (unreadable config, missing key, open failed)
 * any phase ─stop()─→ stopped
 * ```
 *
 * A failed `setup` returns to `setup` (leaving nothing behind) and a wrong passphrase to `locked`.
 * The calls of each area live in `service/*-handlers.ts`; this class holds the state they share.
 */
import { join } from 'node:path'
import { isMethod } from '../shared/channels.js'
import { inviteLinkSchema, relayLinkSchema } from '../shared/contract.js'
import { NotReadyError, UnknownMethodError, WrongPhaseError } from './errors.js'
import { readConfig, writeConfig } from './desktop-config.js'
import { groupSender, notificationFor } from './notifications.js'
import { contactView, identityView } from './views.js'
import { readRelayLists } from './relay-list.js'
import { EventHub } from './service/event-hub.js'
import { running } from './service/handlers.js'
import { MessengerWatch } from './service/messenger-watch.js'
import { RelayViews } from './service/relay-views.js'
import { errorView, failure, parseRequest } from './service/results.js'
import { coreLinkReader } from './core-loader.js'
import { backupHandlers } from './service/backup-handlers.js'
import { contactHandlers } from './service/contact-handlers.js'
import { firstContactHandlers } from './service/first-contact-handlers.js'
import { linkHandlers } from './service/link-handlers.js'
import { conversationHandlers } from './service/conversation-handlers.js'
import { guestHandlers } from './service/guest-handlers.js'
import { messageHandlers } from './service/message-handlers.js'
import { fileHandlers } from './service/file-handlers.js'
import { groupHandlers } from './service/group-handlers.js'
import { FileUploads } from './service/file-uploads.js'
import { FileReaders } from './service/file-readers.js'
import { FileDownloads } from './file-downloads.js'
import { onboardingHandlers } from './service/onboarding-handlers.js'
import { relayHandlers } from './service/relay-handlers.js'
import { securityHandlers } from './service/security-handlers.js'
import { settingsHandlers } from './service/settings-handlers.js'
import type { Handlers } from './service/handlers.js'
import type { OpenMessenger } from './service/onboarding-handlers.js'
import type { Published } from './service/relay-views.js'
import type { AppStatus, ErrorView, MessageView, Phase, PushedEvent, Result } from '../shared/contract.js'
import type { DesktopConfig, HostFeatures, RelayInfo } from './desktop-config.js'
import type { KeyVault } from './key-vault.js'
import type { LinkReader } from './core-loader.js'
import type { NotificationContent, Sender } from './notifications.js'
import type { KeySource, Logger, LoggerFactory, Messenger, MessengerOptions } from '@sotto/core'

export { errorView } from './service/results.js'

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
  fetchRelayInfo?: (address: string) => Promise<Published>
  /**
   * Directories where a distributor may put a relay list (`relays.txt`, `relays.json`), read at
   * start after the data directory's own; see relay-list.ts.
   */
  relayListDirs?: string[]
  /** Lets the window's next camera request through (Electron), when the user pressed "Scan". */
  allowCamera?: () => void
  /** Reads relay links and invites (default: `@sotto/core`'s, loaded on first use). */
  links?: LinkReader
  /** Asks the user where to save a file (the system's save dialog); absent where the page downloads it (headless). */
  chooseSavePath?: (name: string) => Promise<string | undefined>
  /** Opens an https link outside the app after the user confirmed; absent where the renderer does it. */
  openLink?: (url: string) => Promise<boolean>
  /** What the host offers beyond a window (tray, start at login); none by default (headless). */
  features?: HostFeatures
  /** Called with the desktop preferences once read at start, and after each change (to apply them). */
  onPreferences?: (prefs: DesktopConfig['prefs']) => void
  /** Asks where to save a backup (a save dialog); without it, backups go to `<dataDir>/backups`. */
  chooseBackupFile?: (suggested: string) => Promise<string | undefined>
  /** Loggers. */
  logger?: LoggerFactory
}

/** The messenger's own data directory, inside the app's. */
const MESSENGER_DIR = 'messenger'

/** Where files wait between the renderer's upload and the messenger's sealing, inside the app's data directory. */
const UPLOADS_DIR = 'uploads'

/** Creates the service in phase `starting`. Call {@link DesktopService.start} next. */
export function createDesktopService (init: DesktopServiceInit): DesktopService {
  return new DesktopService(init)
}

/** The main-side service; see the lifecycle at the top of this file. */
export class DesktopService {
  private phase: Phase = 'starting'
  private config: DesktopConfig | undefined
  private messenger: Messenger | undefined
  private watch: MessengerWatch | undefined
  private lastError: ErrorView | undefined
  private opening: Promise<void> | undefined
  private stopping: Promise<void> | undefined
  private pendingInvite: string | undefined
  private pendingRelayLink: string | undefined
  private starting: Promise<AppStatus> | undefined
  private readonly log: Logger | undefined
  private readonly events: EventHub
  private readonly relays: RelayViews
  private readonly messengerDir: string
  private readonly handlers: Handlers
  private readonly links: LinkReader
  private readonly uploads: FileUploads
  private readonly readers = new FileReaders()
  /** Files the page downloads once by URL (headless mode, where there is no save dialog). */
  readonly downloads = new FileDownloads()

  constructor (private readonly init: DesktopServiceInit) {
    this.log = init.logger?.forComponent('desktop:service')
    this.events = new EventHub(this.log)
    this.messengerDir = join(init.dataDir, MESSENGER_DIR)
    const relays = new RelayViews({ defaultRelays: init.defaultRelays ?? [], ...(init.fetchRelayInfo != null ? { fetchRelayInfo: init.fetchRelayInfo } : {}), ...(this.log != null ? { log: this.log } : {}) })
    this.relays = relays
    this.links = init.links ?? coreLinkReader()
    this.uploads = new FileUploads(join(init.dataDir, UPLOADS_DIR))
    this.handlers = this.createHandlers()
  }

  /**
   * Opens the messenger if the data directory is set up and unlockable; resolves with the status.
   * Runs once: a second call resolves with the first one's status. Calls that depend on the phase
   * (`setup`, `unlock`) wait until it is known, and start it if nobody has yet.
   */
  start (): Promise<AppStatus> {
    this.starting ??= this.startOnce()
    return this.starting
  }

  private async startOnce (): Promise<AppStatus> {
    try {
      await this.uploads.sweep()
      this.config = await readConfig(this.init.dataDir)
    } catch (err) {
      this.setPhase('failed', errorView(err, this.log))
      return this.status()
    }
    if (this.config != null) this.init.onPreferences?.(this.config.prefs)
    if (this.config == null) {
      this.relays.offer(await readRelayLists([this.init.dataDir, ...this.init.relayListDirs ?? []], this.links, this.log))
      this.setPhase('setup')
      this.relays.askOffered(() => { if (this.phase === 'setup') this.events.push('app', this.status()) })
      return this.status()
    }
    try {
      await this.reopen(this.config)
    } catch (err) {
      if (this.phase === 'starting') this.setPhase('failed', errorView(err, this.log))
    }
    return this.status()
  }

  /** Answers one call. Never throws: bad input and failures come back as `{ ok: false }`. */
  async dispatch (method: unknown, payload: unknown): Promise<Result<unknown>> {
    if (!isMethod(method)) return failure(new UnknownMethodError('Unknown call'), this.log)
    if (this.stopping != null) return failure(new NotReadyError('Sotto is shutting down'), this.log)
    try {
      const request = parseRequest(method, payload)
      const handler = this.handlers[method] as (request: unknown) => Promise<unknown>
      return { ok: true, value: await handler(request) }
    } catch (err) {
      return failure(err, this.log)
    }
  }

  /** Current status. */
  status (): AppStatus {
    const s: AppStatus = {
      phase: this.phase,
      keyStorage: this.init.keyVault?.available() === true ? 'keychain' : 'passphrase',
      passphraseProvided: this.init.passphrase != null,
      defaultRelays: this.relays.offered(),
      online: this.watch?.online ?? false
    }
    if (this.messenger != null && this.phase === 'ready') s.identity = identityView(this.messenger.identity())
    if (this.messenger != null && this.phase === 'ready' && this.messenger.installation().replacedBy != null) s.replaced = true
    if (this.lastError != null) s.error = this.lastError
    return s
  }

  /** Unread incoming messages and pending requests, for the tray. */
  unreadTotal (): number {
    return this.watch?.unread ?? 0
  }

  /** The notification to show for an incoming message under the user's preferences. */
  async notificationFor (message: MessageView): Promise<NotificationContent | undefined> {
    const { config, messenger } = this
    if (config == null || messenger == null) return undefined
    let contact: Sender | undefined
    try {
      contact = message.senderId != null ? await groupSender(messenger, message) : contactView(await messenger.contact(message.contactId))
    } catch {
      contact = undefined
    }
    return notificationFor(message, contact, config.prefs)
  }

  /** Pushes the `notification` for an incoming message, when the preferences allow one. */
  private async pushNotification (message: MessageView): Promise<void> {
    const content = await this.notificationFor(message)
    if (content != null && this.stopping == null) this.events.push('notification', { ...content, contactId: message.contactId })
  }

  /** Subscribes to pushed events; returns the function that unsubscribes. */
  subscribe (listener: (event: PushedEvent) => void): () => void {
    return this.events.subscribe(listener)
  }

  /**
   * A link opened from outside the app (a `sotto://` link clicked elsewhere): an invite is held
   * until the renderer takes it with `pendingInvite` and pushed as an `invite` event; a relay link
   * likewise with `pendingRelayLink` and a `relayLink` event. The user still confirms adding the
   * contact or the relay. Returns false, ignoring it, when it is neither.
   */
  offerLink (link: string): boolean {
    const invite = inviteLinkSchema.safeParse(link.trim())
    const relay = relayLinkSchema.safeParse(link)
    if (this.stopping != null || (!invite.success && !relay.success)) {
      this.log?.warn('ignored a link that is neither an invite nor a relay link')
      return false
    }
    if (invite.success) {
      this.pendingInvite = invite.data
      this.events.push('invite', { invite: invite.data })
    } else if (relay.success) {
      this.pendingRelayLink = relay.data
      this.events.push('relayLink', { link: relay.data })
    }
    return true
  }

  /** Stops the messenger (flushing its outbox state) and the service. Safe to call twice. */
  stop (): Promise<void> {
    this.stopping ??= (async () => {
      await this.opening?.catch(() => {})
      this.watch?.stop()
      await this.uploads.abortAll()
      await this.readers.close()
      const m = this.messenger
      this.messenger = undefined
      if (m != null) await m.stop()
      this.setPhase('stopped')
      this.events.clear()
      this.log?.info('stopped')
    })()
    return this.stopping
  }

  /**
   * Opens an existing set-up: with the keychain's key, the environment's passphrase, or not yet.
   * A change of key source cut short between re-wrapping the store and writing the config leaves
   * the config naming the old one: the other is tried then (see `security-handlers.ts`).
   */
  private async reopen (config: DesktopConfig): Promise<void> {
    if (config.keyMode === 'host-key') {
      const key = await this.init.keyVault?.load()
      if (key == null) {
        this.setPhase('failed', { name: 'KeychainError', message: 'The storage key is missing from the OS keychain' })
        return
      }
      try {
        await this.guarded(() => this.open({ kind: 'host-key', key }, { failPhase: 'failed' }))
      } catch (err) {
        // Switched to a passphrase just before a crash: ask for it.
        if ((err as Error).name === 'WrongPassphraseError') this.setPhase('locked')
        else throw err
      }
      return
    }
    const key = await this.init.keyVault?.load().catch(() => undefined)
    // Switched to the keychain just before a crash: its key opens the store.
    if (key != null && await this.guarded(() => this.open({ kind: 'host-key', key }, { failPhase: 'locked' })).then(() => true, () => false)) return
    if (this.init.passphrase != null) {
      const passphrase = this.init.passphrase
      await this.guarded(() => this.open({ kind: 'passphrase', passphrase }, { failPhase: 'locked' }))
    } else {
      this.setPhase('locked')
    }
  }

  /**
   * Opens the messenger with `keySource`; on failure the phase becomes `failPhase` with the error.
   * Relays are given at set-up only: from then on the messenger keeps its list of home relays.
   */
  private readonly open: OpenMessenger = async (keySource: KeySource, options) => {
    this.requireConfig()
    this.setPhase('starting')
    const messengerOptions: MessengerOptions = { ...this.init.messengerOptions, dataDir: this.messengerDir, keySource }
    if (options.relays != null) messengerOptions.relays = options.relays
    if (options.name != null) messengerOptions.name = options.name
    if (this.init.logger != null) messengerOptions.logger = this.init.logger
    try {
      const m = await this.init.createMessenger(messengerOptions)
      this.messenger = m
      this.watch = new MessengerWatch(m, {
        events: this.events,
        homeRelayView: r => this.relays.homeView(r),
        onOnline: () => { this.events.push('app', this.status()) },
        onMessage: message => { void this.pushNotification(message) },
        ...(this.log != null ? { log: this.log } : {})
      })
      this.watch.start()
      m.on('replaced', () => { this.events.push('app', this.status()) })
      await this.recordKeyMode(keySource.kind)
      this.setPhase('ready')
      this.log?.info('messenger ready')
    } catch (err) {
      const error = errorView(err, this.log)
      this.log?.warn('messenger did not start', { error: error.name })
      this.setPhase(options.failPhase, error)
      throw err
    }
  }

  /** Writes the key source that opened the store into the config, if another was written there. */
  private async recordKeyMode (keyMode: KeySource['kind']): Promise<void> {
    const config = this.requireConfig()
    if (config.keyMode === keyMode) return
    await writeConfig(this.init.dataDir, this.config = { ...config, keyMode })
    if (keyMode === 'passphrase') await this.init.keyVault?.remove()
  }

  private readonly guarded = (work: () => Promise<void>): Promise<void> => {
    if (this.opening != null) throw new WrongPhaseError('Sotto is already starting')
    this.opening = work().finally(() => { this.opening = undefined })
    return this.opening
  }

  private setPhase (next: Phase, error?: ErrorView): void {
    this.phase = next
    this.lastError = error
    this.events.push('app', this.status())
  }

  private requireConfig (): DesktopConfig {
    if (this.config == null) throw new NotReadyError('Sotto is not set up yet')
    return this.config
  }

  /** Every call's handler, by area, over the state this class holds. */
  private createHandlers (): Handlers {
    const messenger = (): Messenger => running(this.messenger, this.phase === 'ready')
    const refreshUnread = async (): Promise<void> => { await this.watch?.refreshUnread() }
    const links = this.links
    const saveConfig = async (next: DesktopConfig): Promise<void> => {
      await writeConfig(this.init.dataDir, next)
      this.config = next
      this.init.onPreferences?.(next.prefs)
    }
    const onboarding = {
      messenger,
      dataDir: this.init.dataDir,
      messengerDir: this.messengerDir,
      ...(this.init.keyVault != null ? { keyVault: this.init.keyVault } : {}),
      ...(this.init.passphrase != null ? { passphrase: this.init.passphrase } : {}),
      phase: () => this.phase,
      // A call that comes before anyone called start (both hosts call it first) starts it itself.
      settled: async () => { await this.start() },
      status: () => this.status(),
      relayEntries: (addresses: readonly string[]) => this.relays.entries(addresses),
      joinLink: async (addr: string, code: string) => links.encodeRelayLink({ addr, code }),
      saveConfig,
      forgetConfig: () => { this.config = undefined },
      open: this.open,
      guarded: this.guarded
    }
    return {
      ...onboardingHandlers(onboarding),
      ...backupHandlers({
        ...onboarding,
        ...(this.init.chooseBackupFile != null ? { chooseBackupFile: this.init.chooseBackupFile } : {}),
        ...(this.init.messengerOptions?.scryptLogN != null ? { scryptLogN: this.init.messengerOptions.scryptLogN } : {})
      }),
      ...contactHandlers({ messenger, refreshUnread }),
      ...firstContactHandlers({
        messenger,
        links,
        relays: this.relays,
        ...(this.init.allowCamera != null ? { allowCamera: this.init.allowCamera } : {}),
        ...(this.init.fetchRelayInfo != null ? { fetchRelayInfo: this.init.fetchRelayInfo } : {}),
        ...(this.log != null ? { log: this.log } : {})
      }),
      ...messageHandlers({ messenger, refreshUnread }),
      ...fileHandlers({ messenger, uploads: this.uploads, readers: this.readers, downloads: this.downloads, ...(this.init.chooseSavePath != null ? { chooseSavePath: this.init.chooseSavePath } : {}) }),
      ...conversationHandlers({ messenger }),
      ...groupHandlers({ messenger, refreshUnread }),
      ...guestHandlers({ messenger }),
      ...relayHandlers({ messenger, homeRelayView: r => this.relays.homeView(r) }),
      ...settingsHandlers({ messenger, config: () => this.requireConfig(), saveConfig, features: this.init.features ?? { tray: false, loginItem: false } }),
      ...securityHandlers({
        messenger,
        config: () => this.requireConfig(),
        saveConfig,
        ...(this.init.keyVault != null ? { keyVault: this.init.keyVault } : {}),
        ...(this.init.passphrase != null ? { passphrase: this.init.passphrase } : {})
      }),
      ...linkHandlers({
        ...(this.init.openLink != null ? { openLink: this.init.openLink } : {}),
        takePendingInvite: () => {
          const invite = this.pendingInvite
          this.pendingInvite = undefined
          return invite
        },
        takePendingRelayLink: () => {
          const link = this.pendingRelayLink
          this.pendingRelayLink = undefined
          return link
        }
      })
    }
  }
}
