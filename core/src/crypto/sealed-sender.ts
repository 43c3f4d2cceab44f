// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Sealed sender with self-issued certificates: a relay carrying a sealed message learns nothing
 * about its sender. Sotto has no certificate server, so every sender is its own: its identity key
 * signs a server certificate for itself, which signs its sender certificate. The recipient checks
 * the certificate against the key it embeds, then that key against the one recorded for the
 * claimed user id (trust on first use).
 */
import {
  CiphertextMessage,
  CiphertextMessageType,
  ContentHint,
  IdentityChange,
  IdentityKeyPair,
  IdentityKeyStore,
  PlaintextContent,
  PrivateKey,
  PublicKey,
  ErrorCode,
  LibSignalErrorBase,
  PreKeySignalMessage,
  SenderCertificate,
  ServerCertificate,
  SignalMessage,
  UnidentifiedSenderMessageContent,
  sealedSenderDecryptToUsmc,
  sealedSenderEncrypt,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt
} from '@signalapp/libsignal-client'
import {
  BugError,
  DecryptionError,
  IdentityKeyChangedError,
  InvalidInputError,
  NotFoundError,
  UndecryptableMessageError
} from '../errors.js'
import { arrayBufferBytes, assertUserId, equalBytes, isUserId } from './bytes.js'
import { DEVICE_ID } from './local-identity.js'
import { addressOf } from './sessions.js'
import { withSignal } from './signal-errors.js'
import { createSignalStores, readIdentity, readSession } from './stores.js'
import type { Transaction } from '../storage/types.js'
import type { LocalIdentity } from './local-identity.js'
import type { SignalStores } from './stores.js'

/** A self-issued certificate is as good as the key that signs it: let it outlive any install. */
const CERTIFICATE_LIFETIME_MS = 100 * 365 * 24 * 60 * 60 * 1000

/**
 * The first byte of a single-recipient sealed message (sealed sender v1, as `sealedSenderEncrypt`
 * makes it). libsignal reads only its high nibble, so anything else is refused here: no two byte
 * strings open to the same message.
 */
export const SEALED_V1 = 0x11

/**
 * The first byte of one recipient's part of a multi-recipient sealed message (sealed sender v2 as
 * received, as `SealedSenderMultiRecipientMessage.messageForRecipient` cuts it): what group
 * messages travel as. The whole multi-recipient message starts with 0x23 and is never sent, so it
 * is refused, as is every other byte: each opening path accepts exactly the one version it makes.
 */
export const SEALED_V2_RECEIVED = 0x22

const certificates = new WeakMap<LocalIdentity, SenderCertificate>()

/** How many verified sender certificates {@link verifiedCertificates} remembers. */
const VERIFIED_CERTIFICATES = 1024

/**
 * Sender certificates that verified, by their exact bytes, with their expiry. A contact sends the
 * same certificate with every message, and checking its two signatures is a fifth of opening one;
 * bytes that verified once verify again, so only the expiry is checked again. Oldest first.
 */
const verifiedCertificates = new Map<string, number>()

/**
 * Whether `certificate` is a valid self-issued certificate now: its server certificate names its own
 * key, and both signatures verify under it.
 */
function certificateVerifies (certificate: SenderCertificate, now: number): boolean {
  const id = Buffer.from(certificate.serialize()).toString('base64')
  const expiry = verifiedCertificates.get(id)
  if (expiry !== undefined) return now <= expiry
  const key = certificate.key()
  // Self-issued: the sender's identity key is the trust root and the server key both.
  if (!certificate.serverCertificate().key().equals(key) || !certificate.validate(key, now)) return false
  if (verifiedCertificates.size >= VERIFIED_CERTIFICATES) {
    verifiedCertificates.delete(verifiedCertificates.keys().next().value as string)
  }
  verifiedCertificates.set(id, certificate.expiration())
  return true
}

/** The sender certificate of `identity`, issued by itself; made once per identity object. */
export function senderCertificate (identity: LocalIdentity): SenderCertificate {
  let certificate = certificates.get(identity)
  if (certificate === undefined) {
    const { publicKey, privateKey } = identity.keyPair
    // The server certificate's key id states the installation (see `UnsealedMessage.installation`).
    const server = ServerCertificate.new(identity.installation ?? 1, publicKey, privateKey)
    certificate = SenderCertificate.new(identity.userId, null, DEVICE_ID, publicKey, Date.now() + CERTIFICATE_LIFETIME_MS, server, privateKey)
    certificates.set(identity, certificate)
  }
  return certificate
}

/** A message opened by {@link unseal}. */
export interface UnsealedMessage {
  /** The sender's Sotto user id, as their certificate states it (checked against their key). */
  senderUserId: string
  /** The sender's identity public key (serialized, 33 bytes). */
  senderIdentityKey: Uint8Array
  /** The decrypted content. */
  plaintext: Uint8Array
  /** Which installation of the sender's identity sealed it, as its certificate states. */
  installation: number
  /**
   * Sent without a session (a libsignal plaintext message under the sealed layer), as only an
   * installation's statements are: authenticated by the certificate, not secret from the sender's
   * other installations. The sender may be this identity itself (another installation of it).
   */
  sessionless: boolean
}

