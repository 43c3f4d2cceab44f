// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Groups: membership as a signed log of changes, and sender keys sealed once for every member.
 * The foundation only: the messenger wires these in on its own seams.
 */
export { decodeGroupChange, groupChangeId, signGroupChange, verifyMemberEntry } from './change.js'
export type {
  GroupAction, GroupChange, GroupChangeFields, GroupMemberEntry, VerifiedGroupAction, VerifiedMemberEntry
} from './change.js'
export { GroupLog, createGroup } from './membership.js'
export type { CreateGroupOptions, GroupSigner, ReceiveOutcome } from './membership.js'
export { NO_STATE_HASH, applyChange, genesisState } from './state.js'
export type { GroupMemberState, GroupState } from './state.js'
export {
  GROUP_CHANGE_SIGNATURE_CONTEXT, GROUP_ID_BYTES, MAX_GROUP_CHANGE_BYTES, MAX_GROUP_CHANGE_PARENTS,
  MAX_GROUP_DEPOSIT_TOKEN_BYTES, MAX_GROUP_MEMBERS, MAX_PENDING_GROUP_CHANGES
} from './limits.js'
export {
  MAX_SENDER_KEY_DISTRIBUTION_BYTES, SottoSenderKeyStore, checkGroupSender, markSenderKeyDistributed, openGroupMessage,
  prepareGroupSend, processSenderKeyDistribution, recipientsOf, sealForGroup, senderKeyKey, startMemberSessions
} from './sender-keys.js'
export type { GroupMessage, GroupRecipient, GroupSendPlan } from './sender-keys.js'
export { loadGroupLog, loadGroupLogs, recordGroupChange } from './group-store.js'
