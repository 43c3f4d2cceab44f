// SPDX-License-Identifier: AGPL-3.0-only
import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface PreKeyBundle {
  registrationId: number
  deviceId: number
  preKeyId?: number
  preKey?: Uint8Array<ArrayBuffer>
  signedPreKeyId: number
  signedPreKey: Uint8Array<ArrayBuffer>
  signedPreKeySignature: Uint8Array<ArrayBuffer>
  identityKey: Uint8Array<ArrayBuffer>
  kyberPreKeyId: number
  kyberPreKey: Uint8Array<ArrayBuffer>
  kyberPreKeySignature: Uint8Array<ArrayBuffer>
}

export namespace PreKeyBundle {
  let _codec: Codec<PreKeyBundle>

  export const codec = (): Codec<PreKeyBundle> => {
    if (_codec == null) {
      _codec = message<PreKeyBundle>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.registrationId != null && obj.registrationId !== 0)) {
          w.uint32(8)
          w.uint32(obj.registrationId)
        }

        if ((obj.deviceId != null && obj.deviceId !== 0)) {
          w.uint32(16)
          w.uint32(obj.deviceId)
        }

        if (obj.preKeyId != null) {
          w.uint32(24)
          w.uint32(obj.preKeyId)
        }

        if (obj.preKey != null) {
          w.uint32(34)
          w.bytes(obj.preKey)
        }

        if ((obj.signedPreKeyId != null && obj.signedPreKeyId !== 0)) {
          w.uint32(40)
          w.uint32(obj.signedPreKeyId)
        }

        if ((obj.signedPreKey != null && obj.signedPreKey.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.signedPreKey)
        }

        if ((obj.signedPreKeySignature != null && obj.signedPreKeySignature.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.signedPreKeySignature)
        }

        if ((obj.identityKey != null && obj.identityKey.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.identityKey)
        }

        if ((obj.kyberPreKeyId != null && obj.kyberPreKeyId !== 0)) {
          w.uint32(72)
          w.uint32(obj.kyberPreKeyId)
        }

        if ((obj.kyberPreKey != null && obj.kyberPreKey.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.kyberPreKey)
        }

