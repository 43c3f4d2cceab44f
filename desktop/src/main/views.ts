// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Maps `@sotto/core`'s objects to the IPC contract's views, field by field, so nothing the core may
 * add later (keys, tokens) crosses to the renderer by accident.
 */
import { groupMessageFields } from './group-views.js'
import type { Contact, FileProgress, Message, MessageFile, OwnIdentity, Settings } from '@sotto/core'
import type { ContactView, FileProgressView, FileView, IdentityView, MessageView, SettingsView } from '../shared/contract.js'
import type { DesktopConfig, HostFeatures } from './desktop-config.js'

/** A message as the renderer sees it. */
export function messageView (m: Message): MessageView {
  const view: MessageView = {
    id: m.id,
    contactId: m.contactId,
    direction: m.direction,
    text: m.text,
    sentAt: m.sentAt,
    storedAt: m.storedAt,
    state: m.state
  }
  if (m.failure != null) view.failure = m.failure
  if (m.readAt != null) view.readAt = m.readAt
  if (m.expiresAt != null) view.expiresAt = m.expiresAt
  if (m.replyTo != null) view.replyTo = m.replyTo
  if (m.reactions != null) view.reactions = m.reactions.map(r => ({ by: r.by, emoji: r.emoji }))
  if (m.editedAt != null) view.editedAt = m.editedAt
  if (m.deleted === true) view.deleted = true
  if (m.file != null) view.file = fileView(m.file)
  return Object.assign(view, groupMessageFields(m))
}

/** The file of a file message as the renderer sees it (the thumbnail in base64). */
export function fileView (f: MessageFile): FileView {
  const view: FileView = { name: f.name, size: f.size, mime: f.mime, state: f.state }
  if (f.error != null) view.error = f.error
  if (f.reason != null) view.reason = f.reason
  if (f.thumbnail != null) view.thumbnail = Buffer.from(f.thumbnail).toString('base64')
  return view
}

/** A file's progress as the renderer sees it. */
export function fileProgressView (p: FileProgress): FileProgressView {
  const view: FileProgressView = { id: p.id, contactId: p.contactId, state: p.state, bytes: p.bytes, total: p.total }
  if (p.error != null) view.error = p.error
  if (p.reason != null) view.reason = p.reason
  return view
}

/** A contact as the renderer sees it. */
export function contactView (c: Contact): ContactView {
  const view: ContactView = {
    id: c.id,
    alias: c.alias,
    displayName: c.displayName,
    peerId: c.peerId,
    status: c.status,
    safetyNumber: c.safetyNumber,
    verified: c.verified,
    blocked: c.blocked,
    identityChanged: c.identityChanged,
    disappearingSeconds: c.disappearingSeconds,
    unread: c.unread,
    presence: c.presence,
    ...(c.fromGuest != null ? { fromGuest: c.fromGuest } : {})
  }
  if (c.lastMessage != null) {
    view.lastMessage = messageView(c.lastMessage)
    // The list shows a file's kind and name only: its thumbnail stays out of every contact update.
    delete view.lastMessage.file?.thumbnail
  }
  return view
}

/** The own identity as the renderer sees it. */
export function identityView (i: OwnIdentity): IdentityView {
  return { userId: i.userId, peerId: i.peerId, name: i.name }
}

/** The messenger's settings joined with the desktop preferences the host can honour. */
export function settingsView (s: Settings, prefs: DesktopConfig['prefs'], features: HostFeatures): SettingsView {
  const view: SettingsView = {
    mdns: s.mdns,
    readReceipts: s.readReceipts,
    hideIp: s.hideIp,
    typingIndicators: s.typingIndicators,
    excludedJurisdictions: [...s.excludedJurisdictions],
    autoDownloadBytes: s.autoDownloadBytes,
    theme: prefs.theme,
    notifications: prefs.notifications,
    notificationPreview: prefs.notificationPreview
  }
  if (features.tray) view.closeToTray = prefs.closeToTray
  if (features.loginItem) view.startAtLogin = prefs.startAtLogin
  return view
}
