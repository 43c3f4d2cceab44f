// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What libsignal alone costs for Sotto's message path: sealed-sender encryption on one side,
 * sealed-sender decryption, certificate check (once per certificate, as Sotto does) and Double
 * Ratchet decryption on the other, with sessions in memory (no storage, no network): the rate it
 * allows, and the process CPU per message of each side.
 */
import * as signal from '@signalapp/libsignal-client'

class Sessions extends signal.SessionStore {
  private readonly map = new Map<string, Uint8Array<ArrayBuffer>>()
  async saveSession (name: signal.ProtocolAddress, record: signal.SessionRecord): Promise<void> { this.map.set(name.toString(), record.serialize()) }
  async getSession (name: signal.ProtocolAddress): Promise<signal.SessionRecord | null> {
    const bytes = this.map.get(name.toString())
    return bytes == null ? null : signal.SessionRecord.deserialize(bytes)
  }

  async getExistingSessions (addresses: signal.ProtocolAddress[]): Promise<signal.SessionRecord[]> {
    return Promise.all(addresses.map(async a => await this.getSession(a) as signal.SessionRecord))
  }
}

class Identities extends signal.IdentityKeyStore {
  private readonly map = new Map<string, signal.PublicKey>()
  constructor (private readonly pair: signal.IdentityKeyPair, private readonly registrationId: number) { super() }
  async getIdentityKey (): Promise<signal.PrivateKey> { return this.pair.privateKey }
  async getLocalRegistrationId (): Promise<number> { return this.registrationId }
  async saveIdentity (name: signal.ProtocolAddress, key: signal.PublicKey): Promise<signal.IdentityChange> {
    this.map.set(name.toString(), key)
    return signal.IdentityChange.NewOrUnchanged
  }

  async isTrustedIdentity (): Promise<boolean> { return true }
  async getIdentity (name: signal.ProtocolAddress): Promise<signal.PublicKey | null> { return this.map.get(name.toString()) ?? null }
}

class PreKeys extends signal.PreKeyStore {
  readonly map = new Map<number, signal.PreKeyRecord>()
  async savePreKey (id: number, record: signal.PreKeyRecord): Promise<void> { this.map.set(id, record) }
  async getPreKey (id: number): Promise<signal.PreKeyRecord> { return this.map.get(id) as signal.PreKeyRecord }
  async removePreKey (id: number): Promise<void> { this.map.delete(id) }
}

class SignedPreKeys extends signal.SignedPreKeyStore {
  readonly map = new Map<number, signal.SignedPreKeyRecord>()
  async saveSignedPreKey (id: number, record: signal.SignedPreKeyRecord): Promise<void> { this.map.set(id, record) }
  async getSignedPreKey (id: number): Promise<signal.SignedPreKeyRecord> { return this.map.get(id) as signal.SignedPreKeyRecord }
}

class KyberPreKeys extends signal.KyberPreKeyStore {
  readonly map = new Map<number, signal.KyberPreKeyRecord>()
  async saveKyberPreKey (id: number, record: signal.KyberPreKeyRecord): Promise<void> { this.map.set(id, record) }
  async getKyberPreKey (id: number): Promise<signal.KyberPreKeyRecord> { return this.map.get(id) as signal.KyberPreKeyRecord }
  async markKyberPreKeyUsed (): Promise<void> {}
}

interface Party {
  uuid: string
  address: signal.ProtocolAddress
  pair: signal.IdentityKeyPair
  sessions: Sessions
  identities: Identities
  preKeys: PreKeys
  signed: SignedPreKeys
  kyber: KyberPreKeys
  cert: signal.SenderCertificate
}

function party (uuid: string): Party {
  const pair = signal.IdentityKeyPair.generate()
  const registrationId = 1 + Math.floor(Math.random() * 16000)
  const server = signal.ServerCertificate.new(1, pair.publicKey, pair.privateKey)
  const cert = signal.SenderCertificate.new(uuid, null, 1, pair.publicKey, Date.now() + 86_400_000, server, pair.privateKey)
  return {
    uuid,
    address: signal.ProtocolAddress.new(uuid, 1),
    pair,
    sessions: new Sessions(),
    identities: new Identities(pair, registrationId),
    preKeys: new PreKeys(),
    signed: new SignedPreKeys(),
    kyber: new KyberPreKeys(),
    cert
  }
}