/**
 * Decides, before any session is touched, whether a sealed message from `senderUserId`'s
 * installation `installation` is taken; throws to refuse it.
 */
export type AdmitSender = (senderUserId: string, installation: number) => Promise<void>

/** The outer layer of a sealed message, removed and checked by {@link openSealedContent}. */
export interface SealedContent {
  /** What the sealed layer held: the inner message, its type, the certificate, the group id. */
  content: UnidentifiedSenderMessageContent
  /** The sender's user id, as their verified certificate states it. */
  senderUserId: string
  /** The sender's identity key (serialized), as their certificate states it. */
  senderIdentityKey: Uint8Array
  /** The identity key recorded for the sender before this message, if any (equal to the above when there is one). */
  recorded: Uint8Array | undefined
}

/**
 * Removes the sealed-sender layer of `sealed`, which must start with `version` and no other byte,
 * and checks the sender certificate against its own key and that key against the one recorded for
 * the sender's user id. Run it inside `withSignal` with the same stores.
 *
 * @throws {DecryptionError} when the bytes are not a sealed message of that version for this identity, or the certificate does not verify
 * @throws {IdentityKeyChangedError} when the sender's key differs from the one recorded for their user id
 */
export async function openSealedContent (stores: SignalStores, sealed: Uint8Array, version: typeof SEALED_V1 | typeof SEALED_V2_RECEIVED): Promise<SealedContent> {
  if (sealed[0] !== version) {
    throw new DecryptionError('this is not a sealed message Sotto makes')
  }
  const content = await sealedSenderDecryptToUsmc(arrayBufferBytes(sealed), stores.identity)
  const certificate = content.senderCertificate()
  if (!certificateVerifies(certificate, Date.now())) {
    throw new DecryptionError('the sender certificate does not verify')
  }
  const senderUserId = certificate.senderUuid()
  if (!isUserId(senderUserId) || certificate.senderDeviceId() !== DEVICE_ID || certificate.senderE164() !== null) {
    throw new DecryptionError('the sender certificate is not a Sotto certificate')
  }
  const senderIdentityKey = certificate.key().serialize()
  if (senderUserId === stores.context.identity.userId) {
    // Only another installation of this identity, and only with a statement (no session).
    if (content.msgType() !== CiphertextMessageType.Plaintext || !equalBytes(senderIdentityKey, stores.context.identity.identityKey)) {
      throw new DecryptionError('the sealed message claims to come from this identity')
    }
    return { content, senderUserId, senderIdentityKey, recorded: senderIdentityKey }
  }
  const recorded = await readIdentity(stores.context.tx, senderUserId)
  if (recorded !== undefined && !equalBytes(recorded, senderIdentityKey)) {
    throw new IdentityKeyChangedError('the identity key of the sender changed', senderUserId, senderIdentityKey)
  }
  return { content, senderUserId, senderIdentityKey, recorded }
}

/**
 * Encrypts `plaintext` for `recipientUserId` with the session held with them, and seals it with
 * this identity's self-issued sender certificate. Writes the advanced session to `tx`; the caller
 * commits it together with the outgoing message, or the ratchet step is lost.
 *
 * @throws {NotFoundError} when there is no usable session with the recipient (none, archived after an
 *   identity change, or unanswered for 30 days): start one from their bundle
 * @throws {IdentityChangedError} when their recorded identity key no longer matches the session's
 */
export async function seal (tx: Transaction, identity: LocalIdentity, recipientUserId: string, plaintext: Uint8Array): Promise<Uint8Array> {
  assertUserId(recipientUserId)
  if (recipientUserId === identity.userId) {
    throw new InvalidInputError('sealing a message to oneself is not possible')
  }
  const stores = createSignalStores(tx, identity)
  const fallback = (message: string, options: ErrorOptions): DecryptionError => new DecryptionError(`the message could not be encrypted: ${message}`, options)
  return await withSignal(stores.context, fallback, async () => {
    const session = await readSession(stores.context.tx, recipientUserId)
    if (session?.hasCurrentState() !== true) {
      throw new NotFoundError('there is no session with this user: start one from their prekey bundle')
    }
    const address = addressOf(recipientUserId)
    const message = await signalEncrypt(arrayBufferBytes(plaintext), address, addressOf(identity.userId), stores.session, stores.identity)
    const content = UnidentifiedSenderMessageContent.new(message, senderCertificate(identity), ContentHint.Default, null)
    return await sealedSenderEncrypt(content, address, stores.identity)
  })
}

