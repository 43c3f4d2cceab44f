// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Relays as the renderer sees them: those offered in onboarding (with what each publishes once
 * asked, else what Sotto's list says), and the messenger's home relays with their state.
 */
import type { RelayView } from '../../shared/contract.js'
import type { RelayLinkData } from '../core-loader.js'
import type { RelayEntry, RelayInfo } from '../desktop-config.js'
import type { Logger, RelayInfo as PublishedInfo, RelayView as HomeRelay } from '@sotto/core'

/** What a relay publishes about itself, as far as onboarding shows it. */
export type Published = Pick<PublishedInfo, 'operator' | 'jurisdiction' | 'contact' | 'retentionSeconds' | 'inviteOnly'>

/** What {@link RelayViews} uses. */
export interface RelayViewsComponents {
  /** Relays offered in onboarding. */
  defaultRelays: readonly RelayInfo[]
  /** Reads what a relay publishes (`fetchRelayInfo` of `@sotto/core`); absent: never asked. */
  fetchRelayInfo?: (address: string) => Promise<Published>
  /** Logger. */
  log?: Logger
}

/** Maps relays to their views, remembering what the offered relays published. */
export class RelayViews {
  private readonly published = new Map<string, Published>()
  private defaults: RelayInfo[]

  constructor (private readonly components: RelayViewsComponents) {
    this.defaults = [...components.defaultRelays]
  }

  /** Offers more relays (a distributor's list), after those already offered; known addresses are skipped. */
  offer (more: readonly RelayInfo[]): void {
    this.defaults = [...this.defaults, ...more.filter(m => !this.defaults.some(d => d.address === m.address))]
  }

  /** The offered relays, as onboarding shows them. */
  offered (): RelayView[] {
    return this.defaults.map(r => this.offeredView({ ...r, source: 'default', enabled: true }))
  }

  /** A relay offered in onboarding: what it published when asked, else what Sotto's list says. */
  offeredView (r: RelayEntry): RelayView {
    const info = this.published.get(r.address)
    const view: RelayView = { address: r.address, source: r.source, enabled: r.enabled, reachable: info != null, reserved: false, mailboxReady: false }
    const operator = info?.operator ?? r.operator
    const jurisdiction = info?.jurisdiction ?? r.jurisdiction
    if (operator != null) view.operator = operator
    if (jurisdiction != null) view.jurisdiction = jurisdiction
    if (info != null) {
      view.contact = info.contact
      view.retentionSeconds = info.retentionSeconds
      view.inviteOnly = info.inviteOnly === true
    }
    const code = this.defaults.find(d => d.address === r.address)?.code
    if (code != null) view.joinCode = code
    return view
  }

  /**
   * A relay named by a relay link: what the relay itself published when asked (authenticated by
   * its PeerId), else what the link claims; `joinCode` when the link carries one.
   */
  linkView (link: RelayLinkData, info: Published | undefined): RelayView {
    const view: RelayView = { address: link.addr, source: 'user', enabled: true, reachable: info != null, reserved: false, mailboxReady: false }
    const operator = info?.operator ?? link.operator
    const jurisdiction = info?.jurisdiction ?? link.jurisdiction
    const contact = info?.contact ?? link.contact
    if (operator != null) view.operator = operator
    if (jurisdiction != null) view.jurisdiction = jurisdiction
    if (contact != null) view.contact = contact
    if (info != null) {
      view.retentionSeconds = info.retentionSeconds
      view.inviteOnly = info.inviteOnly === true
    }
    if (link.code != null) view.joinCode = link.code
    return view
  }

  /** A home relay of the messenger: what the relay itself publishes, and its state. */
  homeView (r: HomeRelay): RelayView {
    const view: RelayView = {
      address: r.addr,
      source: this.defaults.some(d => d.address === r.addr) ? 'default' : 'user',
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
      view.inviteOnly = r.info.inviteOnly === true
    }
    return view
  }

  /** The config entries for relays chosen in onboarding, with what Sotto's list says of each. */
  entries (addresses: readonly string[]): RelayEntry[] {
    return addresses.map(address => {
      const known = this.defaults.find(d => d.address === address)
      const entry: RelayEntry = { address, source: known != null ? 'default' : 'user', enabled: true }
      if (known?.operator != null) entry.operator = known.operator
      if (known?.jurisdiction != null) entry.jurisdiction = known.jurisdiction
      return entry
    })
  }

  /** Asks each offered relay what it publishes; `onAnswer` runs after each answer. */
  askOffered (onAnswer: () => void): void {
    const { fetchRelayInfo, log } = this.components
    const defaultRelays = this.defaults
    if (fetchRelayInfo == null) return
    for (const { address } of defaultRelays) {
      fetchRelayInfo(address).then(info => {
        this.published.set(address, info)
        onAnswer()
      }, (err: Error) => { log?.info('an offered relay did not answer', { relay: address, error: err.name }) })
    }
  }
}