async function seal (from: Party, to: Party, plaintext: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return signal.sealedSenderEncryptMessage(plaintext, to.address, from.cert, from.sessions, from.identities)
}

/** Certificates that validated, by their bytes: Sotto checks a certificate's signatures once. */
const validated = new Set<string>()

async function unseal (at: Party, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const usmc = await signal.sealedSenderDecryptToUsmc(sealed, at.identities)
  const cert = usmc.senderCertificate()
  const id = Buffer.from(cert.serialize()).toString('base64')
  if (!validated.has(id)) {
    if (!cert.validate(cert.key(), Date.now())) throw new Error('certificate does not validate')
    validated.add(id)
  }
  const sender = signal.ProtocolAddress.new(cert.senderUuid(), 1)
  if (usmc.msgType() === signal.CiphertextMessageType.PreKey) {
    return signal.signalDecryptPreKey(signal.PreKeySignalMessage.deserialize(usmc.contents()), sender, at.address, at.sessions, at.identities, at.preKeys, at.signed, at.kyber)
  }
  return signal.signalDecrypt(signal.SignalMessage.deserialize(usmc.contents()), sender, at.address, at.sessions, at.identities)
}

/** What libsignal alone costs for one message: process CPU to seal it, and to open it. */
export interface SignalCost {
  /** Messages per second: the slower of sealing and opening, by wall time. */
  rate: number
  /** Process CPU (user + system) to seal one message, in microseconds. */
  sealCpuUs: number
  /** Process CPU to open one: unseal, certificate check (cached), Double Ratchet decryption. */
  openCpuUs: number
}

function cpuUs (since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since)
  return user + system
}

/**
 * What libsignal costs for `plaintext`, each figure measured over `count` messages of an
 * established session in steady state, best of `runs` runs (a shared machine only ever slows a
 * run down, so the best is the truest bound).
 */
export async function signalCost (plaintext: Uint8Array, count: number, runs = 3): Promise<SignalCost> {
  const alice = party('00000000-0000-4000-8000-00000000000a')
  const bob = party('00000000-0000-4000-8000-00000000000b')
  const signedKey = signal.PrivateKey.generate()
  const signedRecord = signal.SignedPreKeyRecord.new(1, Date.now(), signedKey.getPublicKey(), signedKey, bob.pair.privateKey.sign(signedKey.getPublicKey().serialize()))
  await bob.signed.saveSignedPreKey(1, signedRecord)
  const kem = signal.KEMKeyPair.generate()
  const kyberRecord = signal.KyberPreKeyRecord.new(1, Date.now(), kem, bob.pair.privateKey.sign(kem.getPublicKey().serialize()))
  await bob.kyber.saveKyberPreKey(1, kyberRecord)
  const bundle = signal.PreKeyBundle.new(await bob.identities.getLocalRegistrationId(), 1, null, null, 1, signedKey.getPublicKey(), signedRecord.signature(), bob.pair.publicKey, 1, kem.getPublicKey(), kyberRecord.signature())
  await signal.processPreKeyBundle(bundle, bob.address, alice.address, alice.sessions, alice.identities)
  const body = new Uint8Array(plaintext)
  // Establish both directions, as a conversation does after the first answer.
  await unseal(bob, await seal(alice, bob, body))
  await unseal(alice, await seal(bob, alice, body))

  const best: SignalCost = { rate: 0, sealCpuUs: Infinity, openCpuUs: Infinity }
  for (let run = 0; run < runs; run++) {
    const sealed: Array<Uint8Array<ArrayBuffer>> = []
    let start = performance.now()
    let cpu = process.cpuUsage()
    for (let i = 0; i < count; i++) sealed.push(await seal(alice, bob, body))
    const sealRate = count / ((performance.now() - start) / 1000)
    best.sealCpuUs = Math.min(best.sealCpuUs, cpuUs(cpu) / count)
    start = performance.now()
    cpu = process.cpuUsage()
    for (const s of sealed) await unseal(bob, s)
    const openRate = count / ((performance.now() - start) / 1000)
    best.openCpuUs = Math.min(best.openCpuUs, cpuUs(cpu) / count)
    best.rate = Math.max(best.rate, Math.min(sealRate, openRate))
  }
  return best
}
