// SPDX-License-Identifier: AGPL-3.0-only
/**
 * End-to-end crypto over libsignal: the local identity and its prekeys, sessions, sealed sender
 * with self-issued certificates, and safety numbers.
 *
 * Every operation works inside one storage transaction that the caller passes in and commits
 * together with its own writes (the outbox entry, the stored message); none of them commits. A
 * transaction does not isolate concurrent work, so run crypto operations one at a time per identity
 * and call `commit()` before starting the next one.
 */
export { DEVICE_ID, backupOfLocalIdentity, createLocalIdentity, loadLocalIdentity, restoreLocalIdentity } from './local-identity.js'
export type { CreateLocalIdentityOptions, LocalIdentity, LocalIdentityBackup } from './local-identity.js'
export { PREKEY_POLICY, currentPreKeyBundle, maintainPreKeys } from './prekeys.js'
export type { PreKeyBundleOptions, PreKeyMaintenance } from './prekeys.js'
export { acceptIdentity, addressOf, hasSession, recordedIdentityKey, startSession } from './sessions.js'
export { SEALED_V1, SEALED_V2_RECEIVED, openSealedContent, seal, sealWithoutSession, senderCertificate, unseal } from './sealed-sender.js'
export type { AdmitSender, SealedContent, UnsealedMessage } from './sealed-sender.js'
export { withSignal } from './signal-errors.js'
export { safetyNumber } from './safety-number.js'
export { signWithIdentity, verifyIdentitySignature } from './identity-signature.js'
export {
  SottoIdentityKeyStore,
  SottoKyberPreKeyStore,
  SottoPreKeyStore,
  SottoSessionStore,
  SottoSignedPreKeyStore,
  createSignalStores
} from './stores.js'
export type { SignalStores, StoreContext } from './stores.js'
