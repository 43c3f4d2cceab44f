// SPDX-License-Identifier: AGPL-3.0-only
import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum Status {
  STATUS_UNSPECIFIED = 'STATUS_UNSPECIFIED',
  OK = 'OK',
  BAD_REQUEST = 'BAD_REQUEST',
  UNAUTHORIZED = 'UNAUTHORIZED',
  TOO_LARGE = 'TOO_LARGE',
  QUOTA = 'QUOTA',
  RATE_LIMITED = 'RATE_LIMITED',
  STALE_AUTH = 'STALE_AUTH',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL'
}

enum __StatusValues {
  STATUS_UNSPECIFIED = 0,
  OK = 1,
  BAD_REQUEST = 2,
  UNAUTHORIZED = 3,
  TOO_LARGE = 4,
  QUOTA = 5,
  RATE_LIMITED = 6,
  STALE_AUTH = 7,
  UNAVAILABLE = 8,
  INTERNAL = 9
}

export namespace Status {
  export const codec = (): Codec<Status> => {
    return enumeration<Status>(__StatusValues)
  }
}

export enum TokenKind {
  TOKEN_KIND_UNSPECIFIED = 'TOKEN_KIND_UNSPECIFIED',
  CONTACT = 'CONTACT',
  INTRODUCTION = 'INTRODUCTION'
}

enum __TokenKindValues {
  TOKEN_KIND_UNSPECIFIED = 0,
  CONTACT = 1,
  INTRODUCTION = 2
}

export namespace TokenKind {
  export const codec = (): Codec<TokenKind> => {
    return enumeration<TokenKind>(__TokenKindValues)
  }
}

export enum OpKind {
  OP_KIND_UNSPECIFIED = 'OP_KIND_UNSPECIFIED',
  CREATE = 'CREATE',
  REGISTER_TOKEN = 'REGISTER_TOKEN',
  REVOKE_TOKEN = 'REVOKE_TOKEN',
  READ = 'READ',
  ACK = 'ACK',
  SUBSCRIBE = 'SUBSCRIBE',
  DELETE = 'DELETE'
}

enum __OpKindValues {
  OP_KIND_UNSPECIFIED = 0,
  CREATE = 1,
  REGISTER_TOKEN = 2,
  REVOKE_TOKEN = 3,
  READ = 4,
  ACK = 5,
  SUBSCRIBE = 6,
  DELETE = 7
}

export namespace OpKind {
  export const codec = (): Codec<OpKind> => {
    return enumeration<OpKind>(__OpKindValues)
  }
}

export interface Request {
  id: number
  owner?: OwnerCall
  deposit?: Deposit
  challenge: boolean
  ping: boolean
}

export namespace Request {
  let _codec: Codec<Request>

