// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Schemas of the records in {@link ./records.ts}: every record read back from the store is checked
 * against its schema, so a record of the wrong shape is reported as corrupt where it is read, not
 * as a TypeError somewhere later. Unknown fields are kept (a newer version may have written them).
 */
import { z } from 'zod'
import { fileRecordSchema } from './file-records.js'
import type {
  ContactRecord, MessageRecord, MessageRef, OutboxRecord, PendingReceipt, ProfileRecord, RelayRecord, SentControl
} from './records.js'
import type { Settings } from './types.js'

const bytes = z.instanceof(Uint8Array)
const count = z.number()

const relayInfo = z.looseObject({
  operator: z.string(),
  contact: z.string(),
  jurisdiction: z.string(),
  retentionSeconds: count,
  maxEnvelopeBytes: count,
  mailboxMaxEnvelopes: count,
  mailboxMaxBytes: count,
  contactRate: z.looseObject({ burst: count, perHour: count }),
  introductionRate: z.looseObject({ burst: count, perHour: count }),
  version: z.string(),
  stunPort: count.optional()
})

/** {@link ProfileRecord}. */
export const profileSchema: z.ZodType<ProfileRecord> = z.looseObject({
  name: z.string(),
  peerKey: bytes,
  listen: z.array(z.string()),
  relays: z.array(z.string()),
  createdAt: count
})

/** {@link Settings}; missing fields take their defaults where it is read. */
export const settingsSchema: z.ZodType<Partial<Settings>> = z.looseObject({
  mdns: z.boolean().optional(),
  readReceipts: z.boolean().optional(),
  hideIp: z.boolean().optional(),
  typingIndicators: z.boolean().optional(),
  excludedJurisdictions: z.array(z.string()).optional(),
  autoDownloadBytes: count.optional(),
  maxFileBytes: count.optional()
})

/** {@link ContactRecord}. */
export const contactSchema: z.ZodType<ContactRecord> = z.looseObject({
  id: z.string(),
  peerId: z.string(),
  displayName: z.string(),
  alias: z.string(),
  status: z.enum(['contact', 'request', 'member']),
  identityKey: bytes,
  pendingIdentityKey: bytes.optional(),
  viaGroup: z.boolean().optional(),
  addrs: z.array(z.string()),
  relays: z.array(z.looseObject({ addr: z.string(), mailboxId: bytes, introToken: bytes })),
  verified: z.boolean(),
  blocked: z.boolean(),
  disappearingSeconds: count,
  unread: count,
  nextSeq: count,
  nextOutbox: count,
  heardFrom: z.boolean(),
  inviteTag: bytes.optional(),
  fromGuest: z.string().optional(),
  issued: z.array(z.looseObject({ relay: z.string(), token: bytes, registered: z.boolean(), announced: z.boolean(), issuedAt: count.optional(), retiredAt: count.optional() })).optional(),
  tokensDirty: z.boolean().optional(),
  tokens: z.array(z.looseObject({ addr: z.string(), mailboxId: bytes, token: bytes })).optional(),
  lastMessageId: z.string().optional(),
  lastActivity: count,
  addedAt: count,
  installation: count.optional(),
  relocation: z.enum(['notify', 'notified']).optional()
})

/** {@link MessageRecord}. */
export const messageSchema: z.ZodType<MessageRecord> = z.looseObject({
  id: z.string(),
  contactId: z.string(),
  direction: z.enum(['in', 'out']),
  text: z.string(),
  sentAt: count,
  order: count,
  storedAt: count,
  state: z.enum(['queued', 'sent', 'delivered', 'read', 'failed']),
  failure: z.enum(['blocked', 'identity-changed', 'rejected', 'expired']).optional(),
  readAt: count.optional(),
  expiresAt: count.optional(),
  resends: count.optional(),
  storedDirectly: z.string().optional(),
  replyTo: z.string().optional(),
  reactions: z.array(z.looseObject({ by: z.string(), emoji: z.string() })).optional(),
  editedAt: count.optional(),
  deleted: z.boolean().optional(),
  file: fileRecordSchema.optional(),
  groupId: z.string().optional(),
  senderId: z.string().optional(),
  recipientIds: z.array(z.string()).optional(),
  deliveredTo: z.array(z.string()).optional(),
  refusedBy: z.array(z.string()).optional()
})

/** {@link MessageRef}: also the entries of the unread index. */
export const messageRefSchema: z.ZodType<MessageRef> = z.looseObject({
  contactId: z.string(),
  sentAt: count,
  order: count,
  gone: z.boolean().optional(),
  id: z.string().optional(),
  goneAt: count.optional()
})

/** An entry of the expiry index: the message's place, id and expiry. */
export const dueSchema: z.ZodType<MessageRef & { id: string, expiresAt: number }> = z.looseObject({
  contactId: z.string(),
  sentAt: count,
  order: count,
  id: z.string(),
  expiresAt: count
})

/** {@link OutboxRecord}. */
export const outboxSchema: z.ZodType<OutboxRecord> = z.looseObject({
  contactId: z.string(),
  seq: count,
  envelopeId: z.string(),
  envelope: bytes,
  messageId: z.string().optional(),
  createdAt: count,
  attempts: count,
  sent: z.boolean(),
  heldBy: z.array(z.string()).optional(),
  heldSince: count.optional()
})

/** {@link RelayRecord}. */
export const relaySchema: z.ZodType<RelayRecord> = z.looseObject({
  addr: z.string(),
  peerId: z.string(),
  mailboxKey: bytes,
  mailboxId: bytes,
  introToken: bytes,
  ready: z.boolean(),
  revoke: z.array(bytes),
  leaving: z.boolean().optional(),
  info: relayInfo.optional(),
  addedAt: count
})

/** {@link PendingReceipt}. */
export const pendingReceiptSchema: z.ZodType<PendingReceipt> = z.looseObject({
  contactId: z.string(),
  id: z.string()
})

/** {@link SentControl}. */
export const sentControlSchema: z.ZodType<SentControl> = z.looseObject({
  id: z.string(),
  contactId: z.string(),
  sentAt: count,
  deliveryReceipt: z.array(bytes).optional(),
  resendRequest: z.array(bytes).optional(),
  disappearingTimer: z.literal(true).optional(),
  tokens: z.literal(true).optional(),
  readReceipt: z.array(bytes).optional(),
  reaction: z.string().optional(),
  edit: z.string().optional(),
  delete: z.string().optional(),
  groupUpdate: z.object({ groupId: z.string(), changes: z.array(z.string()) }).optional(),
  groupJoin: z.object({ groupId: z.string(), answer: z.literal(true).optional() }).optional(),
  group: z.object({ groupId: z.string(), to: z.array(z.string()) }).optional(),
  resends: count.optional()
})
