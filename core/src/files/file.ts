// SPDX-License-Identifier: AGPL-3.0-only
import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum FileOp {
  FILE_OP_UNSPECIFIED = 'FILE_OP_UNSPECIFIED',
  QUERY = 'QUERY',
  FETCH = 'FETCH',
  PUT = 'PUT',
  DELETE = 'DELETE'
}

enum __FileOpValues {
  FILE_OP_UNSPECIFIED = 0,
  QUERY = 1,
  FETCH = 2,
  PUT = 3,
  DELETE = 4
}

export namespace FileOp {
  export const codec = (): Codec<FileOp> => {
    return enumeration<FileOp>(__FileOpValues)
  }
}

export enum FileStatus {
  FILE_STATUS_UNSPECIFIED = 'FILE_STATUS_UNSPECIFIED',
  OK = 'OK',
  BAD_REQUEST = 'BAD_REQUEST',
  UNAUTHORIZED = 'UNAUTHORIZED',
  TOO_LARGE = 'TOO_LARGE',
  QUOTA = 'QUOTA',
  NOT_FOUND = 'NOT_FOUND',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL'
}

enum __FileStatusValues {
  FILE_STATUS_UNSPECIFIED = 0,
  OK = 1,
  BAD_REQUEST = 2,
  UNAUTHORIZED = 3,
  TOO_LARGE = 4,
  QUOTA = 5,
  NOT_FOUND = 6,
  UNAVAILABLE = 7,
  INTERNAL = 8
}

export namespace FileStatus {
  export const codec = (): Codec<FileStatus> => {
    return enumeration<FileStatus>(__FileStatusValues)
  }
}

export interface Open {
  op: FileOp
  fileId: Uint8Array<ArrayBuffer>
  from: number
  have: Uint8Array<ArrayBuffer>
  size: number
  chunkSize: number
  mailboxId: Uint8Array<ArrayBuffer>
  token: Uint8Array<ArrayBuffer>
  publicKey: Uint8Array<ArrayBuffer>
  ownerOp: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
  acks: boolean
}

export namespace Open {
  let _codec: Codec<Open>

