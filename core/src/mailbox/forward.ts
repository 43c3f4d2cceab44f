// SPDX-License-Identifier: AGPL-3.0-only
import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum ForwardStatus {
  FORWARD_STATUS_UNSPECIFIED = 'FORWARD_STATUS_UNSPECIFIED',
  FORWARD_OK = 'FORWARD_OK',
  FORWARD_BAD_REQUEST = 'FORWARD_BAD_REQUEST',
  FORWARD_UNAUTHORIZED = 'FORWARD_UNAUTHORIZED',
  FORWARD_TOO_LARGE = 'FORWARD_TOO_LARGE',
  FORWARD_QUOTA = 'FORWARD_QUOTA',
  FORWARD_RATE_LIMITED = 'FORWARD_RATE_LIMITED',
  FORWARD_UNAVAILABLE = 'FORWARD_UNAVAILABLE',
  FORWARD_INTERNAL = 'FORWARD_INTERNAL',
  FORWARD_NOT_A_USER = 'FORWARD_NOT_A_USER',
  FORWARD_UNREACHABLE = 'FORWARD_UNREACHABLE'
}

enum __ForwardStatusValues {
  FORWARD_STATUS_UNSPECIFIED = 0,
  FORWARD_OK = 1,
  FORWARD_BAD_REQUEST = 2,
  FORWARD_UNAUTHORIZED = 3,
  FORWARD_TOO_LARGE = 4,
  FORWARD_QUOTA = 5,
  FORWARD_RATE_LIMITED = 6,
  FORWARD_UNAVAILABLE = 8,
  FORWARD_INTERNAL = 9,
  FORWARD_NOT_A_USER = 10,
  FORWARD_UNREACHABLE = 11
}

export namespace ForwardStatus {
  export const codec = (): Codec<ForwardStatus> => {
    return enumeration<ForwardStatus>(__ForwardStatusValues)
  }
}

export interface ForwardRequest {
  relay: string
  mailboxId: Uint8Array<ArrayBuffer>
  token: Uint8Array<ArrayBuffer>
  envelope: Uint8Array<ArrayBuffer>
  ttl: number
}

export namespace ForwardRequest {
  let _codec: Codec<ForwardRequest>

  export const codec = (): Codec<ForwardRequest> => {
    if (_codec == null) {
      _codec = message<ForwardRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.relay != null && obj.relay !== '')) {
          w.uint32(10)
          w.string(obj.relay)
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.mailboxId)
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.token)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.envelope)
        }

        if ((obj.ttl != null && obj.ttl !== 0)) {
          w.uint32(40)
          w.uint32(obj.ttl)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          relay: '',
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
              obj.relay = reader.string()
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
            case 4: {
              obj.envelope = reader.bytes()
              break
            }
            case 5: {
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
                field: `${prefix}.relay`,
                value: reader.string()
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
            case 4: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
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

  export interface ForwardRequestRelayFieldEvent {
    field: '$.relay'
    value: string
  }

  export interface ForwardRequestMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ForwardRequestTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ForwardRequestEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ForwardRequestTtlFieldEvent {
    field: '$.ttl'
    value: number
  }

  export function encode (obj: Partial<ForwardRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ForwardRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardRequest>): ForwardRequest {
    return decodeMessage(buf, ForwardRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardRequest>): Generator<ForwardRequestRelayFieldEvent | ForwardRequestMailboxIdFieldEvent | ForwardRequestTokenFieldEvent | ForwardRequestEnvelopeFieldEvent | ForwardRequestTtlFieldEvent> {
    return streamMessage(buf, ForwardRequest.codec(), opts)
  }
}

export interface ForwardResponse {
  status: ForwardStatus
  message: string
  retryAfter: number
}

export namespace ForwardResponse {
  let _codec: Codec<ForwardResponse>

  export const codec = (): Codec<ForwardResponse> => {
    if (_codec == null) {
      _codec = message<ForwardResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __ForwardStatusValues[obj.status] !== 0) {
          w.uint32(8)
          ForwardStatus.codec().encode(obj.status, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if ((obj.retryAfter != null && obj.retryAfter !== 0)) {
          w.uint32(24)
          w.uint32(obj.retryAfter)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: ForwardStatus.FORWARD_STATUS_UNSPECIFIED,
          message: '',
          retryAfter: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = ForwardStatus.codec().decode(reader)
              break
            }
            case 2: {
              obj.message = reader.string()
              break
            }
            case 3: {
              obj.retryAfter = reader.uint32()
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
                value: ForwardStatus.codec().decode(reader)
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
                field: `${prefix}.retryAfter`,
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

  export interface ForwardResponseStatusFieldEvent {
    field: '$.status'
    value: ForwardStatus
  }

  export interface ForwardResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface ForwardResponseRetryAfterFieldEvent {
    field: '$.retryAfter'
    value: number
  }

  export function encode (obj: Partial<ForwardResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ForwardResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardResponse>): ForwardResponse {
    return decodeMessage(buf, ForwardResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ForwardResponse>): Generator<ForwardResponseStatusFieldEvent | ForwardResponseMessageFieldEvent | ForwardResponseRetryAfterFieldEvent> {
    return streamMessage(buf, ForwardResponse.codec(), opts)
  }
}
