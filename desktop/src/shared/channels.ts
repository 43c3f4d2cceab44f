// SPDX-License-Identifier: AGPL-3.0-only
/**
 * IPC channel names, `sotto:<area>:<verb>`. Kept free of schemas so the preload bundle stays tiny.
 */

/** The channel of every call the renderer can make, by the name of its `window.sotto` function. */
export const METHOD_CHANNELS = {
  status: 'sotto:app:status',
  setup: 'sotto:app:setup',
  unlock: 'sotto:app:unlock',
  identity: 'sotto:identity:get',
  createInvite: 'sotto:invite:create',
  contacts: 'sotto:contacts:list',
  contact: 'sotto:contacts:get',
  addContact: 'sotto:contacts:add',
  renameContact: 'sotto:contacts:rename',
  block: 'sotto:contacts:block',
  unblock: 'sotto:contacts:unblock',
  deleteContact: 'sotto:contacts:delete',
  setVerified: 'sotto:contacts:verify',
  acceptKeyChange: 'sotto:contacts:accept-key',
  keepKey: 'sotto:contacts:keep-key',
  setDisappearing: 'sotto:contacts:set-disappearing',
  requests: 'sotto:requests:list',
  accept: 'sotto:requests:accept',
  droppedRequests: 'sotto:requests:dropped',
  history: 'sotto:messages:history',
  send: 'sotto:messages:send',
  markRead: 'sotto:messages:mark-read',
  reply: 'sotto:messages:reply',
  react: 'sotto:messages:react',
  editMessage: 'sotto:messages:edit',
  deleteMessage: 'sotto:messages:delete',
  search: 'sotto:messages:search',
  typing: 'sotto:messages:typing',
  settings: 'sotto:settings:get',
  updateSettings: 'sotto:settings:update',
  relays: 'sotto:relays:list',
  addRelay: 'sotto:relays:add',
  removeRelay: 'sotto:relays:remove',
  openLink: 'sotto:links:open',
  pendingInvite: 'sotto:invite:pending',
  pendingRelayLink: 'sotto:relays:pending-link',
  renewInvite: 'sotto:invite:renew',
  readRelayLink: 'sotto:relays:read-link',
  previewInvite: 'sotto:invite:preview',
  requestCamera: 'sotto:camera:request',
  security: 'sotto:security:get',
  changeKeySource: 'sotto:security:change-key',
  exportBackup: 'sotto:backup:export',
  restoreBackup: 'sotto:backup:restore',
  startUpload: 'sotto:files:start-upload',
  uploadChunk: 'sotto:files:upload-chunk',
  sendUpload: 'sotto:files:send-upload',
  cancelUpload: 'sotto:files:cancel-upload',
  cancelFile: 'sotto:files:cancel',
  downloadFile: 'sotto:files:download',
  readFile: 'sotto:files:read',
  saveFile: 'sotto:files:save',
  groups: 'sotto:groups:list',
  group: 'sotto:groups:get',
  groupChanges: 'sotto:groups:changes',
  createGroup: 'sotto:groups:create',
  addGroupMember: 'sotto:groups:add',
  removeGroupMember: 'sotto:groups:remove',
  makeGroupAdmin: 'sotto:groups:make-admin',
  renameGroup: 'sotto:groups:rename',
  leaveGroup: 'sotto:groups:leave',
  setGroupDisappearing: 'sotto:groups:set-disappearing',
  createGuestLink: 'sotto:guests:create-link',
  guestLinks: 'sotto:guests:links',
  revokeGuestLink: 'sotto:guests:revoke-link',
  guestConversations: 'sotto:guests:list',
  guestHistory: 'sotto:guests:history',
  sendGuest: 'sotto:guests:send',
  blockGuest: 'sotto:guests:block',
  inviteGuest: 'sotto:guests:invite'
} as const

/** The name of a call. */
export type Method = keyof typeof METHOD_CHANNELS

/** Every call name, in a stable order. */
export const METHODS = Object.keys(METHOD_CHANNELS) as Method[]

/** The channel of every event pushed to the renderer, by event name. */
export const EVENT_CHANNELS = {
  app: 'sotto:event:app',
  message: 'sotto:event:message',
  status: 'sotto:event:status',
  request: 'sotto:event:request',
  contact: 'sotto:event:contact',
  connection: 'sotto:event:connection',
  expired: 'sotto:event:expired',
  unread: 'sotto:event:unread',
  relay: 'sotto:event:relay',
  invite: 'sotto:event:invite',
  relayLink: 'sotto:event:relay-link',
  notification: 'sotto:event:notification',
  reaction: 'sotto:event:reaction',
  edit: 'sotto:event:edit',
  delete: 'sotto:event:delete',
  typing: 'sotto:event:typing',
  file: 'sotto:event:file',
  group: 'sotto:event:group'
} as const

/** The name of a pushed event. */
export type EventName = keyof typeof EVENT_CHANNELS

/** Every event name, in a stable order. */
export const EVENT_NAMES = Object.keys(EVENT_CHANNELS) as EventName[]

/** Whether `name` is a call name (and not an inherited property). */
export function isMethod (name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(METHOD_CHANNELS, name)
}
