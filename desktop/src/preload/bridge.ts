// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Builds `window.sotto` over Electron IPC: one function per call, one subscription function per
 * event, each bound to its own fixed channel. Nothing generic: the renderer can name no channel,
 * and listeners never see Electron's event object.
 */
import { EVENT_CHANNELS, METHOD_CHANNELS } from '../shared/channels.js'
import type { SottoBridge } from '../shared/api.js'
import type { EventName, Method } from '../shared/channels.js'
import type { Events, Replies, Result } from '../shared/contract.js'

/** The parts of Electron's `ipcRenderer` used here. */
export interface IpcRendererLike {
  /** Sends a call and waits for the reply. */
  invoke(channel: string, payload?: unknown): Promise<unknown>
  /** Listens on a channel. */
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
  /** Stops listening. */
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
}

/** The parts of Electron's `contextBridge` used here. */
export interface ContextBridgeLike {
  /** Copies `api` into the page's world as `window[key]`. */
  exposeInMainWorld(key: string, api: unknown): void
}

type Call = <M extends Method>(method: M, payload?: unknown) => Promise<Result<Replies[M]>>

/** The group and guest calls of the bridge. */
function groupAndGuestCalls (call: Call) {
  return {
    groups: () => call('groups'),
    group: request => call('group', request),
    groupChanges: request => call('groupChanges', request),
    createGroup: request => call('createGroup', request),
    addGroupMember: request => call('addGroupMember', request),
    removeGroupMember: request => call('removeGroupMember', request),
    makeGroupAdmin: request => call('makeGroupAdmin', request),
    renameGroup: request => call('renameGroup', request),
    leaveGroup: request => call('leaveGroup', request),
    setGroupDisappearing: request => call('setGroupDisappearing', request),
    createGuestLink: request => call('createGuestLink', request),
    guestLinks: () => call('guestLinks'),
    revokeGuestLink: request => call('revokeGuestLink', request),
    guestConversations: () => call('guestConversations'),
    guestHistory: request => call('guestHistory', request),
    sendGuest: request => call('sendGuest', request),
    blockGuest: request => call('blockGuest', request),
    inviteGuest: request => call('inviteGuest', request)
  } satisfies Partial<SottoBridge>
}

/** Builds the bridge object. */
export function createIpcBridge (ipc: IpcRendererLike): SottoBridge {
  const call: Call = <M extends Method>(method: M, payload?: unknown): Promise<Result<Replies[M]>> =>
    ipc.invoke(METHOD_CHANNELS[method], payload) as Promise<Result<Replies[M]>>

  const subscribe = <E extends EventName>(event: E) => (listener: (payload: Events[E]) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function')
    const channel = EVENT_CHANNELS[event]
    const wrapped = (_event: unknown, payload: unknown): void => { listener(payload as Events[E]) }
    ipc.on(channel, wrapped)
    return () => { ipc.removeListener(channel, wrapped) }
  }

  return Object.freeze({
    status: () => call('status'),
    setup: request => call('setup', request),
    unlock: request => call('unlock', request),
    identity: () => call('identity'),
    createInvite: () => call('createInvite'),
    contacts: () => call('contacts'),
    contact: request => call('contact', request),
    addContact: request => call('addContact', request),
    renameContact: request => call('renameContact', request),
    block: request => call('block', request),
    unblock: request => call('unblock', request),
    deleteContact: request => call('deleteContact', request),
    setVerified: request => call('setVerified', request),
    acceptKeyChange: request => call('acceptKeyChange', request),
    keepKey: request => call('keepKey', request),
    setDisappearing: request => call('setDisappearing', request),
    requests: () => call('requests'),
    accept: request => call('accept', request),
    droppedRequests: () => call('droppedRequests'),
    history: request => call('history', request),
    send: request => call('send', request),
    markRead: request => call('markRead', request),
    reply: request => call('reply', request),
    react: request => call('react', request),
    editMessage: request => call('editMessage', request),
    deleteMessage: request => call('deleteMessage', request),
    search: request => call('search', request),
    typing: request => call('typing', request),
    settings: () => call('settings'),
    updateSettings: request => call('updateSettings', request),
    relays: () => call('relays'),
    addRelay: request => call('addRelay', request),
    removeRelay: request => call('removeRelay', request),
    openLink: request => call('openLink', request),
    pendingInvite: () => call('pendingInvite'),
    pendingRelayLink: () => call('pendingRelayLink'),
    renewInvite: () => call('renewInvite'),
    readRelayLink: request => call('readRelayLink', request),
    previewInvite: request => call('previewInvite', request),
    requestCamera: () => call('requestCamera'),
    security: () => call('security'),
    changeKeySource: request => call('changeKeySource', request),
    exportBackup: request => call('exportBackup', request),
    restoreBackup: request => call('restoreBackup', request),
    startUpload: request => call('startUpload', request),
    uploadChunk: request => call('uploadChunk', request),
    sendUpload: request => call('sendUpload', request),
    cancelUpload: request => call('cancelUpload', request),
    cancelFile: request => call('cancelFile', request),
    downloadFile: request => call('downloadFile', request),
    readFile: request => call('readFile', request),
    saveFile: request => call('saveFile', request),
    ...groupAndGuestCalls(call),
    onApp: subscribe('app'),
    onMessage: subscribe('message'),
    onStatus: subscribe('status'),
    onRequest: subscribe('request'),
    onContact: subscribe('contact'),
    onConnection: subscribe('connection'),
    onExpired: subscribe('expired'),
    onUnread: subscribe('unread'),
    onRelay: subscribe('relay'),
    onInvite: subscribe('invite'),
    onRelayLink: subscribe('relayLink'),
    onNotification: subscribe('notification'),
    onReaction: subscribe('reaction'),
    onEdit: subscribe('edit'),
    onDelete: subscribe('delete'),
    onTyping: subscribe('typing'),
    onFile: subscribe('file'),
    onGroup: subscribe('group')
  } satisfies SottoBridge)
}

/** Exposes the bridge as `window.sotto`. */
export function exposeSotto (contextBridge: ContextBridgeLike, ipc: IpcRendererLike): void {
  contextBridge.exposeInMainWorld('sotto', createIpcBridge(ipc))
}