  export const codec = (): Codec<Request> => {
    if (_codec == null) {
      _codec = message<Request>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if (obj.owner != null) {
          w.uint32(18)
          OwnerCall.codec().encode(obj.owner, w)
        }

        if (obj.deposit != null) {
          w.uint32(26)
          Deposit.codec().encode(obj.deposit, w)
        }

        if ((obj.challenge != null && obj.challenge !== false)) {
          w.uint32(32)
          w.bool(obj.challenge)
        }

        if ((obj.ping != null && obj.ping !== false)) {
          w.uint32(40)
          w.bool(obj.ping)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          challenge: false,
          ping: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.owner = OwnerCall.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.owner
              })
              break
            }
            case 3: {
              obj.deposit = Deposit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 4: {
              obj.challenge = reader.bool()
              break
            }
            case 5: {
              obj.ping = reader.bool()
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
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield * OwnerCall.codec().stream(reader, reader.uint32(), `${prefix}.owner`, {
                limits: opts.limits?.owner
              })

              break
            }
            case 3: {
              yield * Deposit.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 4: {
              yield {
                field: `${prefix}.challenge`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.ping`,
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

  export interface RequestIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface RequestOwnerPublicKeyFieldEvent {
    field: '$.owner.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestOwnerOpFieldEvent {
    field: '$.owner.op'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestOwnerSignatureFieldEvent {
    field: '$.owner.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDepositMailboxIdFieldEvent {
    field: '$.deposit.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDepositTokenFieldEvent {
    field: '$.deposit.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDepositEnvelopeFieldEvent {
    field: '$.deposit.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestDepositTtlFieldEvent {
    field: '$.deposit.ttl'
    value: number
  }

  export interface RequestChallengeFieldEvent {
    field: '$.challenge'
    value: boolean
  }

  export interface RequestPingFieldEvent {
    field: '$.ping'
    value: boolean
  }

  export function encode (obj: Partial<Request>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Request.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Request {
    return decodeMessage(buf, Request.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Generator<RequestIdFieldEvent | RequestOwnerPublicKeyFieldEvent | RequestOwnerOpFieldEvent | RequestOwnerSignatureFieldEvent | RequestDepositMailboxIdFieldEvent | RequestDepositTokenFieldEvent | RequestDepositEnvelopeFieldEvent | RequestDepositTtlFieldEvent | RequestChallengeFieldEvent | RequestPingFieldEvent> {
    return streamMessage(buf, Request.codec(), opts)
  }
}

export interface OwnerCall {
  publicKey: Uint8Array<ArrayBuffer>
  op: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace OwnerCall {
  let _codec: Codec<OwnerCall>

  export const codec = (): Codec<OwnerCall> => {
    if (_codec == null) {
      _codec = message<OwnerCall>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.publicKey)
        }

        if ((obj.op != null && obj.op.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.op)
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
          publicKey: new Uint8Array(0),
          op: new Uint8Array(0),
          signature: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.publicKey = reader.bytes()
              break
            }
            case 2: {
              obj.op = reader.bytes()
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
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.op`,
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

  export interface OwnerCallPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OwnerCallOpFieldEvent {
    field: '$.op'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OwnerCallSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OwnerCall>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OwnerCall.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnerCall>): OwnerCall {
    return decodeMessage(buf, OwnerCall.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnerCall>): Generator<OwnerCallPublicKeyFieldEvent | OwnerCallOpFieldEvent | OwnerCallSignatureFieldEvent> {
    return streamMessage(buf, OwnerCall.codec(), opts)
  }
}

export interface OwnerOp {
  kind: OpKind
  relay: Uint8Array<ArrayBuffer>
  mailboxId: Uint8Array<ArrayBuffer>
  timestamp: number
  challenge: Uint8Array<ArrayBuffer>
  tokenHash: Uint8Array<ArrayBuffer>
  tokenKind: TokenKind
  after: number
  limit: number
  ids: number[]
}

export namespace OwnerOp {
  let _codec: Codec<OwnerOp>

  export const codec = (): Codec<OwnerOp> => {
    if (_codec == null) {
      _codec = message<OwnerOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __OpKindValues[obj.kind] !== 0) {
          w.uint32(8)
          OpKind.codec().encode(obj.kind, w)
        }

        if ((obj.relay != null && obj.relay.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.relay)
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.mailboxId)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.timestamp)
        }

        if ((obj.challenge != null && obj.challenge.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.challenge)
        }

        if ((obj.tokenHash != null && obj.tokenHash.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.tokenHash)
        }

        if (obj.tokenKind != null && __TokenKindValues[obj.tokenKind] !== 0) {
          w.uint32(56)
          TokenKind.codec().encode(obj.tokenKind, w)
        }

        if ((obj.after != null && obj.after !== 0)) {
          w.uint32(64)
          w.uint64Number(obj.after)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(72)
          w.uint32(obj.limit)
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(80)
            w.uint64Number(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: OpKind.OP_KIND_UNSPECIFIED,
          relay: new Uint8Array(0),
          mailboxId: new Uint8Array(0),
          timestamp: 0,
          challenge: new Uint8Array(0),
          tokenHash: new Uint8Array(0),
          tokenKind: TokenKind.TOKEN_KIND_UNSPECIFIED,
          after: 0,
          limit: 0,
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = OpKind.codec().decode(reader)
              break
            }
            case 2: {
              obj.relay = reader.bytes()
              break
            }
            case 3: {
              obj.mailboxId = reader.bytes()
              break
            }
            case 4: {
              obj.timestamp = reader.uint64Number()
              break
            }
            case 5: {
              obj.challenge = reader.bytes()
              break
            }
            case 6: {
              obj.tokenHash = reader.bytes()
              break
            }
            case 7: {
              obj.tokenKind = TokenKind.codec().decode(reader)
              break
            }
            case 8: {
              obj.after = reader.uint64Number()
              break
            }
            case 9: {
              obj.limit = reader.uint32()
              break
            }
            case 10: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.uint64Number())
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
              yield {
                field: `${prefix}.kind`,
                value: OpKind.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.relay`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.mailboxId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.challenge`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.tokenHash`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.tokenKind`,
                value: TokenKind.codec().decode(reader)
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.after`,
                value: reader.uint64Number()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.uint64Number()
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

  export interface OwnerOpKindFieldEvent {
    field: '$.kind'
    value: OpKind
  }

  export interface OwnerOpRelayFieldEvent {
    field: '$.relay'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OwnerOpMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OwnerOpTimestampFieldEvent {
    field: '$.timestamp'
    value: number
  }

  export interface OwnerOpChallengeFieldEvent {
    field: '$.challenge'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OwnerOpTokenHashFieldEvent {
    field: '$.tokenHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OwnerOpTokenKindFieldEvent {
    field: '$.tokenKind'
    value: TokenKind
  }

  export interface OwnerOpAfterFieldEvent {
    field: '$.after'
    value: number
  }

  export interface OwnerOpLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface OwnerOpIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<OwnerOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OwnerOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnerOp>): OwnerOp {
    return decodeMessage(buf, OwnerOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OwnerOp>): Generator<OwnerOpKindFieldEvent | OwnerOpRelayFieldEvent | OwnerOpMailboxIdFieldEvent | OwnerOpTimestampFieldEvent | OwnerOpChallengeFieldEvent | OwnerOpTokenHashFieldEvent | OwnerOpTokenKindFieldEvent | OwnerOpAfterFieldEvent | OwnerOpLimitFieldEvent | OwnerOpIdsFieldEvent> {
    return streamMessage(buf, OwnerOp.codec(), opts)
  }
}

export interface Deposit {
  mailboxId: Uint8Array<ArrayBuffer>
  token: Uint8Array<ArrayBuffer>
  envelope: Uint8Array<ArrayBuffer>
  ttl: number
}

export namespace Deposit {
  let _codec: Codec<Deposit>

  export const codec = (): Codec<Deposit> => {
    if (_codec == null) {
      _codec = message<Deposit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.mailboxId)
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.token)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.envelope)
        }

        if ((obj.ttl != null && obj.ttl !== 0)) {
          w.uint32(32)
          w.uint32(obj.ttl)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          mailboxId: new Uint8Array(0),
          token: new Uint8Array(0),
          envelope: new Uint8Array(0),
          ttl: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.mailboxId = reader.bytes()
              break
            }
            case 2: {
              obj.token = reader.bytes()
              break
            }
            case 3: {
              obj.envelope = reader.bytes()
              break
            }
            case 4: {
              obj.ttl = reader.uint32()
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
                field: `${prefix}.mailboxId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.token`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.ttl`,
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

  export interface DepositMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DepositTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DepositEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DepositTtlFieldEvent {
    field: '$.ttl'
    value: number
  }

  export function encode (obj: Partial<Deposit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Deposit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Deposit {
    return decodeMessage(buf, Deposit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Generator<DepositMailboxIdFieldEvent | DepositTokenFieldEvent | DepositEnvelopeFieldEvent | DepositTtlFieldEvent> {
    return streamMessage(buf, Deposit.codec(), opts)
  }
}

export interface StoredEnvelope {
  id: number
  envelope: Uint8Array<ArrayBuffer>
  expiresAt: number
  kind: TokenKind
}

export namespace StoredEnvelope {
  let _codec: Codec<StoredEnvelope>

  export const codec = (): Codec<StoredEnvelope> => {
    if (_codec == null) {
      _codec = message<StoredEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.id)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.envelope)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.expiresAt)
        }

        if (obj.kind != null && __TokenKindValues[obj.kind] !== 0) {
          w.uint32(32)
          TokenKind.codec().encode(obj.kind, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          envelope: new Uint8Array(0),
          expiresAt: 0,
          kind: TokenKind.TOKEN_KIND_UNSPECIFIED
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint64Number()
              break
            }
            case 2: {
              obj.envelope = reader.bytes()
              break
            }
            case 3: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            case 4: {
              obj.kind = TokenKind.codec().decode(reader)
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
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.kind`,
                value: TokenKind.codec().decode(reader)
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

  export interface StoredEnvelopeIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface StoredEnvelopeEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoredEnvelopeExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export interface StoredEnvelopeKindFieldEvent {
    field: '$.kind'
    value: TokenKind
  }

  export function encode (obj: Partial<StoredEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoredEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredEnvelope>): StoredEnvelope {
    return decodeMessage(buf, StoredEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredEnvelope>): Generator<StoredEnvelopeIdFieldEvent | StoredEnvelopeEnvelopeFieldEvent | StoredEnvelopeExpiresAtFieldEvent | StoredEnvelopeKindFieldEvent> {
    return streamMessage(buf, StoredEnvelope.codec(), opts)
  }
}

export interface Response {
  id: number
  status: Status
  message: string
  retryAfter: number
  challenge: Uint8Array<ArrayBuffer>
  envelopes: StoredEnvelope[]
  more: boolean
  deleted: number
  pushed?: StoredEnvelope
  serverTime: number
}

export namespace Response {
  let _codec: Codec<Response>

  export const codec = (): Codec<Response> => {
    if (_codec == null) {
      _codec = message<Response>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0)) {
          w.uint32(8)
          w.uint32(obj.id)
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(16)
          Status.codec().encode(obj.status, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(26)
          w.string(obj.message)
        }

        if ((obj.retryAfter != null && obj.retryAfter !== 0)) {
          w.uint32(32)
          w.uint32(obj.retryAfter)
        }

        if ((obj.challenge != null && obj.challenge.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.challenge)
        }

        if (obj.envelopes != null && obj.envelopes.length > 0) {
          for (const value of obj.envelopes) {
            w.uint32(50)
            StoredEnvelope.codec().encode(value, w)
          }
        }

        if ((obj.more != null && obj.more !== false)) {
          w.uint32(56)
          w.bool(obj.more)
        }

        if ((obj.deleted != null && obj.deleted !== 0)) {
          w.uint32(64)
          w.uint32(obj.deleted)
        }

        if (obj.pushed != null) {
          w.uint32(74)
          StoredEnvelope.codec().encode(obj.pushed, w)
        }

        if ((obj.serverTime != null && obj.serverTime !== 0)) {
          w.uint32(80)
          w.uint64Number(obj.serverTime)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0,
          status: Status.STATUS_UNSPECIFIED,
          message: '',
          retryAfter: 0,
          challenge: new Uint8Array(0),
          envelopes: [],
          more: false,
          deleted: 0,
          serverTime: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint32()
              break
            }
            case 2: {
              obj.status = Status.codec().decode(reader)
              break
            }
            case 3: {
              obj.message = reader.string()
              break
            }
            case 4: {
              obj.retryAfter = reader.uint32()
              break
            }
            case 5: {
              obj.challenge = reader.bytes()
              break
            }
            case 6: {
              if (opts.limits?.envelopes != null && obj.envelopes.length === opts.limits.envelopes) {
                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements')
              }

              obj.envelopes.push(StoredEnvelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.envelopes$
              }))
              break
            }
            case 7: {
              obj.more = reader.bool()
              break
            }
            case 8: {
              obj.deleted = reader.uint32()
              break
            }
            case 9: {
              obj.pushed = StoredEnvelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pushed
              })
              break
            }
            case 10: {
              obj.serverTime = reader.uint64Number()
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
          envelopes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: Status.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.retryAfter`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.challenge`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              if (opts.limits?.envelopes != null && obj.envelopes === opts.limits.envelopes) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements')
              }

              for (const evt of StoredEnvelope.codec().stream(reader, reader.uint32(), `${prefix}.envelopes[]`, {
                limits: opts.limits?.envelopes$
              })) {
                yield {
                  ...evt,
                  index: obj.envelopes
                }
              }

              obj.envelopes++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.more`,
                value: reader.bool()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.deleted`,
                value: reader.uint32()
              }
              break
            }
            case 9: {
              yield * StoredEnvelope.codec().stream(reader, reader.uint32(), `${prefix}.pushed`, {
                limits: opts.limits?.pushed
              })

              break
            }
            case 10: {
              yield {
                field: `${prefix}.serverTime`,
                value: reader.uint64Number()
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

  export interface ResponseIdFieldEvent {
    field: '$.id'
    value: number
  }

  export interface ResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface ResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface ResponseRetryAfterFieldEvent {
    field: '$.retryAfter'
    value: number
  }

  export interface ResponseChallengeFieldEvent {
    field: '$.challenge'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseEnvelopesIdFieldEvent {
    field: '$.envelopes[].id'
    value: number
    index: number
  }

  export interface ResponseEnvelopesEnvelopeFieldEvent {
    field: '$.envelopes[].envelope'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ResponseEnvelopesExpiresAtFieldEvent {
    field: '$.envelopes[].expiresAt'
    value: number
    index: number
  }

  export interface ResponseEnvelopesKindFieldEvent {
    field: '$.envelopes[].kind'
    value: TokenKind
    index: number
  }

  export interface ResponseMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export interface ResponseDeletedFieldEvent {
    field: '$.deleted'
    value: number
  }

  export interface ResponsePushedIdFieldEvent {
    field: '$.pushed.id'
    value: number
  }

  export interface ResponsePushedEnvelopeFieldEvent {
    field: '$.pushed.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponsePushedExpiresAtFieldEvent {
    field: '$.pushed.expiresAt'
    value: number
  }

  export interface ResponsePushedKindFieldEvent {
    field: '$.pushed.kind'
    value: TokenKind
  }

  export interface ResponseServerTimeFieldEvent {
    field: '$.serverTime'
    value: number
  }

  export function encode (obj: Partial<Response>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Response.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Response {
    return decodeMessage(buf, Response.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Generator<ResponseIdFieldEvent | ResponseStatusFieldEvent | ResponseMessageFieldEvent | ResponseRetryAfterFieldEvent | ResponseChallengeFieldEvent | ResponseEnvelopesIdFieldEvent | ResponseEnvelopesEnvelopeFieldEvent | ResponseEnvelopesExpiresAtFieldEvent | ResponseEnvelopesKindFieldEvent | ResponseMoreFieldEvent | ResponseDeletedFieldEvent | ResponsePushedIdFieldEvent | ResponsePushedEnvelopeFieldEvent | ResponsePushedExpiresAtFieldEvent | ResponsePushedKindFieldEvent | ResponseServerTimeFieldEvent> {
    return streamMessage(buf, Response.codec(), opts)
  }
}

export interface RateLimit {
  burst: number
  perHour: number
}

export namespace RateLimit {
  let _codec: Codec<RateLimit>

  export const codec = (): Codec<RateLimit> => {
    if (_codec == null) {
      _codec = message<RateLimit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.burst != null && obj.burst !== 0)) {
          w.uint32(8)
          w.uint32(obj.burst)
        }

        if ((obj.perHour != null && obj.perHour !== 0)) {
          w.uint32(16)
          w.uint32(obj.perHour)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          burst: 0,
          perHour: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.burst = reader.uint32()
              break
            }
            case 2: {
              obj.perHour = reader.uint32()
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
                field: `${prefix}.burst`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.perHour`,
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

  export interface RateLimitBurstFieldEvent {
    field: '$.burst'
    value: number
  }

  export interface RateLimitPerHourFieldEvent {
    field: '$.perHour'
    value: number
  }

  export function encode (obj: Partial<RateLimit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RateLimit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RateLimit>): RateLimit {
    return decodeMessage(buf, RateLimit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RateLimit>): Generator<RateLimitBurstFieldEvent | RateLimitPerHourFieldEvent> {
    return streamMessage(buf, RateLimit.codec(), opts)
  }
}

export interface RelayInfo {
  operator: string
  contact: string
  jurisdiction: string
  retention: number
  maxEnvelopeBytes: number
  mailboxMaxEnvelopes: number
  mailboxMaxBytes: number
  contactRate?: RateLimit
  introductionRate?: RateLimit
  version: string
  inviteOnly: boolean
  stunPort: number
  webUrl: string
}

export namespace RelayInfo {
  let _codec: Codec<RelayInfo>

  export const codec = (): Codec<RelayInfo> => {
    if (_codec == null) {
      _codec = message<RelayInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.operator != null && obj.operator !== '')) {
          w.uint32(10)
          w.string(obj.operator)
        }

        if ((obj.contact != null && obj.contact !== '')) {
          w.uint32(18)
          w.string(obj.contact)
        }

        if ((obj.jurisdiction != null && obj.jurisdiction !== '')) {
          w.uint32(26)
          w.string(obj.jurisdiction)
        }

        if ((obj.retention != null && obj.retention !== 0)) {
          w.uint32(32)
          w.uint32(obj.retention)
        }

        if ((obj.maxEnvelopeBytes != null && obj.maxEnvelopeBytes !== 0)) {
          w.uint32(40)
          w.uint32(obj.maxEnvelopeBytes)
        }

        if ((obj.mailboxMaxEnvelopes != null && obj.mailboxMaxEnvelopes !== 0)) {
          w.uint32(48)
          w.uint32(obj.mailboxMaxEnvelopes)
        }

        if ((obj.mailboxMaxBytes != null && obj.mailboxMaxBytes !== 0)) {
          w.uint32(56)
          w.uint64Number(obj.mailboxMaxBytes)
        }

        if (obj.contactRate != null) {
          w.uint32(66)
          RateLimit.codec().encode(obj.contactRate, w)
        }

        if (obj.introductionRate != null) {
          w.uint32(74)
          RateLimit.codec().encode(obj.introductionRate, w)
        }

        if ((obj.version != null && obj.version !== '')) {
          w.uint32(82)
          w.string(obj.version)
        }

        if ((obj.inviteOnly != null && obj.inviteOnly !== false)) {
          w.uint32(88)
          w.bool(obj.inviteOnly)
        }

        if ((obj.stunPort != null && obj.stunPort !== 0)) {
          w.uint32(96)
          w.uint32(obj.stunPort)
        }

        if ((obj.webUrl != null && obj.webUrl !== '')) {
          w.uint32(106)
          w.string(obj.webUrl)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          operator: '',
          contact: '',
          jurisdiction: '',
          retention: 0,
          maxEnvelopeBytes: 0,
          mailboxMaxEnvelopes: 0,
          mailboxMaxBytes: 0,
          version: '',
          inviteOnly: false,
          stunPort: 0,
          webUrl: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.operator = reader.string()
              break
            }
            case 2: {
              obj.contact = reader.string()
              break
            }
            case 3: {
              obj.jurisdiction = reader.string()
              break
            }
            case 4: {
              obj.retention = reader.uint32()
              break
            }
            case 5: {
              obj.maxEnvelopeBytes = reader.uint32()
              break
            }
            case 6: {
              obj.mailboxMaxEnvelopes = reader.uint32()
              break
            }
            case 7: {
              obj.mailboxMaxBytes = reader.uint64Number()
              break
            }
            case 8: {
              obj.contactRate = RateLimit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.contactRate
              })
              break
            }
            case 9: {
              obj.introductionRate = RateLimit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.introductionRate
              })
              break
            }
            case 10: {
              obj.version = reader.string()
              break
            }
            case 11: {
              obj.inviteOnly = reader.bool()
              break
            }
            case 12: {
              obj.stunPort = reader.uint32()
              break
            }
            case 13: {
              obj.webUrl = reader.string()
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
                field: `${prefix}.operator`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.contact`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.jurisdiction`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.retention`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.maxEnvelopeBytes`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.mailboxMaxEnvelopes`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.mailboxMaxBytes`,
                value: reader.uint64Number()
              }
              break
            }
            case 8: {
              yield * RateLimit.codec().stream(reader, reader.uint32(), `${prefix}.contactRate`, {
                limits: opts.limits?.contactRate
              })

              break
            }
            case 9: {
              yield * RateLimit.codec().stream(reader, reader.uint32(), `${prefix}.introductionRate`, {
                limits: opts.limits?.introductionRate
              })

              break
            }
            case 10: {
              yield {
                field: `${prefix}.version`,
                value: reader.string()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.inviteOnly`,
                value: reader.bool()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.stunPort`,
                value: reader.uint32()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.webUrl`,
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

  export interface RelayInfoOperatorFieldEvent {
    field: '$.operator'
    value: string
  }

  export interface RelayInfoContactFieldEvent {
    field: '$.contact'
    value: string
  }

  export interface RelayInfoJurisdictionFieldEvent {
    field: '$.jurisdiction'
    value: string
  }

  export interface RelayInfoRetentionFieldEvent {
    field: '$.retention'
    value: number
  }

  export interface RelayInfoMaxEnvelopeBytesFieldEvent {
    field: '$.maxEnvelopeBytes'
    value: number
  }

  export interface RelayInfoMailboxMaxEnvelopesFieldEvent {
    field: '$.mailboxMaxEnvelopes'
    value: number
  }

  export interface RelayInfoMailboxMaxBytesFieldEvent {
    field: '$.mailboxMaxBytes'
    value: number
  }

  export interface RelayInfoContactRateBurstFieldEvent {
    field: '$.contactRate.burst'
    value: number
  }

  export interface RelayInfoContactRatePerHourFieldEvent {
    field: '$.contactRate.perHour'
    value: number
  }

  export interface RelayInfoIntroductionRateBurstFieldEvent {
    field: '$.introductionRate.burst'
    value: number
  }

  export interface RelayInfoIntroductionRatePerHourFieldEvent {
    field: '$.introductionRate.perHour'
    value: number
  }

  export interface RelayInfoVersionFieldEvent {
    field: '$.version'
    value: string
  }

  export interface RelayInfoInviteOnlyFieldEvent {
    field: '$.inviteOnly'
    value: boolean
  }

  export interface RelayInfoStunPortFieldEvent {
    field: '$.stunPort'
    value: number
  }

  export interface RelayInfoWebUrlFieldEvent {
    field: '$.webUrl'
    value: string
  }

  export function encode (obj: Partial<RelayInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RelayInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RelayInfo>): RelayInfo {
    return decodeMessage(buf, RelayInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RelayInfo>): Generator<RelayInfoOperatorFieldEvent | RelayInfoContactFieldEvent | RelayInfoJurisdictionFieldEvent | RelayInfoRetentionFieldEvent | RelayInfoMaxEnvelopeBytesFieldEvent | RelayInfoMailboxMaxEnvelopesFieldEvent | RelayInfoMailboxMaxBytesFieldEvent | RelayInfoContactRateBurstFieldEvent | RelayInfoContactRatePerHourFieldEvent | RelayInfoIntroductionRateBurstFieldEvent | RelayInfoIntroductionRatePerHourFieldEvent | RelayInfoVersionFieldEvent | RelayInfoInviteOnlyFieldEvent | RelayInfoStunPortFieldEvent | RelayInfoWebUrlFieldEvent> {
    return streamMessage(buf, RelayInfo.codec(), opts)
  }
}