        if ((obj.kyberPreKeySignature != null && obj.kyberPreKeySignature.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.kyberPreKeySignature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          registrationId: 0,
          deviceId: 0,
          signedPreKeyId: 0,
          signedPreKey: new Uint8Array(0),
          signedPreKeySignature: new Uint8Array(0),
          identityKey: new Uint8Array(0),
          kyberPreKeyId: 0,
          kyberPreKey: new Uint8Array(0),
          kyberPreKeySignature: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.registrationId = reader.uint32()
              break
            }
            case 2: {
              obj.deviceId = reader.uint32()
              break
            }
            case 3: {
              obj.preKeyId = reader.uint32()
              break
            }
            case 4: {
              obj.preKey = reader.bytes()
              break
            }
            case 5: {
              obj.signedPreKeyId = reader.uint32()
              break
            }
            case 6: {
              obj.signedPreKey = reader.bytes()
              break
            }
            case 7: {
              obj.signedPreKeySignature = reader.bytes()
              break
            }
            case 8: {
              obj.identityKey = reader.bytes()
              break
            }
            case 9: {
              obj.kyberPreKeyId = reader.uint32()
              break
            }
            case 10: {
              obj.kyberPreKey = reader.bytes()
              break
            }
            case 11: {
              obj.kyberPreKeySignature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.registrationId`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.deviceId`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.preKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.preKey`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.signedPreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.signedPreKey`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.signedPreKeySignature`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.identityKey`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.kyberPreKeyId`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.kyberPreKey`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.kyberPreKeySignature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PreKeyBundleRegistrationIdFieldEvent {
    field: '$.registrationId'
    value: number
  }

  export interface PreKeyBundleDeviceIdFieldEvent {
    field: '$.deviceId'
    value: number
  }

  export interface PreKeyBundlePreKeyIdFieldEvent {
    field: '$.preKeyId'
    value: number
  }

  export interface PreKeyBundlePreKeyFieldEvent {
    field: '$.preKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PreKeyBundleSignedPreKeyIdFieldEvent {
    field: '$.signedPreKeyId'
    value: number
  }

  export interface PreKeyBundleSignedPreKeyFieldEvent {
    field: '$.signedPreKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PreKeyBundleSignedPreKeySignatureFieldEvent {
    field: '$.signedPreKeySignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PreKeyBundleIdentityKeyFieldEvent {
    field: '$.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PreKeyBundleKyberPreKeyIdFieldEvent {
    field: '$.kyberPreKeyId'
    value: number
  }

  export interface PreKeyBundleKyberPreKeyFieldEvent {
    field: '$.kyberPreKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PreKeyBundleKyberPreKeySignatureFieldEvent {
    field: '$.kyberPreKeySignature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PreKeyBundle>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PreKeyBundle.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyBundle>): PreKeyBundle {
    return decodeMessage(buf, PreKeyBundle.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PreKeyBundle>): Generator<PreKeyBundleRegistrationIdFieldEvent | PreKeyBundleDeviceIdFieldEvent | PreKeyBundlePreKeyIdFieldEvent | PreKeyBundlePreKeyFieldEvent | PreKeyBundleSignedPreKeyIdFieldEvent | PreKeyBundleSignedPreKeyFieldEvent | PreKeyBundleSignedPreKeySignatureFieldEvent | PreKeyBundleIdentityKeyFieldEvent | PreKeyBundleKyberPreKeyIdFieldEvent | PreKeyBundleKyberPreKeyFieldEvent | PreKeyBundleKyberPreKeySignatureFieldEvent> {
    return streamMessage(buf, PreKeyBundle.codec(), opts)
  }
}

export interface InviteRelay {
  addr: Uint8Array<ArrayBuffer>
  mailboxId: Uint8Array<ArrayBuffer>
  introToken: Uint8Array<ArrayBuffer>
}

export namespace InviteRelay {
  let _codec: Codec<InviteRelay>

  export const codec = (): Codec<InviteRelay> => {
    if (_codec == null) {
      _codec = message<InviteRelay>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.addr != null && obj.addr.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.addr)
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.mailboxId)
        }

        if ((obj.introToken != null && obj.introToken.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.introToken)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          addr: new Uint8Array(0),
          mailboxId: new Uint8Array(0),
          introToken: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.addr = reader.bytes()
              break
            }
            case 2: {
              obj.mailboxId = reader.bytes()
              break
            }
            case 3: {
              obj.introToken = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.addr`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.mailboxId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.introToken`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface InviteRelayAddrFieldEvent {
    field: '$.addr'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteRelayMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteRelayIntroTokenFieldEvent {
    field: '$.introToken'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<InviteRelay>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, InviteRelay.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteRelay>): InviteRelay {
    return decodeMessage(buf, InviteRelay.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteRelay>): Generator<InviteRelayAddrFieldEvent | InviteRelayMailboxIdFieldEvent | InviteRelayIntroTokenFieldEvent> {
    return streamMessage(buf, InviteRelay.codec(), opts)
  }
}

export interface InviteCardBody {
  version: number
  name: string
  userId: Uint8Array<ArrayBuffer>
  peerId: Uint8Array<ArrayBuffer>
  bundle?: PreKeyBundle
  addrs: Uint8Array<ArrayBuffer>[]
  relays: InviteRelay[]
  createdAt: bigint
  inviteTag?: Uint8Array<ArrayBuffer>
}

export namespace InviteCardBody {
  let _codec: Codec<InviteCardBody>

  export const codec = (): Codec<InviteCardBody> => {
    if (_codec == null) {
      _codec = message<InviteCardBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.userId != null && obj.userId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.userId)
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.peerId)
        }

        if (obj.bundle != null) {
          w.uint32(42)
          PreKeyBundle.codec().encode(obj.bundle, w)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(50)
            w.bytes(value)
          }
        }

        if (obj.relays != null && obj.relays.length > 0) {
          for (const value of obj.relays) {
            w.uint32(58)
            InviteRelay.codec().encode(value, w)
          }
        }

        if ((obj.createdAt != null && obj.createdAt !== 0n)) {
          w.uint32(64)
          w.uint64(obj.createdAt)
        }

        if (obj.inviteTag != null) {
          w.uint32(74)
          w.bytes(obj.inviteTag)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          name: '',
          userId: new Uint8Array(0),
          peerId: new Uint8Array(0),
          addrs: [],
          relays: [],
          createdAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.userId = reader.bytes()
              break
            }
            case 4: {
              obj.peerId = reader.bytes()
              break
            }
            case 5: {
              obj.bundle = PreKeyBundle.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.bundle
              })
              break
            }
            case 6: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 7: {
              if (opts.limits?.relays != null && obj.relays.length === opts.limits.relays) {
                throw new MaxLengthError('Decode error - repeated field "relays" had too many elements')
              }

              obj.relays.push(InviteRelay.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.relays$
              }))
              break
            }
            case 8: {
              obj.createdAt = reader.uint64()
              break
            }
            case 9: {
              obj.inviteTag = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0,
          relays: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.userId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield * PreKeyBundle.codec().stream(reader, reader.uint32(), `${prefix}.bundle`, {
                limits: opts.limits?.bundle
              })

              break
            }
            case 6: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            case 7: {
              if (opts.limits?.relays != null && obj.relays === opts.limits.relays) {
                throw new MaxLengthError('Streaming decode error - repeated field "relays" had too many elements')
              }

              for (const evt of InviteRelay.codec().stream(reader, reader.uint32(), `${prefix}.relays[]`, {
                limits: opts.limits?.relays$
              })) {
                yield {
                  ...evt,
                  index: obj.relays
                }
              }

              obj.relays++

              break
            }
            case 8: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.inviteTag`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface InviteCardBodyVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface InviteCardBodyNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface InviteCardBodyUserIdFieldEvent {
    field: '$.userId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyBundleRegistrationIdFieldEvent {
    field: '$.bundle.registrationId'
    value: number
  }

  export interface InviteCardBodyBundleDeviceIdFieldEvent {
    field: '$.bundle.deviceId'
    value: number
  }

  export interface InviteCardBodyBundlePreKeyIdFieldEvent {
    field: '$.bundle.preKeyId'
    value: number
  }

  export interface InviteCardBodyBundlePreKeyFieldEvent {
    field: '$.bundle.preKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyBundleSignedPreKeyIdFieldEvent {
    field: '$.bundle.signedPreKeyId'
    value: number
  }

  export interface InviteCardBodyBundleSignedPreKeyFieldEvent {
    field: '$.bundle.signedPreKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyBundleSignedPreKeySignatureFieldEvent {
    field: '$.bundle.signedPreKeySignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyBundleIdentityKeyFieldEvent {
    field: '$.bundle.identityKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyBundleKyberPreKeyIdFieldEvent {
    field: '$.bundle.kyberPreKeyId'
    value: number
  }

  export interface InviteCardBodyBundleKyberPreKeyFieldEvent {
    field: '$.bundle.kyberPreKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyBundleKyberPreKeySignatureFieldEvent {
    field: '$.bundle.kyberPreKeySignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCardBodyRelaysAddrFieldEvent {
    field: '$.relays[].addr'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface InviteCardBodyRelaysMailboxIdFieldEvent {
    field: '$.relays[].mailboxId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface InviteCardBodyRelaysIntroTokenFieldEvent {
    field: '$.relays[].introToken'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface InviteCardBodyCreatedAtFieldEvent {
    field: '$.createdAt'
    value: bigint
  }

  export interface InviteCardBodyInviteTagFieldEvent {
    field: '$.inviteTag'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<InviteCardBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, InviteCardBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteCardBody>): InviteCardBody {
    return decodeMessage(buf, InviteCardBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteCardBody>): Generator<InviteCardBodyVersionFieldEvent | InviteCardBodyNameFieldEvent | InviteCardBodyUserIdFieldEvent | InviteCardBodyPeerIdFieldEvent | InviteCardBodyBundleRegistrationIdFieldEvent | InviteCardBodyBundleDeviceIdFieldEvent | InviteCardBodyBundlePreKeyIdFieldEvent | InviteCardBodyBundlePreKeyFieldEvent | InviteCardBodyBundleSignedPreKeyIdFieldEvent | InviteCardBodyBundleSignedPreKeyFieldEvent | InviteCardBodyBundleSignedPreKeySignatureFieldEvent | InviteCardBodyBundleIdentityKeyFieldEvent | InviteCardBodyBundleKyberPreKeyIdFieldEvent | InviteCardBodyBundleKyberPreKeyFieldEvent | InviteCardBodyBundleKyberPreKeySignatureFieldEvent | InviteCardBodyAddrsFieldEvent | InviteCardBodyRelaysAddrFieldEvent | InviteCardBodyRelaysMailboxIdFieldEvent | InviteCardBodyRelaysIntroTokenFieldEvent | InviteCardBodyCreatedAtFieldEvent | InviteCardBodyInviteTagFieldEvent> {
    return streamMessage(buf, InviteCardBody.codec(), opts)
  }
}

export interface SignedInviteCard {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedInviteCard {
  let _codec: Codec<SignedInviteCard>

  export const codec = (): Codec<SignedInviteCard> => {
    if (_codec == null) {
      _codec = message<SignedInviteCard>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: new Uint8Array(0),
          signature: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedInviteCardBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedInviteCardSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedInviteCard>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedInviteCard.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedInviteCard>): SignedInviteCard {
    return decodeMessage(buf, SignedInviteCard.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedInviteCard>): Generator<SignedInviteCardBodyFieldEvent | SignedInviteCardSignatureFieldEvent> {
    return streamMessage(buf, SignedInviteCard.codec(), opts)
  }
}

export interface Envelope {
  id: Uint8Array<ArrayBuffer>
  sealed: Uint8Array<ArrayBuffer>
  padding: Uint8Array<ArrayBuffer>[]
}

export namespace Envelope {
  let _codec: Codec<Envelope>

  export const codec = (): Codec<Envelope> => {
    if (_codec == null) {
      _codec = message<Envelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sealed)
        }

        if (obj.padding != null && obj.padding.length > 0) {
          for (const value of obj.padding) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: new Uint8Array(0),
          sealed: new Uint8Array(0),
          padding: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.sealed = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.padding != null && obj.padding.length === opts.limits.padding) {
                throw new MaxLengthError('Decode error - repeated field "padding" had too many elements')
              }

              obj.padding.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          padding: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sealed`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.padding != null && obj.padding === opts.limits.padding) {
                throw new MaxLengthError('Streaming decode error - repeated field "padding" had too many elements')
              }

              yield {
                field: `${prefix}.padding[]`,
                index: obj.padding,
                value: reader.bytes()
              }

              obj.padding++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EnvelopeIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopeSealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EnvelopePaddingFieldEvent {
    field: '$.padding[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Envelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Envelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Envelope {
    return decodeMessage(buf, Envelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Generator<EnvelopeIdFieldEvent | EnvelopeSealedFieldEvent | EnvelopePaddingFieldEvent> {
    return streamMessage(buf, Envelope.codec(), opts)
  }
}

export interface Content {
  id: Uint8Array<ArrayBuffer>
  sentAt: bigint
  senderCard?: Uint8Array<ArrayBuffer>
  text?: Content.Text
  deliveryReceipt?: Content.DeliveryReceipt
  disappearingTimer?: Content.DisappearingTimer
  tokens?: Content.Tokens
  resendRequest?: Content.ResendRequest
  file?: Content.File
  readReceipt?: Content.ReadReceipt
  typing?: Content.Typing
  reaction?: Content.Reaction
  edit?: Content.Edit
  delete?: Content.Delete
  installationMoved?: Content.Moved
  installationReplaced?: Content.Moved
  groupUpdate?: Content.GroupUpdate
  senderKey?: Content.SenderKey
  groupText?: Content.GroupText
  groupJoin?: Content.GroupJoin
  fileNotice?: Content.FileNotice
  padding: Uint8Array<ArrayBuffer>[]
  inviteTag?: Uint8Array<ArrayBuffer>
}

export namespace Content {
  export interface Text {
    text: string
    seq: bigint
    replyTo?: Uint8Array<ArrayBuffer>
  }

  export namespace Text {
    let _codec: Codec<Text>

    export const codec = (): Codec<Text> => {
      if (_codec == null) {
        _codec = message<Text>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.text != null && obj.text !== '')) {
            w.uint32(10)
            w.string(obj.text)
          }

          if ((obj.seq != null && obj.seq !== 0n)) {
            w.uint32(16)
            w.uint64(obj.seq)
          }

          if (obj.replyTo != null) {
            w.uint32(26)
            w.bytes(obj.replyTo)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            text: '',
            seq: 0n
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.text = reader.string()
                break
              }
              case 2: {
                obj.seq = reader.uint64()
                break
              }
              case 3: {
                obj.replyTo = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.text`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.seq`,
                  value: reader.uint64()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.replyTo`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface TextTextFieldEvent {
      field: '$.text'
      value: string
    }

    export interface TextSeqFieldEvent {
      field: '$.seq'
      value: bigint
    }

    export interface TextReplyToFieldEvent {
      field: '$.replyTo'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<Text>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Text.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Text>): Text {
      return decodeMessage(buf, Text.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Text>): Generator<TextTextFieldEvent | TextSeqFieldEvent | TextReplyToFieldEvent> {
      return streamMessage(buf, Text.codec(), opts)
    }
  }

  export interface ReadReceipt {
    ids: Uint8Array<ArrayBuffer>[]
  }

  export namespace ReadReceipt {
    let _codec: Codec<ReadReceipt>

    export const codec = (): Codec<ReadReceipt> => {
      if (_codec == null) {
        _codec = message<ReadReceipt>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.ids != null && obj.ids.length > 0) {
            for (const value of obj.ids) {
              w.uint32(10)
              w.bytes(value)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            ids: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                  throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
                }

                obj.ids.push(reader.bytes())
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const obj = {
            ids: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                  throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
                }

                yield {
                  field: `${prefix}.ids[]`,
                  index: obj.ids,
                  value: reader.bytes()
                }

                obj.ids++

                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface ReadReceiptIdsFieldEvent {
      field: '$.ids[]'
      index: number
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<ReadReceipt>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, ReadReceipt.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadReceipt>): ReadReceipt {
      return decodeMessage(buf, ReadReceipt.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadReceipt>): Generator<ReadReceiptIdsFieldEvent> {
      return streamMessage(buf, ReadReceipt.codec(), opts)
    }
  }

  export interface Typing {
    started: boolean
  }

  export namespace Typing {
    let _codec: Codec<Typing>

    export const codec = (): Codec<Typing> => {
      if (_codec == null) {
        _codec = message<Typing>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.started != null && obj.started !== false)) {
            w.uint32(8)
            w.bool(obj.started)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            started: false
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.started = reader.bool()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.started`,
                  value: reader.bool()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface TypingStartedFieldEvent {
      field: '$.started'
      value: boolean
    }

    export function encode (obj: Partial<Typing>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Typing.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Typing {
      return decodeMessage(buf, Typing.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Generator<TypingStartedFieldEvent> {
      return streamMessage(buf, Typing.codec(), opts)
    }
  }

  export interface Reaction {
    target: Uint8Array<ArrayBuffer>
    emoji: string
    groupId?: Uint8Array<ArrayBuffer>
  }

  export namespace Reaction {
    let _codec: Codec<Reaction>

    export const codec = (): Codec<Reaction> => {
      if (_codec == null) {
        _codec = message<Reaction>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.target != null && obj.target.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.target)
          }

          if ((obj.emoji != null && obj.emoji !== '')) {
            w.uint32(18)
            w.string(obj.emoji)
          }

          if (obj.groupId != null) {
            w.uint32(26)
            w.bytes(obj.groupId)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            target: new Uint8Array(0),
            emoji: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.target = reader.bytes()
                break
              }
              case 2: {
                obj.emoji = reader.string()
                break
              }
              case 3: {
                obj.groupId = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.target`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.emoji`,
                  value: reader.string()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.groupId`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface ReactionTargetFieldEvent {
      field: '$.target'
      value: Uint8Array<ArrayBuffer>
    }

    export interface ReactionEmojiFieldEvent {
      field: '$.emoji'
      value: string
    }

    export interface ReactionGroupIdFieldEvent {
      field: '$.groupId'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<Reaction>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Reaction.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Reaction>): Reaction {
      return decodeMessage(buf, Reaction.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Reaction>): Generator<ReactionTargetFieldEvent | ReactionEmojiFieldEvent | ReactionGroupIdFieldEvent> {
      return streamMessage(buf, Reaction.codec(), opts)
    }
  }

  export interface Edit {
    target: Uint8Array<ArrayBuffer>
    text: string
    groupId?: Uint8Array<ArrayBuffer>
  }

  export namespace Edit {
    let _codec: Codec<Edit>

    export const codec = (): Codec<Edit> => {
      if (_codec == null) {
        _codec = message<Edit>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.target != null && obj.target.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.target)
          }

          if ((obj.text != null && obj.text !== '')) {
            w.uint32(18)
            w.string(obj.text)
          }

          if (obj.groupId != null) {
            w.uint32(26)
            w.bytes(obj.groupId)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            target: new Uint8Array(0),
            text: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.target = reader.bytes()
                break
              }
              case 2: {
                obj.text = reader.string()
                break
              }
              case 3: {
                obj.groupId = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.target`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.text`,
                  value: reader.string()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.groupId`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface EditTargetFieldEvent {
      field: '$.target'
      value: Uint8Array<ArrayBuffer>
    }

    export interface EditTextFieldEvent {
      field: '$.text'
      value: string
    }

    export interface EditGroupIdFieldEvent {
      field: '$.groupId'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<Edit>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Edit.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Edit>): Edit {
      return decodeMessage(buf, Edit.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Edit>): Generator<EditTargetFieldEvent | EditTextFieldEvent | EditGroupIdFieldEvent> {
      return streamMessage(buf, Edit.codec(), opts)
    }
  }

  export interface Delete {
    target: Uint8Array<ArrayBuffer>
    groupId?: Uint8Array<ArrayBuffer>
  }

  export namespace Delete {
    let _codec: Codec<Delete>

    export const codec = (): Codec<Delete> => {
      if (_codec == null) {
        _codec = message<Delete>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.target != null && obj.target.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.target)
          }

          if (obj.groupId != null) {
            w.uint32(18)
            w.bytes(obj.groupId)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            target: new Uint8Array(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.target = reader.bytes()
                break
              }
              case 2: {
                obj.groupId = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.target`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.groupId`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface DeleteTargetFieldEvent {
      field: '$.target'
      value: Uint8Array<ArrayBuffer>
    }

    export interface DeleteGroupIdFieldEvent {
      field: '$.groupId'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<Delete>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Delete.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Delete {
      return decodeMessage(buf, Delete.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Generator<DeleteTargetFieldEvent | DeleteGroupIdFieldEvent> {
      return streamMessage(buf, Delete.codec(), opts)
    }
  }

  export interface File {
    id: Uint8Array<ArrayBuffer>
    key: Uint8Array<ArrayBuffer>
    size: bigint
    paddedSize: bigint
    chunkSize: number
    root: Uint8Array<ArrayBuffer>
    mime: string
    name: string
    thumbnail?: Uint8Array<ArrayBuffer>
    seq: bigint
  }

  export namespace File {
    let _codec: Codec<File>

    export const codec = (): Codec<File> => {
      if (_codec == null) {
        _codec = message<File>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.id != null && obj.id.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.id)
          }

          if ((obj.key != null && obj.key.byteLength > 0)) {
            w.uint32(18)
            w.bytes(obj.key)
          }

          if ((obj.size != null && obj.size !== 0n)) {
            w.uint32(24)
            w.uint64(obj.size)
          }

          if ((obj.paddedSize != null && obj.paddedSize !== 0n)) {
            w.uint32(32)
            w.uint64(obj.paddedSize)
          }

          if ((obj.chunkSize != null && obj.chunkSize !== 0)) {
            w.uint32(40)
            w.uint32(obj.chunkSize)
          }

          if ((obj.root != null && obj.root.byteLength > 0)) {
            w.uint32(50)
            w.bytes(obj.root)
          }

          if ((obj.mime != null && obj.mime !== '')) {
            w.uint32(58)
            w.string(obj.mime)
          }

          if ((obj.name != null && obj.name !== '')) {
            w.uint32(66)
            w.string(obj.name)
          }

          if (obj.thumbnail != null) {
            w.uint32(74)
            w.bytes(obj.thumbnail)
          }

          if ((obj.seq != null && obj.seq !== 0n)) {
            w.uint32(80)
            w.uint64(obj.seq)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            id: new Uint8Array(0),
            key: new Uint8Array(0),
            size: 0n,
            paddedSize: 0n,
            chunkSize: 0,
            root: new Uint8Array(0),
            mime: '',
            name: '',
            seq: 0n
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.id = reader.bytes()
                break
              }
              case 2: {
                obj.key = reader.bytes()
                break
              }
              case 3: {
                obj.size = reader.uint64()
                break
              }
              case 4: {
                obj.paddedSize = reader.uint64()
                break
              }
              case 5: {
                obj.chunkSize = reader.uint32()
                break
              }
              case 6: {
                obj.root = reader.bytes()
                break
              }
              case 7: {
                obj.mime = reader.string()
                break
              }
              case 8: {
                obj.name = reader.string()
                break
              }
              case 9: {
                obj.thumbnail = reader.bytes()
                break
              }
              case 10: {
                obj.seq = reader.uint64()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.id`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.key`,
                  value: reader.bytes()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.size`,
                  value: reader.uint64()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.paddedSize`,
                  value: reader.uint64()
                }
                break
              }
              case 5: {
                yield {
                  field: `${prefix}.chunkSize`,
                  value: reader.uint32()
                }
                break
              }
              case 6: {
                yield {
                  field: `${prefix}.root`,
                  value: reader.bytes()
                }
                break
              }
              case 7: {
                yield {
                  field: `${prefix}.mime`,
                  value: reader.string()
                }
                break
              }
              case 8: {
                yield {
                  field: `${prefix}.name`,
                  value: reader.string()
                }
                break
              }
              case 9: {
                yield {
                  field: `${prefix}.thumbnail`,
                  value: reader.bytes()
                }
                break
              }
              case 10: {
                yield {
                  field: `${prefix}.seq`,
                  value: reader.uint64()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface FileIdFieldEvent {
      field: '$.id'
      value: Uint8Array<ArrayBuffer>
    }

    export interface FileKeyFieldEvent {
      field: '$.key'
      value: Uint8Array<ArrayBuffer>
    }

    export interface FileSizeFieldEvent {
      field: '$.size'
      value: bigint
    }

    export interface FilePaddedSizeFieldEvent {
      field: '$.paddedSize'
      value: bigint
    }

    export interface FileChunkSizeFieldEvent {
      field: '$.chunkSize'
      value: number
    }

    export interface FileRootFieldEvent {
      field: '$.root'
      value: Uint8Array<ArrayBuffer>
    }

    export interface FileMimeFieldEvent {
      field: '$.mime'
      value: string
    }

    export interface FileNameFieldEvent {
      field: '$.name'
      value: string
    }

    export interface FileThumbnailFieldEvent {
      field: '$.thumbnail'
      value: Uint8Array<ArrayBuffer>
    }

    export interface FileSeqFieldEvent {
      field: '$.seq'
      value: bigint
    }

    export function encode (obj: Partial<File>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, File.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<File>): File {
      return decodeMessage(buf, File.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<File>): Generator<FileIdFieldEvent | FileKeyFieldEvent | FileSizeFieldEvent | FilePaddedSizeFieldEvent | FileChunkSizeFieldEvent | FileRootFieldEvent | FileMimeFieldEvent | FileNameFieldEvent | FileThumbnailFieldEvent | FileSeqFieldEvent> {
      return streamMessage(buf, File.codec(), opts)
    }
  }

  export interface FileNotice {
    target: Uint8Array<ArrayBuffer>
    kind: Content.FileNotice.Kind
  }

  export namespace FileNotice {
    export enum Kind {
      UNKNOWN = 'UNKNOWN',
      CANCELLED = 'CANCELLED',
      HELD = 'HELD',
      WANTED = 'WANTED'
    }

    enum __KindValues {
      UNKNOWN = 0,
      CANCELLED = 1,
      HELD = 2,
      WANTED = 3
    }

    export namespace Kind {
      export const codec = (): Codec<Kind> => {
        return enumeration<Kind>(__KindValues)
      }
    }

    let _codec: Codec<FileNotice>

    export const codec = (): Codec<FileNotice> => {
      if (_codec == null) {
        _codec = message<FileNotice>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.target != null && obj.target.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.target)
          }

          if (obj.kind != null && __KindValues[obj.kind] !== 0) {
            w.uint32(16)
            Content.FileNotice.Kind.codec().encode(obj.kind, w)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            target: new Uint8Array(0),
            kind: Kind.UNKNOWN
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.target = reader.bytes()
                break
              }
              case 2: {
                obj.kind = Content.FileNotice.Kind.codec().decode(reader)
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.target`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.kind`,
                  value: Content.FileNotice.Kind.codec().decode(reader)
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface FileNoticeTargetFieldEvent {
      field: '$.target'
      value: Uint8Array<ArrayBuffer>
    }

    export interface FileNoticeKindFieldEvent {
      field: '$.kind'
      value: Content.FileNotice.Kind
    }

    export function encode (obj: Partial<FileNotice>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, FileNotice.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileNotice>): FileNotice {
      return decodeMessage(buf, FileNotice.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileNotice>): Generator<FileNoticeTargetFieldEvent | FileNoticeKindFieldEvent> {
      return streamMessage(buf, FileNotice.codec(), opts)
    }
  }

  export interface DeliveryReceipt {
    ids: Uint8Array<ArrayBuffer>[]
  }

  export namespace DeliveryReceipt {
    let _codec: Codec<DeliveryReceipt>

    export const codec = (): Codec<DeliveryReceipt> => {
      if (_codec == null) {
        _codec = message<DeliveryReceipt>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.ids != null && obj.ids.length > 0) {
            for (const value of obj.ids) {
              w.uint32(10)
              w.bytes(value)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            ids: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                  throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
                }

                obj.ids.push(reader.bytes())
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const obj = {
            ids: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                  throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
                }

                yield {
                  field: `${prefix}.ids[]`,
                  index: obj.ids,
                  value: reader.bytes()
                }

                obj.ids++

                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface DeliveryReceiptIdsFieldEvent {
      field: '$.ids[]'
      index: number
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<DeliveryReceipt>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, DeliveryReceipt.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliveryReceipt>): DeliveryReceipt {
      return decodeMessage(buf, DeliveryReceipt.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeliveryReceipt>): Generator<DeliveryReceiptIdsFieldEvent> {
      return streamMessage(buf, DeliveryReceipt.codec(), opts)
    }
  }

  export interface ResendRequest {
    ids: Uint8Array<ArrayBuffer>[]
  }

  export namespace ResendRequest {
    let _codec: Codec<ResendRequest>

    export const codec = (): Codec<ResendRequest> => {
      if (_codec == null) {
        _codec = message<ResendRequest>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.ids != null && obj.ids.length > 0) {
            for (const value of obj.ids) {
              w.uint32(10)
              w.bytes(value)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            ids: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                  throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
                }

                obj.ids.push(reader.bytes())
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const obj = {
            ids: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                  throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
                }

                yield {
                  field: `${prefix}.ids[]`,
                  index: obj.ids,
                  value: reader.bytes()
                }

                obj.ids++

                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface ResendRequestIdsFieldEvent {
      field: '$.ids[]'
      index: number
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<ResendRequest>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, ResendRequest.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResendRequest>): ResendRequest {
      return decodeMessage(buf, ResendRequest.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResendRequest>): Generator<ResendRequestIdsFieldEvent> {
      return streamMessage(buf, ResendRequest.codec(), opts)
    }
  }

  export interface DisappearingTimer {
    seconds: number
  }

  export namespace DisappearingTimer {
    let _codec: Codec<DisappearingTimer>

    export const codec = (): Codec<DisappearingTimer> => {
      if (_codec == null) {
        _codec = message<DisappearingTimer>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.seconds != null && obj.seconds !== 0)) {
            w.uint32(8)
            w.uint32(obj.seconds)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            seconds: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.seconds = reader.uint32()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.seconds`,
                  value: reader.uint32()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface DisappearingTimerSecondsFieldEvent {
      field: '$.seconds'
      value: number
    }

    export function encode (obj: Partial<DisappearingTimer>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, DisappearingTimer.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DisappearingTimer>): DisappearingTimer {
      return decodeMessage(buf, DisappearingTimer.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DisappearingTimer>): Generator<DisappearingTimerSecondsFieldEvent> {
      return streamMessage(buf, DisappearingTimer.codec(), opts)
    }
  }

  export interface Tokens {
    relays: Content.RelayToken[]
  }

  export namespace Tokens {
    let _codec: Codec<Tokens>

    export const codec = (): Codec<Tokens> => {
      if (_codec == null) {
        _codec = message<Tokens>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.relays != null && obj.relays.length > 0) {
            for (const value of obj.relays) {
              w.uint32(10)
              Content.RelayToken.codec().encode(value, w)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            relays: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.relays != null && obj.relays.length === opts.limits.relays) {
                  throw new MaxLengthError('Decode error - repeated field "relays" had too many elements')
                }

                obj.relays.push(Content.RelayToken.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.relays$
                }))
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const obj = {
            relays: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                if (opts.limits?.relays != null && obj.relays === opts.limits.relays) {
                  throw new MaxLengthError('Streaming decode error - repeated field "relays" had too many elements')
                }

                for (const evt of Content.RelayToken.codec().stream(reader, reader.uint32(), `${prefix}.relays[]`, {
                  limits: opts.limits?.relays$
                })) {
                  yield {
                    ...evt,
                    index: obj.relays
                  }
                }

                obj.relays++

                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface TokensRelaysAddrFieldEvent {
      field: '$.relays[].addr'
      value: Uint8Array<ArrayBuffer>
      index: number
    }

    export interface TokensRelaysMailboxIdFieldEvent {
      field: '$.relays[].mailboxId'
      value: Uint8Array<ArrayBuffer>
      index: number
    }

    export interface TokensRelaysTokenFieldEvent {
      field: '$.relays[].token'
      value: Uint8Array<ArrayBuffer>
      index: number
    }

    export function encode (obj: Partial<Tokens>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Tokens.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tokens>): Tokens {
      return decodeMessage(buf, Tokens.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tokens>): Generator<TokensRelaysAddrFieldEvent | TokensRelaysMailboxIdFieldEvent | TokensRelaysTokenFieldEvent> {
      return streamMessage(buf, Tokens.codec(), opts)
    }
  }

  export interface GroupUpdate {
    groupId: Uint8Array<ArrayBuffer>
    changes: Uint8Array<ArrayBuffer>[]
  }

  export namespace GroupUpdate {
    let _codec: Codec<GroupUpdate>

    export const codec = (): Codec<GroupUpdate> => {
      if (_codec == null) {
        _codec = message<GroupUpdate>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.groupId)
          }

          if (obj.changes != null && obj.changes.length > 0) {
            for (const value of obj.changes) {
              w.uint32(18)
              w.bytes(value)
            }
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            groupId: new Uint8Array(0),
            changes: []
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.groupId = reader.bytes()
                break
              }
              case 2: {
                if (opts.limits?.changes != null && obj.changes.length === opts.limits.changes) {
                  throw new MaxLengthError('Decode error - repeated field "changes" had too many elements')
                }

                obj.changes.push(reader.bytes())
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const obj = {
            changes: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.groupId`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                if (opts.limits?.changes != null && obj.changes === opts.limits.changes) {
                  throw new MaxLengthError('Streaming decode error - repeated field "changes" had too many elements')
                }

                yield {
                  field: `${prefix}.changes[]`,
                  index: obj.changes,
                  value: reader.bytes()
                }

                obj.changes++

                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface GroupUpdateGroupIdFieldEvent {
      field: '$.groupId'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupUpdateChangesFieldEvent {
      field: '$.changes[]'
      index: number
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<GroupUpdate>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, GroupUpdate.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupUpdate>): GroupUpdate {
      return decodeMessage(buf, GroupUpdate.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupUpdate>): Generator<GroupUpdateGroupIdFieldEvent | GroupUpdateChangesFieldEvent> {
      return streamMessage(buf, GroupUpdate.codec(), opts)
    }
  }

  export interface SenderKey {
    groupId: Uint8Array<ArrayBuffer>
    distribution: Uint8Array<ArrayBuffer>
  }

  export namespace SenderKey {
    let _codec: Codec<SenderKey>

    export const codec = (): Codec<SenderKey> => {
      if (_codec == null) {
        _codec = message<SenderKey>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.groupId)
          }

          if ((obj.distribution != null && obj.distribution.byteLength > 0)) {
            w.uint32(18)
            w.bytes(obj.distribution)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            groupId: new Uint8Array(0),
            distribution: new Uint8Array(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.groupId = reader.bytes()
                break
              }
              case 2: {
                obj.distribution = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.groupId`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.distribution`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface SenderKeyGroupIdFieldEvent {
      field: '$.groupId'
      value: Uint8Array<ArrayBuffer>
    }

    export interface SenderKeyDistributionFieldEvent {
      field: '$.distribution'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<SenderKey>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, SenderKey.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKey>): SenderKey {
      return decodeMessage(buf, SenderKey.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKey>): Generator<SenderKeyGroupIdFieldEvent | SenderKeyDistributionFieldEvent> {
      return streamMessage(buf, SenderKey.codec(), opts)
    }
  }

  export interface GroupText {
    groupId: Uint8Array<ArrayBuffer>
    text: string
    seq: bigint
    disappearingSeconds: number
    file?: Content.File
    replyTo?: Uint8Array<ArrayBuffer>
  }

  export namespace GroupText {
    let _codec: Codec<GroupText>

    export const codec = (): Codec<GroupText> => {
      if (_codec == null) {
        _codec = message<GroupText>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.groupId)
          }

          if ((obj.text != null && obj.text !== '')) {
            w.uint32(18)
            w.string(obj.text)
          }

          if ((obj.seq != null && obj.seq !== 0n)) {
            w.uint32(24)
            w.uint64(obj.seq)
          }

          if ((obj.disappearingSeconds != null && obj.disappearingSeconds !== 0)) {
            w.uint32(32)
            w.uint32(obj.disappearingSeconds)
          }

          if (obj.file != null) {
            w.uint32(42)
            Content.File.codec().encode(obj.file, w)
          }

          if (obj.replyTo != null) {
            w.uint32(50)
            w.bytes(obj.replyTo)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            groupId: new Uint8Array(0),
            text: '',
            seq: 0n,
            disappearingSeconds: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.groupId = reader.bytes()
                break
              }
              case 2: {
                obj.text = reader.string()
                break
              }
              case 3: {
                obj.seq = reader.uint64()
                break
              }
              case 4: {
                obj.disappearingSeconds = reader.uint32()
                break
              }
              case 5: {
                obj.file = Content.File.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.file
                })
                break
              }
              case 6: {
                obj.replyTo = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.groupId`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.text`,
                  value: reader.string()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.seq`,
                  value: reader.uint64()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.disappearingSeconds`,
                  value: reader.uint32()
                }
                break
              }
              case 5: {
                yield * Content.File.codec().stream(reader, reader.uint32(), `${prefix}.file`, {
                  limits: opts.limits?.file
                })

                break
              }
              case 6: {
                yield {
                  field: `${prefix}.replyTo`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface GroupTextGroupIdFieldEvent {
      field: '$.groupId'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupTextTextFieldEvent {
      field: '$.text'
      value: string
    }

    export interface GroupTextSeqFieldEvent {
      field: '$.seq'
      value: bigint
    }

    export interface GroupTextDisappearingSecondsFieldEvent {
      field: '$.disappearingSeconds'
      value: number
    }

    export interface GroupTextFileIdFieldEvent {
      field: '$.file.id'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupTextFileKeyFieldEvent {
      field: '$.file.key'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupTextFileSizeFieldEvent {
      field: '$.file.size'
      value: bigint
    }

    export interface GroupTextFilePaddedSizeFieldEvent {
      field: '$.file.paddedSize'
      value: bigint
    }

    export interface GroupTextFileChunkSizeFieldEvent {
      field: '$.file.chunkSize'
      value: number
    }

    export interface GroupTextFileRootFieldEvent {
      field: '$.file.root'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupTextFileMimeFieldEvent {
      field: '$.file.mime'
      value: string
    }

    export interface GroupTextFileNameFieldEvent {
      field: '$.file.name'
      value: string
    }

    export interface GroupTextFileThumbnailFieldEvent {
      field: '$.file.thumbnail'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupTextFileSeqFieldEvent {
      field: '$.file.seq'
      value: bigint
    }

    export interface GroupTextReplyToFieldEvent {
      field: '$.replyTo'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<GroupText>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, GroupText.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupText>): GroupText {
      return decodeMessage(buf, GroupText.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupText>): Generator<GroupTextGroupIdFieldEvent | GroupTextTextFieldEvent | GroupTextSeqFieldEvent | GroupTextDisappearingSecondsFieldEvent | GroupTextFileIdFieldEvent | GroupTextFileKeyFieldEvent | GroupTextFileSizeFieldEvent | GroupTextFilePaddedSizeFieldEvent | GroupTextFileChunkSizeFieldEvent | GroupTextFileRootFieldEvent | GroupTextFileMimeFieldEvent | GroupTextFileNameFieldEvent | GroupTextFileThumbnailFieldEvent | GroupTextFileSeqFieldEvent | GroupTextReplyToFieldEvent> {
      return streamMessage(buf, GroupText.codec(), opts)
    }
  }

  export interface GroupJoin {
    groupId: Uint8Array<ArrayBuffer>
    name: string
    card?: Uint8Array<ArrayBuffer>
    depositToken?: Uint8Array<ArrayBuffer>
  }

  export namespace GroupJoin {
    let _codec: Codec<GroupJoin>

    export const codec = (): Codec<GroupJoin> => {
      if (_codec == null) {
        _codec = message<GroupJoin>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.groupId)
          }

          if ((obj.name != null && obj.name !== '')) {
            w.uint32(18)
            w.string(obj.name)
          }

          if (obj.card != null) {
            w.uint32(26)
            w.bytes(obj.card)
          }

          if (obj.depositToken != null) {
            w.uint32(34)
            w.bytes(obj.depositToken)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            groupId: new Uint8Array(0),
            name: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.groupId = reader.bytes()
                break
              }
              case 2: {
                obj.name = reader.string()
                break
              }
              case 3: {
                obj.card = reader.bytes()
                break
              }
              case 4: {
                obj.depositToken = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.groupId`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.name`,
                  value: reader.string()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.card`,
                  value: reader.bytes()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.depositToken`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface GroupJoinGroupIdFieldEvent {
      field: '$.groupId'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupJoinNameFieldEvent {
      field: '$.name'
      value: string
    }

    export interface GroupJoinCardFieldEvent {
      field: '$.card'
      value: Uint8Array<ArrayBuffer>
    }

    export interface GroupJoinDepositTokenFieldEvent {
      field: '$.depositToken'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<GroupJoin>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, GroupJoin.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupJoin>): GroupJoin {
      return decodeMessage(buf, GroupJoin.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupJoin>): Generator<GroupJoinGroupIdFieldEvent | GroupJoinNameFieldEvent | GroupJoinCardFieldEvent | GroupJoinDepositTokenFieldEvent> {
      return streamMessage(buf, GroupJoin.codec(), opts)
    }
  }

  export interface RelayToken {
    addr: Uint8Array<ArrayBuffer>
    mailboxId: Uint8Array<ArrayBuffer>
    token: Uint8Array<ArrayBuffer>
  }

  export namespace RelayToken {
    let _codec: Codec<RelayToken>

    export const codec = (): Codec<RelayToken> => {
      if (_codec == null) {
        _codec = message<RelayToken>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.addr != null && obj.addr.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.addr)
          }

          if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
            w.uint32(18)
            w.bytes(obj.mailboxId)
          }

          if ((obj.token != null && obj.token.byteLength > 0)) {
            w.uint32(26)
            w.bytes(obj.token)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            addr: new Uint8Array(0),
            mailboxId: new Uint8Array(0),
            token: new Uint8Array(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.addr = reader.bytes()
                break
              }
              case 2: {
                obj.mailboxId = reader.bytes()
                break
              }
              case 3: {
                obj.token = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.addr`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.mailboxId`,
                  value: reader.bytes()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.token`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface RelayTokenAddrFieldEvent {
      field: '$.addr'
      value: Uint8Array<ArrayBuffer>
    }

    export interface RelayTokenMailboxIdFieldEvent {
      field: '$.mailboxId'
      value: Uint8Array<ArrayBuffer>
    }

    export interface RelayTokenTokenFieldEvent {
      field: '$.token'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<RelayToken>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, RelayToken.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RelayToken>): RelayToken {
      return decodeMessage(buf, RelayToken.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RelayToken>): Generator<RelayTokenAddrFieldEvent | RelayTokenMailboxIdFieldEvent | RelayTokenTokenFieldEvent> {
      return streamMessage(buf, RelayToken.codec(), opts)
    }
  }

  export interface Moved {
    installation: number
    card: Uint8Array<ArrayBuffer>
    signature: Uint8Array<ArrayBuffer>
  }

  export namespace Moved {
    let _codec: Codec<Moved>

    export const codec = (): Codec<Moved> => {
      if (_codec == null) {
        _codec = message<Moved>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.installation != null && obj.installation !== 0)) {
            w.uint32(8)
            w.uint32(obj.installation)
          }

          if ((obj.card != null && obj.card.byteLength > 0)) {
            w.uint32(18)
            w.bytes(obj.card)
          }

          if ((obj.signature != null && obj.signature.byteLength > 0)) {
            w.uint32(26)
            w.bytes(obj.signature)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            installation: 0,
            card: new Uint8Array(0),
            signature: new Uint8Array(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.installation = reader.uint32()
                break
              }
              case 2: {
                obj.card = reader.bytes()
                break
              }
              case 3: {
                obj.signature = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.installation`,
                  value: reader.uint32()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.card`,
                  value: reader.bytes()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.signature`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface MovedInstallationFieldEvent {
      field: '$.installation'
      value: number
    }

    export interface MovedCardFieldEvent {
      field: '$.card'
      value: Uint8Array<ArrayBuffer>
    }

    export interface MovedSignatureFieldEvent {
      field: '$.signature'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<Moved>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Moved.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Moved>): Moved {
      return decodeMessage(buf, Moved.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Moved>): Generator<MovedInstallationFieldEvent | MovedCardFieldEvent | MovedSignatureFieldEvent> {
      return streamMessage(buf, Moved.codec(), opts)
    }
  }

  let _codec: Codec<Content>

  export const codec = (): Codec<Content> => {
    if (_codec == null) {
      _codec = message<Content>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }


        if (obj.fileNotice != null) {
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.groupJoin != null) {
          obj.fileNotice = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.groupText != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.senderKey != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.groupUpdate != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.installationReplaced != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.installationMoved != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.delete != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.edit != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.reaction != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.typing != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.readReceipt != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.file != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.resendRequest != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.tokens != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.disappearingTimer != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.deliveryReceipt = undefined
          obj.text = undefined
        }

        if (obj.deliveryReceipt != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.text = undefined
        }

        if (obj.text != null) {
          obj.fileNotice = undefined
          obj.groupJoin = undefined
          obj.groupText = undefined
          obj.senderKey = undefined
          obj.groupUpdate = undefined
          obj.installationReplaced = undefined
          obj.installationMoved = undefined
          obj.delete = undefined
          obj.edit = undefined
          obj.reaction = undefined
          obj.typing = undefined
          obj.readReceipt = undefined
          obj.file = undefined
          obj.resendRequest = undefined
          obj.tokens = undefined
          obj.disappearingTimer = undefined
          obj.deliveryReceipt = undefined
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.sentAt != null && obj.sentAt !== 0n)) {
          w.uint32(16)
          w.uint64(obj.sentAt)
        }

        if (obj.senderCard != null) {
          w.uint32(26)
          w.bytes(obj.senderCard)
        }

        if (obj.text != null) {
          w.uint32(34)
          Content.Text.codec().encode(obj.text, w)
        }

        if (obj.deliveryReceipt != null) {
          w.uint32(42)
          Content.DeliveryReceipt.codec().encode(obj.deliveryReceipt, w)
        }

        if (obj.disappearingTimer != null) {
          w.uint32(50)
          Content.DisappearingTimer.codec().encode(obj.disappearingTimer, w)
        }

        if (obj.tokens != null) {
          w.uint32(58)
          Content.Tokens.codec().encode(obj.tokens, w)
        }

        if (obj.resendRequest != null) {
          w.uint32(66)
          Content.ResendRequest.codec().encode(obj.resendRequest, w)
        }

        if (obj.file != null) {
          w.uint32(74)
          Content.File.codec().encode(obj.file, w)
        }

        if (obj.readReceipt != null) {
          w.uint32(82)
          Content.ReadReceipt.codec().encode(obj.readReceipt, w)
        }

        if (obj.typing != null) {
          w.uint32(90)
          Content.Typing.codec().encode(obj.typing, w)
        }

        if (obj.reaction != null) {
          w.uint32(98)
          Content.Reaction.codec().encode(obj.reaction, w)
        }

        if (obj.edit != null) {
          w.uint32(106)
          Content.Edit.codec().encode(obj.edit, w)
        }

        if (obj.delete != null) {
          w.uint32(114)
          Content.Delete.codec().encode(obj.delete, w)
        }

        if (obj.installationMoved != null) {
          w.uint32(162)
          Content.Moved.codec().encode(obj.installationMoved, w)
        }

        if (obj.installationReplaced != null) {
          w.uint32(170)
          Content.Moved.codec().encode(obj.installationReplaced, w)
        }

        if (obj.groupUpdate != null) {
          w.uint32(130)
          Content.GroupUpdate.codec().encode(obj.groupUpdate, w)
        }

        if (obj.senderKey != null) {
          w.uint32(138)
          Content.SenderKey.codec().encode(obj.senderKey, w)
        }

        if (obj.groupText != null) {
          w.uint32(146)
          Content.GroupText.codec().encode(obj.groupText, w)
        }

        if (obj.groupJoin != null) {
          w.uint32(154)
          Content.GroupJoin.codec().encode(obj.groupJoin, w)
        }

        if (obj.fileNotice != null) {
          w.uint32(178)
          Content.FileNotice.codec().encode(obj.fileNotice, w)
        }

        if (obj.padding != null && obj.padding.length > 0) {
          for (const value of obj.padding) {
            w.uint32(122)
            w.bytes(value)
          }
        }

        if (obj.inviteTag != null) {
          w.uint32(186)
          w.bytes(obj.inviteTag)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: new Uint8Array(0),
          sentAt: 0n,
          padding: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.sentAt = reader.uint64()
              break
            }
            case 3: {
              obj.senderCard = reader.bytes()
              break
            }
            case 4: {
              obj.text = Content.Text.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.text
              })
              break
            }
            case 5: {
              obj.deliveryReceipt = Content.DeliveryReceipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deliveryReceipt
              })
              break
            }
            case 6: {
              obj.disappearingTimer = Content.DisappearingTimer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.disappearingTimer
              })
              break
            }
            case 7: {
              obj.tokens = Content.Tokens.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.tokens
              })
              break
            }
            case 8: {
              obj.resendRequest = Content.ResendRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.resendRequest
              })
              break
            }
            case 9: {
              obj.file = Content.File.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.file
              })
              break
            }
            case 10: {
              obj.readReceipt = Content.ReadReceipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.readReceipt
              })
              break
            }
            case 11: {
              obj.typing = Content.Typing.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.typing
              })
              break
            }
            case 12: {
              obj.reaction = Content.Reaction.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reaction
              })
              break
            }
            case 13: {
              obj.edit = Content.Edit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.edit
              })
              break
            }
            case 14: {
              obj.delete = Content.Delete.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.delete
              })
              break
            }
            case 20: {
              obj.installationMoved = Content.Moved.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.installationMoved
              })
              break
            }
            case 21: {
              obj.installationReplaced = Content.Moved.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.installationReplaced
              })
              break
            }
            case 16: {
              obj.groupUpdate = Content.GroupUpdate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.groupUpdate
              })
              break
            }
            case 17: {
              obj.senderKey = Content.SenderKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.senderKey
              })
              break
            }
            case 18: {
              obj.groupText = Content.GroupText.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.groupText
              })
              break
            }
            case 19: {
              obj.groupJoin = Content.GroupJoin.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.groupJoin
              })
              break
            }
            case 22: {
              obj.fileNotice = Content.FileNotice.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fileNotice
              })
              break
            }
            case 15: {
              if (opts.limits?.padding != null && obj.padding.length === opts.limits.padding) {
                throw new MaxLengthError('Decode error - repeated field "padding" had too many elements')
              }

              obj.padding.push(reader.bytes())
              break
            }
            case 23: {
              obj.inviteTag = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }


        if (obj.fileNotice != null) {
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.groupJoin != null) {
          delete obj.fileNotice
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.groupText != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.senderKey != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.groupUpdate != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.installationReplaced != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.installationMoved != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.delete != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.edit != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.reaction != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.typing != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.readReceipt != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.file != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.resendRequest != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.tokens != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.disappearingTimer != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.deliveryReceipt
          delete obj.text
        }

        if (obj.deliveryReceipt != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.text
        }

        if (obj.text != null) {
          delete obj.fileNotice
          delete obj.groupJoin
          delete obj.groupText
          delete obj.senderKey
          delete obj.groupUpdate
          delete obj.installationReplaced
          delete obj.installationMoved
          delete obj.delete
          delete obj.edit
          delete obj.reaction
          delete obj.typing
          delete obj.readReceipt
          delete obj.file
          delete obj.resendRequest
          delete obj.tokens
          delete obj.disappearingTimer
          delete obj.deliveryReceipt
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          padding: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sentAt`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.senderCard`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield * Content.Text.codec().stream(reader, reader.uint32(), `${prefix}.text`, {
                limits: opts.limits?.text
              })

              break
            }
            case 5: {
              yield * Content.DeliveryReceipt.codec().stream(reader, reader.uint32(), `${prefix}.deliveryReceipt`, {
                limits: opts.limits?.deliveryReceipt
              })

              break
            }
            case 6: {
              yield * Content.DisappearingTimer.codec().stream(reader, reader.uint32(), `${prefix}.disappearingTimer`, {
                limits: opts.limits?.disappearingTimer
              })

              break
            }
            case 7: {
              yield * Content.Tokens.codec().stream(reader, reader.uint32(), `${prefix}.tokens`, {
                limits: opts.limits?.tokens
              })

              break
            }
            case 8: {
              yield * Content.ResendRequest.codec().stream(reader, reader.uint32(), `${prefix}.resendRequest`, {
                limits: opts.limits?.resendRequest
              })

              break
            }
            case 9: {
              yield * Content.File.codec().stream(reader, reader.uint32(), `${prefix}.file`, {
                limits: opts.limits?.file
              })

              break
            }
            case 10: {
              yield * Content.ReadReceipt.codec().stream(reader, reader.uint32(), `${prefix}.readReceipt`, {
                limits: opts.limits?.readReceipt
              })

              break
            }
            case 11: {
              yield * Content.Typing.codec().stream(reader, reader.uint32(), `${prefix}.typing`, {
                limits: opts.limits?.typing
              })

              break
            }
            case 12: {
              yield * Content.Reaction.codec().stream(reader, reader.uint32(), `${prefix}.reaction`, {
                limits: opts.limits?.reaction
              })

              break
            }
            case 13: {
              yield * Content.Edit.codec().stream(reader, reader.uint32(), `${prefix}.edit`, {
                limits: opts.limits?.edit
              })

              break
            }
            case 14: {
              yield * Content.Delete.codec().stream(reader, reader.uint32(), `${prefix}.delete`, {
                limits: opts.limits?.delete
              })

              break
            }
            case 20: {
              yield * Content.Moved.codec().stream(reader, reader.uint32(), `${prefix}.installationMoved`, {
                limits: opts.limits?.installationMoved
              })

              break
            }
            case 21: {
              yield * Content.Moved.codec().stream(reader, reader.uint32(), `${prefix}.installationReplaced`, {
                limits: opts.limits?.installationReplaced
              })

              break
            }
            case 16: {
              yield * Content.GroupUpdate.codec().stream(reader, reader.uint32(), `${prefix}.groupUpdate`, {
                limits: opts.limits?.groupUpdate
              })

              break
            }
            case 17: {
              yield * Content.SenderKey.codec().stream(reader, reader.uint32(), `${prefix}.senderKey`, {
                limits: opts.limits?.senderKey
              })

              break
            }
            case 18: {
              yield * Content.GroupText.codec().stream(reader, reader.uint32(), `${prefix}.groupText`, {
                limits: opts.limits?.groupText
              })

              break
            }
            case 19: {
              yield * Content.GroupJoin.codec().stream(reader, reader.uint32(), `${prefix}.groupJoin`, {
                limits: opts.limits?.groupJoin
              })

              break
            }
            case 22: {
              yield * Content.FileNotice.codec().stream(reader, reader.uint32(), `${prefix}.fileNotice`, {
                limits: opts.limits?.fileNotice
              })

              break
            }
            case 15: {
              if (opts.limits?.padding != null && obj.padding === opts.limits.padding) {
                throw new MaxLengthError('Streaming decode error - repeated field "padding" had too many elements')
              }

              yield {
                field: `${prefix}.padding[]`,
                index: obj.padding,
                value: reader.bytes()
              }

              obj.padding++

              break
            }
            case 23: {
              yield {
                field: `${prefix}.inviteTag`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ContentIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentSentAtFieldEvent {
    field: '$.sentAt'
    value: bigint
  }

  export interface ContentSenderCardFieldEvent {
    field: '$.senderCard'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentTextTextFieldEvent {
    field: '$.text.text'
    value: string
  }

  export interface ContentTextSeqFieldEvent {
    field: '$.text.seq'
    value: bigint
  }

  export interface ContentTextReplyToFieldEvent {
    field: '$.text.replyTo'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentDeliveryReceiptIdsFieldEvent {
    field: '$.deliveryReceipt.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentDisappearingTimerSecondsFieldEvent {
    field: '$.disappearingTimer.seconds'
    value: number
  }

  export interface ContentTokensRelaysAddrFieldEvent {
    field: '$.tokens.relays[].addr'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ContentTokensRelaysMailboxIdFieldEvent {
    field: '$.tokens.relays[].mailboxId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ContentTokensRelaysTokenFieldEvent {
    field: '$.tokens.relays[].token'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ContentResendRequestIdsFieldEvent {
    field: '$.resendRequest.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileIdFieldEvent {
    field: '$.file.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileKeyFieldEvent {
    field: '$.file.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileSizeFieldEvent {
    field: '$.file.size'
    value: bigint
  }

  export interface ContentFilePaddedSizeFieldEvent {
    field: '$.file.paddedSize'
    value: bigint
  }

  export interface ContentFileChunkSizeFieldEvent {
    field: '$.file.chunkSize'
    value: number
  }

  export interface ContentFileRootFieldEvent {
    field: '$.file.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileMimeFieldEvent {
    field: '$.file.mime'
    value: string
  }

  export interface ContentFileNameFieldEvent {
    field: '$.file.name'
    value: string
  }

  export interface ContentFileThumbnailFieldEvent {
    field: '$.file.thumbnail'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileSeqFieldEvent {
    field: '$.file.seq'
    value: bigint
  }

  export interface ContentReadReceiptIdsFieldEvent {
    field: '$.readReceipt.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentTypingStartedFieldEvent {
    field: '$.typing.started'
    value: boolean
  }

  export interface ContentReactionTargetFieldEvent {
    field: '$.reaction.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentReactionEmojiFieldEvent {
    field: '$.reaction.emoji'
    value: string
  }

  export interface ContentReactionGroupIdFieldEvent {
    field: '$.reaction.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentEditTargetFieldEvent {
    field: '$.edit.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentEditTextFieldEvent {
    field: '$.edit.text'
    value: string
  }

  export interface ContentEditGroupIdFieldEvent {
    field: '$.edit.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentDeleteTargetFieldEvent {
    field: '$.delete.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentDeleteGroupIdFieldEvent {
    field: '$.delete.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentInstallationMovedInstallationFieldEvent {
    field: '$.installationMoved.installation'
    value: number
  }

  export interface ContentInstallationMovedCardFieldEvent {
    field: '$.installationMoved.card'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentInstallationMovedSignatureFieldEvent {
    field: '$.installationMoved.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentInstallationReplacedInstallationFieldEvent {
    field: '$.installationReplaced.installation'
    value: number
  }

  export interface ContentInstallationReplacedCardFieldEvent {
    field: '$.installationReplaced.card'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentInstallationReplacedSignatureFieldEvent {
    field: '$.installationReplaced.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupUpdateGroupIdFieldEvent {
    field: '$.groupUpdate.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupUpdateChangesFieldEvent {
    field: '$.groupUpdate.changes[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentSenderKeyGroupIdFieldEvent {
    field: '$.senderKey.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentSenderKeyDistributionFieldEvent {
    field: '$.senderKey.distribution'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupTextGroupIdFieldEvent {
    field: '$.groupText.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupTextTextFieldEvent {
    field: '$.groupText.text'
    value: string
  }

  export interface ContentGroupTextSeqFieldEvent {
    field: '$.groupText.seq'
    value: bigint
  }

  export interface ContentGroupTextDisappearingSecondsFieldEvent {
    field: '$.groupText.disappearingSeconds'
    value: number
  }

  export interface ContentGroupTextFileIdFieldEvent {
    field: '$.groupText.file.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupTextFileKeyFieldEvent {
    field: '$.groupText.file.key'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupTextFileSizeFieldEvent {
    field: '$.groupText.file.size'
    value: bigint
  }

  export interface ContentGroupTextFilePaddedSizeFieldEvent {
    field: '$.groupText.file.paddedSize'
    value: bigint
  }

  export interface ContentGroupTextFileChunkSizeFieldEvent {
    field: '$.groupText.file.chunkSize'
    value: number
  }

  export interface ContentGroupTextFileRootFieldEvent {
    field: '$.groupText.file.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupTextFileMimeFieldEvent {
    field: '$.groupText.file.mime'
    value: string
  }

  export interface ContentGroupTextFileNameFieldEvent {
    field: '$.groupText.file.name'
    value: string
  }

  export interface ContentGroupTextFileThumbnailFieldEvent {
    field: '$.groupText.file.thumbnail'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupTextFileSeqFieldEvent {
    field: '$.groupText.file.seq'
    value: bigint
  }

  export interface ContentGroupTextReplyToFieldEvent {
    field: '$.groupText.replyTo'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupJoinGroupIdFieldEvent {
    field: '$.groupJoin.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupJoinNameFieldEvent {
    field: '$.groupJoin.name'
    value: string
  }

  export interface ContentGroupJoinCardFieldEvent {
    field: '$.groupJoin.card'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentGroupJoinDepositTokenFieldEvent {
    field: '$.groupJoin.depositToken'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileNoticeTargetFieldEvent {
    field: '$.fileNotice.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentFileNoticeKindFieldEvent {
    field: '$.fileNotice.kind'
    value: Content.FileNotice.Kind
  }

  export interface ContentPaddingFieldEvent {
    field: '$.padding[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContentInviteTagFieldEvent {
    field: '$.inviteTag'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Content>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Content.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Content {
    return decodeMessage(buf, Content.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Content>): Generator<ContentIdFieldEvent | ContentSentAtFieldEvent | ContentSenderCardFieldEvent | ContentTextTextFieldEvent | ContentTextSeqFieldEvent | ContentTextReplyToFieldEvent | ContentDeliveryReceiptIdsFieldEvent | ContentDisappearingTimerSecondsFieldEvent | ContentTokensRelaysAddrFieldEvent | ContentTokensRelaysMailboxIdFieldEvent | ContentTokensRelaysTokenFieldEvent | ContentResendRequestIdsFieldEvent | ContentFileIdFieldEvent | ContentFileKeyFieldEvent | ContentFileSizeFieldEvent | ContentFilePaddedSizeFieldEvent | ContentFileChunkSizeFieldEvent | ContentFileRootFieldEvent | ContentFileMimeFieldEvent | ContentFileNameFieldEvent | ContentFileThumbnailFieldEvent | ContentFileSeqFieldEvent | ContentReadReceiptIdsFieldEvent | ContentTypingStartedFieldEvent | ContentReactionTargetFieldEvent | ContentReactionEmojiFieldEvent | ContentReactionGroupIdFieldEvent | ContentEditTargetFieldEvent | ContentEditTextFieldEvent | ContentEditGroupIdFieldEvent | ContentDeleteTargetFieldEvent | ContentDeleteGroupIdFieldEvent | ContentInstallationMovedInstallationFieldEvent | ContentInstallationMovedCardFieldEvent | ContentInstallationMovedSignatureFieldEvent | ContentInstallationReplacedInstallationFieldEvent | ContentInstallationReplacedCardFieldEvent | ContentInstallationReplacedSignatureFieldEvent | ContentGroupUpdateGroupIdFieldEvent | ContentGroupUpdateChangesFieldEvent | ContentSenderKeyGroupIdFieldEvent | ContentSenderKeyDistributionFieldEvent | ContentGroupTextGroupIdFieldEvent | ContentGroupTextTextFieldEvent | ContentGroupTextSeqFieldEvent | ContentGroupTextDisappearingSecondsFieldEvent | ContentGroupTextFileIdFieldEvent | ContentGroupTextFileKeyFieldEvent | ContentGroupTextFileSizeFieldEvent | ContentGroupTextFilePaddedSizeFieldEvent | ContentGroupTextFileChunkSizeFieldEvent | ContentGroupTextFileRootFieldEvent | ContentGroupTextFileMimeFieldEvent | ContentGroupTextFileNameFieldEvent | ContentGroupTextFileThumbnailFieldEvent | ContentGroupTextFileSeqFieldEvent | ContentGroupTextReplyToFieldEvent | ContentGroupJoinGroupIdFieldEvent | ContentGroupJoinNameFieldEvent | ContentGroupJoinCardFieldEvent | ContentGroupJoinDepositTokenFieldEvent | ContentFileNoticeTargetFieldEvent | ContentFileNoticeKindFieldEvent | ContentPaddingFieldEvent | ContentInviteTagFieldEvent> {
    return streamMessage(buf, Content.codec(), opts)
  }
}

export interface MessageFrame {
  deliver?: MessageFrame.Deliver
  receipt?: MessageFrame.Receipt
}

export namespace MessageFrame {
  export interface Deliver {
    envelope: Uint8Array<ArrayBuffer>
  }

  export namespace Deliver {
    let _codec: Codec<Deliver>

    export const codec = (): Codec<Deliver> => {
      if (_codec == null) {
        _codec = message<Deliver>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.envelope)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            envelope: new Uint8Array(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.envelope = reader.bytes()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.envelope`,
                  value: reader.bytes()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface DeliverEnvelopeFieldEvent {
      field: '$.envelope'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<Deliver>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Deliver.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deliver>): Deliver {
      return decodeMessage(buf, Deliver.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deliver>): Generator<DeliverEnvelopeFieldEvent> {
      return streamMessage(buf, Deliver.codec(), opts)
    }
  }

  export interface Receipt {
    id: Uint8Array<ArrayBuffer>
    status: MessageFrame.Receipt.Status
    reason: string
  }

  export namespace Receipt {
    export enum Status {
      STATUS_UNSPECIFIED = 'STATUS_UNSPECIFIED',
      STORED = 'STORED',
      DUPLICATE = 'DUPLICATE',
      REJECTED = 'REJECTED'
    }

    enum __StatusValues {
      STATUS_UNSPECIFIED = 0,
      STORED = 1,
      DUPLICATE = 2,
      REJECTED = 3
    }

    export namespace Status {
      export const codec = (): Codec<Status> => {
        return enumeration<Status>(__StatusValues)
      }
    }

    let _codec: Codec<Receipt>

    export const codec = (): Codec<Receipt> => {
      if (_codec == null) {
        _codec = message<Receipt>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.id != null && obj.id.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.id)
          }

          if (obj.status != null && __StatusValues[obj.status] !== 0) {
            w.uint32(16)
            MessageFrame.Receipt.Status.codec().encode(obj.status, w)
          }

          if ((obj.reason != null && obj.reason !== '')) {
            w.uint32(26)
            w.string(obj.reason)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            id: new Uint8Array(0),
            status: Status.STATUS_UNSPECIFIED,
            reason: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.id = reader.bytes()
                break
              }
              case 2: {
                obj.status = MessageFrame.Receipt.Status.codec().decode(reader)
                break
              }
              case 3: {
                obj.reason = reader.string()
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }

          return obj
        }, function * (reader, length, prefix, opts = {}) {
          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                yield {
                  field: `${prefix}.id`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.status`,
                  value: MessageFrame.Receipt.Status.codec().decode(reader)
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.reason`,
                  value: reader.string()
                }
                break
              }
              default: {
                reader.skipType(tag & 7)
                break
              }
            }
          }
        })
      }

      return _codec
    }

    export interface ReceiptIdFieldEvent {
      field: '$.id'
      value: Uint8Array<ArrayBuffer>
    }

    export interface ReceiptStatusFieldEvent {
      field: '$.status'
      value: MessageFrame.Receipt.Status
    }

    export interface ReceiptReasonFieldEvent {
      field: '$.reason'
      value: string
    }

    export function encode (obj: Partial<Receipt>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Receipt.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Receipt {
      return decodeMessage(buf, Receipt.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Generator<ReceiptIdFieldEvent | ReceiptStatusFieldEvent | ReceiptReasonFieldEvent> {
      return streamMessage(buf, Receipt.codec(), opts)
    }
  }

  let _codec: Codec<MessageFrame>

  export const codec = (): Codec<MessageFrame> => {
    if (_codec == null) {
      _codec = message<MessageFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.receipt != null) {
          obj.deliver = undefined
        }

        if (obj.deliver != null) {
          obj.receipt = undefined
        }

        if (obj.deliver != null) {
          w.uint32(10)
          MessageFrame.Deliver.codec().encode(obj.deliver, w)
        }

        if (obj.receipt != null) {
          w.uint32(18)
          MessageFrame.Receipt.codec().encode(obj.receipt, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.deliver = MessageFrame.Deliver.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deliver
              })
              break
            }
            case 2: {
              obj.receipt = MessageFrame.Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipt
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.receipt != null) {
          delete obj.deliver
        }

        if (obj.deliver != null) {
          delete obj.receipt
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * MessageFrame.Deliver.codec().stream(reader, reader.uint32(), `${prefix}.deliver`, {
                limits: opts.limits?.deliver
              })

              break
            }
            case 2: {
              yield * MessageFrame.Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipt`, {
                limits: opts.limits?.receipt
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MessageFrameDeliverEnvelopeFieldEvent {
    field: '$.deliver.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MessageFrameReceiptIdFieldEvent {
    field: '$.receipt.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MessageFrameReceiptStatusFieldEvent {
    field: '$.receipt.status'
    value: MessageFrame.Receipt.Status
  }

  export interface MessageFrameReceiptReasonFieldEvent {
    field: '$.receipt.reason'
    value: string
  }

  export function encode (obj: Partial<MessageFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MessageFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageFrame>): MessageFrame {
    return decodeMessage(buf, MessageFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MessageFrame>): Generator<MessageFrameDeliverEnvelopeFieldEvent | MessageFrameReceiptIdFieldEvent | MessageFrameReceiptStatusFieldEvent | MessageFrameReceiptReasonFieldEvent> {
    return streamMessage(buf, MessageFrame.codec(), opts)
  }
}