/**
 * Opens a sealed message: removes the sealed-sender layer, checks the sender certificate against
 * its own key and that key against the one recorded for the sender's user id (recording it on first
 * use), then decrypts the message with the session (starting one from a PreKey message). Writes
 * session and prekey changes to `tx`; the caller commits them together with the stored message.
 * When it throws, the caller must not commit `tx`.
 *
 * @throws {DecryptionError} when the bytes are not a valid sealed message for this identity, or are forged or tampered with
 * @throws {DuplicateEnvelopeError} when the message was already decrypted
 * @throws {IdentityKeyChangedError} when the sender's key differs from the one recorded for their user id (see `acceptIdentity`)
 */
export async function unseal (tx: Transaction, identity: LocalIdentity, sealed: Uint8Array, admit?: AdmitSender): Promise<UnsealedMessage> {
  const stores = createSignalStores(tx, identity)
  const fallback = (message: string, options: ErrorOptions): DecryptionError => new DecryptionError(`the sealed message could not be opened: ${message}`, options)
  return await withSignal(stores.context, fallback, async () => {
    const { content, senderUserId, senderIdentityKey, recorded } = await openSealedContent(stores, sealed, SEALED_V1)
    const installation = content.senderCertificate().serverCertificate().keyId()
    await admit?.(senderUserId, installation)
    if (content.msgType() === CiphertextMessageType.Plaintext) {
      return { senderUserId, senderIdentityKey, plaintext: PlaintextContent.deserialize(content.contents()).body(), installation, sessionless: true }
    }
    const address = addressOf(senderUserId)
    const localAddress = addressOf(identity.userId)
    let plaintext: Uint8Array
    switch (content.msgType()) {
      case CiphertextMessageType.PreKey:
        plaintext = await signalDecryptPreKey(PreKeySignalMessage.deserialize(content.contents()), address, localAddress,
          stores.session, stores.identity, stores.preKey, stores.signedPreKey, stores.kyberPreKey)
        break
      case CiphertextMessageType.Whisper:
        try {
          plaintext = await signalDecrypt(SignalMessage.deserialize(content.contents()), address, localAddress, stores.session, stores.identity)
        } catch (err) {
          // From a sender we know: it can seal the message again for the session as it is now.
          if (recorded === undefined || stores.context.failure !== undefined || !(err instanceof LibSignalErrorBase) ||
            err.code === ErrorCode.DuplicatedMessage || err.code === ErrorCode.UntrustedIdentity) throw err
          throw new UndecryptableMessageError(`the message does not decrypt with the session as it is (${ErrorCode[err.code] ?? 'unknown'})`, senderUserId, { cause: err })
        }
        break
      default:
        throw new DecryptionError('the sealed message holds a kind of message Sotto does not use')
    }

    // The session must belong to the key the certificate names (libsignal recorded it on first use).
    const sessionIdentity = await readIdentity(stores.context.tx, senderUserId)
    if (sessionIdentity === undefined || !equalBytes(sessionIdentity, senderIdentityKey)) {
      throw new DecryptionError('the message inside does not come from the certificate\'s key')
    }
    return { senderUserId, senderIdentityKey, plaintext, installation, sessionless: false }
  })
}

/**
 * Seals `plaintext` for the holder of `recipientIdentityKey` without a session: a libsignal
 * plaintext message under the sealed layer, which only the recipient's identity key opens and
 * this identity's certificate authenticates. For an installation's statements only (see
 * {@link UnsealedMessage.sessionless}); `recipientUserId` may be this identity's own.
 */
export async function sealWithoutSession (identity: LocalIdentity, recipientUserId: string, recipientIdentityKey: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  assertUserId(recipientUserId)
  const recipient = PublicKey.deserialize(arrayBufferBytes(recipientIdentityKey))
  const message = CiphertextMessage.from(PlaintextContent.deserialize(arrayBufferBytes(Uint8Array.of(PLAINTEXT_MARKER, ...plaintext))))
  const content = UnidentifiedSenderMessageContent.new(message, senderCertificate(identity), ContentHint.Default, null)
  return await sealedSenderEncrypt(content, addressOf(recipientUserId), new OneRecipientIdentityStore(identity, recipient))
}

/** The first byte of a libsignal plaintext message; the body follows it. */
const PLAINTEXT_MARKER = 0xC0

/** The identity store sealing without a session needs: this identity, and the one recipient's key. */
class OneRecipientIdentityStore extends IdentityKeyStore {
  constructor (private readonly identity: LocalIdentity, private readonly recipient: PublicKey) {
    super()
  }

  override async getIdentityKey (): Promise<PrivateKey> { return this.identity.keyPair.privateKey }
  override async getIdentityKeyPair (): Promise<IdentityKeyPair> { return this.identity.keyPair }
  override async getLocalRegistrationId (): Promise<number> { return this.identity.registrationId }
  override async saveIdentity (): Promise<IdentityChange> { throw new BugError('sealing without a session saves no identity') }
  override async isTrustedIdentity (): Promise<boolean> { return true }
  override async getIdentity (): Promise<PublicKey | null> { return this.recipient }
}
