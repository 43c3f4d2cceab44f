// SPDX-License-Identifier: AGPL-3.0-only
import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum LinkStatus {
  LINK_STATUS_UNSPECIFIED = 'LINK_STATUS_UNSPECIFIED',
  LINK_OK = 'LINK_OK',
  LINK_BAD_REQUEST = 'LINK_BAD_REQUEST',
  LINK_UNAUTHORIZED = 'LINK_UNAUTHORIZED',
  LINK_NOT_FOUND = 'LINK_NOT_FOUND',
  LINK_REVOKED = 'LINK_REVOKED',
  LINK_TOO_LARGE = 'LINK_TOO_LARGE',
  LINK_QUOTA = 'LINK_QUOTA',
  LINK_RATE_LIMITED = 'LINK_RATE_LIMITED',
  LINK_STALE_AUTH = 'LINK_STALE_AUTH',
  LINK_INTERNAL = 'LINK_INTERNAL'
}

enum __LinkStatusValues {
  LINK_STATUS_UNSPECIFIED = 0,
  LINK_OK = 1,
  LINK_BAD_REQUEST = 2,
  LINK_UNAUTHORIZED = 3,
  LINK_NOT_FOUND = 4,
  LINK_REVOKED = 5,
  LINK_TOO_LARGE = 6,
  LINK_QUOTA = 7,
  LINK_RATE_LIMITED = 8,
  LINK_STALE_AUTH = 9,
  LINK_INTERNAL = 10
}

export namespace LinkStatus {
  export const codec = (): Codec<LinkStatus> => {
    return enumeration<LinkStatus>(__LinkStatusValues)
  }
}

export enum LinkOpKind {
  LINK_OP_KIND_UNSPECIFIED = 'LINK_OP_KIND_UNSPECIFIED',
  PUT = 'PUT',
  DELETE = 'DELETE'
}

enum __LinkOpKindValues {
  LINK_OP_KIND_UNSPECIFIED = 0,
  PUT = 1,
  DELETE = 2
}

export namespace LinkOpKind {
  export const codec = (): Codec<LinkOpKind> => {
    return enumeration<LinkOpKind>(__LinkOpKindValues)
  }
}

export interface LinkRequest {
  owner?: LinkOwnerCall
  get: Uint8Array<ArrayBuffer>
  join?: JoinRequest
}

export namespace LinkRequest {
  let _codec: Codec<LinkRequest>