  export const codec = (): Codec<Open> => {
    if (_codec == null) {
      _codec = message<Open>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.op != null && __FileOpValues[obj.op] !== 0) {
          w.uint32(8)
          FileOp.codec().encode(obj.op, w)
        }

        if ((obj.fileId != null && obj.fileId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.fileId)
        }

        if ((obj.from != null && obj.from !== 0)) {
          w.uint32(24)
          w.uint32(obj.from)
        }

        if ((obj.have != null && obj.have.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.have)
        }

        if ((obj.size != null && obj.size !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.size)
        }

        if ((obj.chunkSize != null && obj.chunkSize !== 0)) {
          w.uint32(48)
          w.uint32(obj.chunkSize)
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.mailboxId)
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.token)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(74)
          w.bytes(obj.publicKey)
        }

        if ((obj.ownerOp != null && obj.ownerOp.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.ownerOp)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(90)
          w.bytes(obj.signature)
        }

        if ((obj.acks != null && obj.acks !== false)) {
          w.uint32(96)
          w.bool(obj.acks)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          op: FileOp.FILE_OP_UNSPECIFIED,
          fileId: new Uint8Array(0),
          from: 0,
          have: new Uint8Array(0),
          size: 0,
          chunkSize: 0,
          mailboxId: new Uint8Array(0),
          token: new Uint8Array(0),
          publicKey: new Uint8Array(0),
          ownerOp: new Uint8Array(0),
          signature: new Uint8Array(0),
          acks: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.op = FileOp.codec().decode(reader)
              break
            }
            case 2: {
              obj.fileId = reader.bytes()
              break
            }
            case 3: {
              obj.from = reader.uint32()
              break
            }
            case 4: {
              obj.have = reader.bytes()
              break
            }
            case 5: {
              obj.size = reader.uint64Number()
              break
            }
            case 6: {
              obj.chunkSize = reader.uint32()
              break
            }
            case 7: {
              obj.mailboxId = reader.bytes()
              break
            }
            case 8: {
              obj.token = reader.bytes()
              break
            }
            case 9: {
              obj.publicKey = reader.bytes()
              break
            }
            case 10: {
              obj.ownerOp = reader.bytes()
              break
            }
            case 11: {
              obj.signature = reader.bytes()
              break
            }
            case 12: {
              obj.acks = reader.bool()
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
                field: `${prefix}.op`,
                value: FileOp.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.fileId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.from`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.have`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.chunkSize`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.mailboxId`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.token`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.ownerOp`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.acks`,
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

  export interface OpenOpFieldEvent {
    field: '$.op'
    value: FileOp
  }

  export interface OpenFileIdFieldEvent {
    field: '$.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpenFromFieldEvent {
    field: '$.from'
    value: number
  }

  export interface OpenHaveFieldEvent {
    field: '$.have'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpenSizeFieldEvent {
    field: '$.size'
    value: number
  }

  export interface OpenChunkSizeFieldEvent {
    field: '$.chunkSize'
    value: number
  }

  export interface OpenMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpenTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpenPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpenOwnerOpFieldEvent {
    field: '$.ownerOp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpenSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpenAcksFieldEvent {
    field: '$.acks'
    value: boolean
  }

  export function encode (obj: Partial<Open>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Open.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Open>): Open {
    return decodeMessage(buf, Open.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Open>): Generator<OpenOpFieldEvent | OpenFileIdFieldEvent | OpenFromFieldEvent | OpenHaveFieldEvent | OpenSizeFieldEvent | OpenChunkSizeFieldEvent | OpenMailboxIdFieldEvent | OpenTokenFieldEvent | OpenPublicKeyFieldEvent | OpenOwnerOpFieldEvent | OpenSignatureFieldEvent | OpenAcksFieldEvent> {
    return streamMessage(buf, Open.codec(), opts)
  }
}

export interface FileOwnerOp {
  op: FileOp
  relay: Uint8Array<ArrayBuffer>
  mailboxId: Uint8Array<ArrayBuffer>
  fileId: Uint8Array<ArrayBuffer>
  timestamp: number
}

export namespace FileOwnerOp {
  let _codec: Codec<FileOwnerOp>

  export const codec = (): Codec<FileOwnerOp> => {
    if (_codec == null) {
      _codec = message<FileOwnerOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.op != null && __FileOpValues[obj.op] !== 0) {
          w.uint32(8)
          FileOp.codec().encode(obj.op, w)
        }

        if ((obj.relay != null && obj.relay.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.relay)
        }

        if ((obj.mailboxId != null && obj.mailboxId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.mailboxId)
        }

        if ((obj.fileId != null && obj.fileId.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.fileId)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.timestamp)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          op: FileOp.FILE_OP_UNSPECIFIED,
          relay: new Uint8Array(0),
          mailboxId: new Uint8Array(0),
          fileId: new Uint8Array(0),
          timestamp: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.op = FileOp.codec().decode(reader)
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
              obj.fileId = reader.bytes()
              break
            }
            case 5: {
              obj.timestamp = reader.uint64Number()
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
                field: `${prefix}.op`,
                value: FileOp.codec().decode(reader)
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
                field: `${prefix}.fileId`,
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

  export interface FileOwnerOpOpFieldEvent {
    field: '$.op'
    value: FileOp
  }

  export interface FileOwnerOpRelayFieldEvent {
    field: '$.relay'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileOwnerOpMailboxIdFieldEvent {
    field: '$.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileOwnerOpFileIdFieldEvent {
    field: '$.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileOwnerOpTimestampFieldEvent {
    field: '$.timestamp'
    value: number
  }

  export function encode (obj: Partial<FileOwnerOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileOwnerOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileOwnerOp>): FileOwnerOp {
    return decodeMessage(buf, FileOwnerOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileOwnerOp>): Generator<FileOwnerOpOpFieldEvent | FileOwnerOpRelayFieldEvent | FileOwnerOpMailboxIdFieldEvent | FileOwnerOpFileIdFieldEvent | FileOwnerOpTimestampFieldEvent> {
    return streamMessage(buf, FileOwnerOp.codec(), opts)
  }
}

export interface Have {
  count: number
  bitmap: Uint8Array<ArrayBuffer>
}

export namespace Have {
  let _codec: Codec<Have>

  export const codec = (): Codec<Have> => {
    if (_codec == null) {
      _codec = message<Have>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(8)
          w.uint32(obj.count)
        }

        if ((obj.bitmap != null && obj.bitmap.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.bitmap)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          count: 0,
          bitmap: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.count = reader.uint32()
              break
            }
            case 2: {
              obj.bitmap = reader.bytes()
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
                field: `${prefix}.count`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.bitmap`,
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

  export interface HaveCountFieldEvent {
    field: '$.count'
    value: number
  }

  export interface HaveBitmapFieldEvent {
    field: '$.bitmap'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Have>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Have.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Have>): Have {
    return decodeMessage(buf, Have.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Have>): Generator<HaveCountFieldEvent | HaveBitmapFieldEvent> {
    return streamMessage(buf, Have.codec(), opts)
  }
}

export interface Hashes {
  start: number
  hashes: Uint8Array<ArrayBuffer>
}

export namespace Hashes {
  let _codec: Codec<Hashes>

  export const codec = (): Codec<Hashes> => {
    if (_codec == null) {
      _codec = message<Hashes>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.start != null && obj.start !== 0)) {
          w.uint32(8)
          w.uint32(obj.start)
        }

        if ((obj.hashes != null && obj.hashes.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.hashes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          start: 0,
          hashes: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.start = reader.uint32()
              break
            }
            case 2: {
              obj.hashes = reader.bytes()
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
                field: `${prefix}.start`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hashes`,
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

  export interface HashesStartFieldEvent {
    field: '$.start'
    value: number
  }

  export interface HashesHashesFieldEvent {
    field: '$.hashes'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Hashes>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Hashes.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hashes>): Hashes {
    return decodeMessage(buf, Hashes.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Hashes>): Generator<HashesStartFieldEvent | HashesHashesFieldEvent> {
    return streamMessage(buf, Hashes.codec(), opts)
  }
}

export interface Chunk {
  index: number
  sealed: Uint8Array<ArrayBuffer>
}

export namespace Chunk {
  let _codec: Codec<Chunk>

  export const codec = (): Codec<Chunk> => {
    if (_codec == null) {
      _codec = message<Chunk>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(8)
          w.uint32(obj.index)
        }

        if ((obj.sealed != null && obj.sealed.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sealed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          index: 0,
          sealed: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.index = reader.uint32()
              break
            }
            case 2: {
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
                field: `${prefix}.index`,
                value: reader.uint32()
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

  export interface ChunkIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface ChunkSealedFieldEvent {
    field: '$.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Chunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Chunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Chunk>): Chunk {
    return decodeMessage(buf, Chunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Chunk>): Generator<ChunkIndexFieldEvent | ChunkSealedFieldEvent> {
    return streamMessage(buf, Chunk.codec(), opts)
  }
}

export interface Received {
  chunks: number
}

export namespace Received {
  let _codec: Codec<Received>

  export const codec = (): Codec<Received> => {
    if (_codec == null) {
      _codec = message<Received>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.chunks != null && obj.chunks !== 0)) {
          w.uint32(8)
          w.uint32(obj.chunks)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chunks: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.chunks = reader.uint32()
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
                field: `${prefix}.chunks`,
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

  export interface ReceivedChunksFieldEvent {
    field: '$.chunks'
    value: number
  }

  export function encode (obj: Partial<Received>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Received.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Received>): Received {
    return decodeMessage(buf, Received.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Received>): Generator<ReceivedChunksFieldEvent> {
    return streamMessage(buf, Received.codec(), opts)
  }
}

export interface Done {
  status: FileStatus
  message: string
}

export namespace Done {
  let _codec: Codec<Done>

  export const codec = (): Codec<Done> => {
    if (_codec == null) {
      _codec = message<Done>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __FileStatusValues[obj.status] !== 0) {
          w.uint32(8)
          FileStatus.codec().encode(obj.status, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: FileStatus.FILE_STATUS_UNSPECIFIED,
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = FileStatus.codec().decode(reader)
              break
            }
            case 2: {
              obj.message = reader.string()
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
                value: FileStatus.codec().decode(reader)
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

  export interface DoneStatusFieldEvent {
    field: '$.status'
    value: FileStatus
  }

  export interface DoneMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<Done>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Done.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Done>): Done {
    return decodeMessage(buf, Done.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Done>): Generator<DoneStatusFieldEvent | DoneMessageFieldEvent> {
    return streamMessage(buf, Done.codec(), opts)
  }
}

export interface FileFrame {
  open?: Open
  have?: Have
  hashes?: Hashes
  chunk?: Chunk
  done?: Done
  received?: Received
}

export namespace FileFrame {
  let _codec: Codec<FileFrame>

  export const codec = (): Codec<FileFrame> => {
    if (_codec == null) {
      _codec = message<FileFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.open != null) {
          w.uint32(10)
          Open.codec().encode(obj.open, w)
        }

        if (obj.have != null) {
          w.uint32(18)
          Have.codec().encode(obj.have, w)
        }

        if (obj.hashes != null) {
          w.uint32(26)
          Hashes.codec().encode(obj.hashes, w)
        }

        if (obj.chunk != null) {
          w.uint32(34)
          Chunk.codec().encode(obj.chunk, w)
        }

        if (obj.done != null) {
          w.uint32(42)
          Done.codec().encode(obj.done, w)
        }

        if (obj.received != null) {
          w.uint32(50)
          Received.codec().encode(obj.received, w)
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
              obj.open = Open.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.open
              })
              break
            }
            case 2: {
              obj.have = Have.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.have
              })
              break
            }
            case 3: {
              obj.hashes = Hashes.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.hashes
              })
              break
            }
            case 4: {
              obj.chunk = Chunk.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.chunk
              })
              break
            }
            case 5: {
              obj.done = Done.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.done
              })
              break
            }
            case 6: {
              obj.received = Received.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.received
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
              yield * Open.codec().stream(reader, reader.uint32(), `${prefix}.open`, {
                limits: opts.limits?.open
              })

              break
            }
            case 2: {
              yield * Have.codec().stream(reader, reader.uint32(), `${prefix}.have`, {
                limits: opts.limits?.have
              })

              break
            }
            case 3: {
              yield * Hashes.codec().stream(reader, reader.uint32(), `${prefix}.hashes`, {
                limits: opts.limits?.hashes
              })

              break
            }
            case 4: {
              yield * Chunk.codec().stream(reader, reader.uint32(), `${prefix}.chunk`, {
                limits: opts.limits?.chunk
              })

              break
            }
            case 5: {
              yield * Done.codec().stream(reader, reader.uint32(), `${prefix}.done`, {
                limits: opts.limits?.done
              })

              break
            }
            case 6: {
              yield * Received.codec().stream(reader, reader.uint32(), `${prefix}.received`, {
                limits: opts.limits?.received
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

  export interface FileFrameOpenOpFieldEvent {
    field: '$.open.op'
    value: FileOp
  }

  export interface FileFrameOpenFileIdFieldEvent {
    field: '$.open.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameOpenFromFieldEvent {
    field: '$.open.from'
    value: number
  }

  export interface FileFrameOpenHaveFieldEvent {
    field: '$.open.have'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameOpenSizeFieldEvent {
    field: '$.open.size'
    value: number
  }

  export interface FileFrameOpenChunkSizeFieldEvent {
    field: '$.open.chunkSize'
    value: number
  }

  export interface FileFrameOpenMailboxIdFieldEvent {
    field: '$.open.mailboxId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameOpenTokenFieldEvent {
    field: '$.open.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameOpenPublicKeyFieldEvent {
    field: '$.open.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameOpenOwnerOpFieldEvent {
    field: '$.open.ownerOp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameOpenSignatureFieldEvent {
    field: '$.open.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameOpenAcksFieldEvent {
    field: '$.open.acks'
    value: boolean
  }

  export interface FileFrameHaveCountFieldEvent {
    field: '$.have.count'
    value: number
  }

  export interface FileFrameHaveBitmapFieldEvent {
    field: '$.have.bitmap'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameHashesStartFieldEvent {
    field: '$.hashes.start'
    value: number
  }

  export interface FileFrameHashesHashesFieldEvent {
    field: '$.hashes.hashes'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameChunkIndexFieldEvent {
    field: '$.chunk.index'
    value: number
  }

  export interface FileFrameChunkSealedFieldEvent {
    field: '$.chunk.sealed'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileFrameDoneStatusFieldEvent {
    field: '$.done.status'
    value: FileStatus
  }

  export interface FileFrameDoneMessageFieldEvent {
    field: '$.done.message'
    value: string
  }

  export interface FileFrameReceivedChunksFieldEvent {
    field: '$.received.chunks'
    value: number
  }

  export function encode (obj: Partial<FileFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileFrame>): FileFrame {
    return decodeMessage(buf, FileFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileFrame>): Generator<FileFrameOpenOpFieldEvent | FileFrameOpenFileIdFieldEvent | FileFrameOpenFromFieldEvent | FileFrameOpenHaveFieldEvent | FileFrameOpenSizeFieldEvent | FileFrameOpenChunkSizeFieldEvent | FileFrameOpenMailboxIdFieldEvent | FileFrameOpenTokenFieldEvent | FileFrameOpenPublicKeyFieldEvent | FileFrameOpenOwnerOpFieldEvent | FileFrameOpenSignatureFieldEvent | FileFrameOpenAcksFieldEvent | FileFrameHaveCountFieldEvent | FileFrameHaveBitmapFieldEvent | FileFrameHashesStartFieldEvent | FileFrameHashesHashesFieldEvent | FileFrameChunkIndexFieldEvent | FileFrameChunkSealedFieldEvent | FileFrameDoneStatusFieldEvent | FileFrameDoneMessageFieldEvent | FileFrameReceivedChunksFieldEvent> {
    return streamMessage(buf, FileFrame.codec(), opts)
  }
}