  export const codec = (): Codec<LinkRequest> => {
    if (_codec == null) {
      _codec = message<LinkRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.owner != null) {
          w.uint32(10)
          LinkOwnerCall.codec().encode(obj.owner, w)
        }

        if ((obj.get != null && obj.get.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.get)
        }

        if (obj.join != null) {
          w.uint32(26)
          JoinRequest.codec().encode(obj.join, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          get: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.owner = LinkOwnerCall.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.owner
              })
              break
            }
            case 2: {
              obj.get = reader.bytes()
              break
            }
            case 3: {
              obj.join = JoinRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.join
              })
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
              yield * LinkOwnerCall.codec().stream(reader, reader.uint32(), `${prefix}.owner`, {
                limits: opts.limits?.owner
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.get`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield * JoinRequest.codec().stream(reader, reader.uint32(), `${prefix}.join`, {
                limits: opts.limits?.join
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

  export interface LinkRequestOwnerPublicKeyFieldEvent {
    field: '$.owner.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkRequestOwnerOpFieldEvent {
    field: '$.owner.op'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkRequestOwnerSignatureFieldEvent {
    field: '$.owner.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkRequestGetFieldEvent {
    field: '$.get'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkRequestJoinMailboxIdFieldEvent {
    field: '$.join.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkRequestJoinCodeFieldEvent {
    field: '$.join.code'
    value: string
  }

  export function encode (obj: Partial<LinkRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LinkRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequest>): LinkRequest {
    return decodeMessage(buf, LinkRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkRequest>): Generator<LinkRequestOwnerPublicKeyFieldEvent | LinkRequestOwnerOpFieldEvent | LinkRequestOwnerSignatureFieldEvent | LinkRequestGetFieldEvent | LinkRequestJoinMailboxIdFieldEvent | LinkRequestJoinCodeFieldEvent> {
    return streamMessage(buf, LinkRequest.codec(), opts)
  }
}

export interface LinkOwnerCall {
  publicKey: Uint8Array<ArrayBuffer>
  op: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace LinkOwnerCall {
  let _codec: Codec<LinkOwnerCall>

  export const codec = (): Codec<LinkOwnerCall> => {
    if (_codec == null) {
      _codec = message<LinkOwnerCall>((obj, w, opts = {}) => {
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

  export interface LinkOwnerCallPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkOwnerCallOpFieldEvent {
    field: '$.op'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkOwnerCallSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<LinkOwnerCall>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LinkOwnerCall.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkOwnerCall>): LinkOwnerCall {
    return decodeMessage(buf, LinkOwnerCall.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkOwnerCall>): Generator<LinkOwnerCallPublicKeyFieldEvent | LinkOwnerCallOpFieldEvent | LinkOwnerCallSignatureFieldEvent> {
    return streamMessage(buf, LinkOwnerCall.codec(), opts)
  }
}

export interface LinkOp {
  kind: LinkOpKind
  relay: Uint8Array<ArrayBuffer>
  mailboxId: Uint8Array<ArrayBuffer>
  linkId: Uint8Array<ArrayBuffer>
  timestamp: number
  ttl: number
  sealed: Uint8Array<ArrayBuffer>
}

export namespace LinkOp {
  let _codec: Codec<LinkOp>

  export const codec = (): Codec<LinkOp> => {
    if (_codec == null) {
      _codec = message<LinkOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.kind != null && __LinkOpKindValues[obj.kind] !== 0) {
          w.uint32(8)
          LinkOpKind.codec().encode(obj.kind, w)
        }

        if ((obj.relay != null && obj.relay.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.relay)
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.mailboxId)
        }

        if ((obj.linkId != null && obj.linkId.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.linkId)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.timestamp)
        }

        if ((obj.ttl != null && obj.ttl !== 0)) {
          w.uint32(48)
          w.uint32(obj.ttl)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.sealed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          kind: LinkOpKind.LINK_OP_KIND_UNSPECIFIED,
          relay: new Uint8Array(0),
          mailboxId: new Uint8Array(0),
          linkId: new Uint8Array(0),
          timestamp: 0,
          ttl: 0,
          sealed: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.kind = LinkOpKind.codec().decode(reader)
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
              obj.linkId = reader.bytes()
              break
            }
            case 5: {
              obj.timestamp = reader.uint64Number()
              break
            }
            case 6: {
              obj.ttl = reader.uint32()
              break
            }
            case 7: {
              obj.sealed = reader.bytes()
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
                field: `${prefix}.kind`,
                value: LinkOpKind.codec().decode(reader)
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
                field: `${prefix}.linkId`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.ttl`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.sealed`,
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

  export interface LinkOpKindFieldEvent {
    field: '$.kind'
    value: LinkOpKind
  }

  export interface LinkOpRelayFieldEvent {
    field: '$.relay'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkOpMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkOpLinkIdFieldEvent {
    field: '$.linkId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkOpTimestampFieldEvent {
    field: '$.timestamp'
    value: number
  }

  export interface LinkOpTtlFieldEvent {
    field: '$.ttl'
    value: number
  }

  export interface LinkOpSealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<LinkOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LinkOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkOp>): LinkOp {
    return decodeMessage(buf, LinkOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkOp>): Generator<LinkOpKindFieldEvent | LinkOpRelayFieldEvent | LinkOpMailboxIdFieldEvent | LinkOpLinkIdFieldEvent | LinkOpTimestampFieldEvent | LinkOpTtlFieldEvent | LinkOpSealedFieldEvent> {
    return streamMessage(buf, LinkOp.codec(), opts)
  }
}

export interface JoinRequest {
  mailboxId: Uint8Array<ArrayBuffer>
  code: string
}

export namespace JoinRequest {
  let _codec: Codec<JoinRequest>

  export const codec = (): Codec<JoinRequest> => {
    if (_codec == null) {
      _codec = message<JoinRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.mailboxId)
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(18)
          w.string(obj.code)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          mailboxId: new Uint8Array(0),
          code: ''
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
              obj.code = reader.string()
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
                field: `${prefix}.code`,
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

  export interface JoinRequestMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface JoinRequestCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export function encode (obj: Partial<JoinRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, JoinRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinRequest>): JoinRequest {
    return decodeMessage(buf, JoinRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinRequest>): Generator<JoinRequestMailboxIdFieldEvent | JoinRequestCodeFieldEvent> {
    return streamMessage(buf, JoinRequest.codec(), opts)
  }
}

export interface LinkResponse {
  status: LinkStatus
  message: string
  sealed: Uint8Array<ArrayBuffer>
  expiresAt: number
  retryAfter: number
  serverTime: number
}

export namespace LinkResponse {
  let _codec: Codec<LinkResponse>

  export const codec = (): Codec<LinkResponse> => {
    if (_codec == null) {
      _codec = message<LinkResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __LinkStatusValues[obj.status] !== 0) {
          w.uint32(8)
          LinkStatus.codec().encode(obj.status, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.sealed)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.expiresAt)
        }

        if ((obj.retryAfter != null && obj.retryAfter !== 0)) {
          w.uint32(40)
          w.uint32(obj.retryAfter)
        }

        if ((obj.serverTime != null && obj.serverTime !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.serverTime)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: LinkStatus.LINK_STATUS_UNSPECIFIED,
          message: '',
          sealed: new Uint8Array(0),
          expiresAt: 0,
          retryAfter: 0,
          serverTime: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = LinkStatus.codec().decode(reader)
              break
            }
            case 2: {
              obj.message = reader.string()
              break
            }
            case 3: {
              obj.sealed = reader.bytes()
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            case 5: {
              obj.retryAfter = reader.uint32()
              break
            }
            case 6: {
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
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: LinkStatus.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.sealed`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.retryAfter`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
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

  export interface LinkResponseStatusFieldEvent {
    field: '$.status'
    value: LinkStatus
  }

  export interface LinkResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface LinkResponseSealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export interface LinkResponseExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export interface LinkResponseRetryAfterFieldEvent {
    field: '$.retryAfter'
    value: number
  }

  export interface LinkResponseServerTimeFieldEvent {
    field: '$.serverTime'
    value: number
  }

  export function encode (obj: Partial<LinkResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, LinkResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkResponse>): LinkResponse {
    return decodeMessage(buf, LinkResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<LinkResponse>): Generator<LinkResponseStatusFieldEvent | LinkResponseMessageFieldEvent | LinkResponseSealedFieldEvent | LinkResponseExpiresAtFieldEvent | LinkResponseRetryAfterFieldEvent | LinkResponseServerTimeFieldEvent> {
    return streamMessage(buf, LinkResponse.codec(), opts)
  }
}
