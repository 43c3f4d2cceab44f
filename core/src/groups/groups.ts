// SPDX-License-Identifier: AGPL-3.0-only
/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface GroupMember {
  card: Uint8Array<ArrayBuffer>
  depositToken: Uint8Array<ArrayBuffer>
}

export namespace GroupMember {
  let _codec: Codec<GroupMember>

  export const codec = (): Codec<GroupMember> => {
    if (_codec == null) {
      _codec = message<GroupMember>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.card != null && obj.card.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.card)
        }

        if ((obj.depositToken != null && obj.depositToken.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.depositToken)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          card: new Uint8Array(0),
          depositToken: new Uint8Array(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.card = reader.bytes()
              break
            }
            case 2: {
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
                field: `${prefix}.card`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
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

  export interface GroupMemberCardFieldEvent {
    field: '$.card'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupMemberDepositTokenFieldEvent {
    field: '$.depositToken'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupMember>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupMember.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMember>): GroupMember {
    return decodeMessage(buf, GroupMember.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMember>): Generator<GroupMemberCardFieldEvent | GroupMemberDepositTokenFieldEvent> {
    return streamMessage(buf, GroupMember.codec(), opts)
  }
}

export interface GroupChangeBody {
  groupId: Uint8Array<ArrayBuffer>
  version: bigint
  previousHash: Uint8Array<ArrayBuffer>
  author: Uint8Array<ArrayBuffer>
  createdAt: bigint
  create?: GroupChangeBody.Create
  addMember?: GroupChangeBody.AddMember
  removeMember?: GroupChangeBody.RemoveMember
  makeAdmin?: GroupChangeBody.MakeAdmin
  leave?: GroupChangeBody.Leave
  rename?: GroupChangeBody.Rename
  parents: Uint8Array<ArrayBuffer>[]
}

export namespace GroupChangeBody {
  export interface Create {
    name: string
    creator?: GroupMember
    maxMembers: number
  }

  export namespace Create {
    let _codec: Codec<Create>

    export const codec = (): Codec<Create> => {
      if (_codec == null) {
        _codec = message<Create>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.name != null && obj.name !== '')) {
            w.uint32(10)
            w.string(obj.name)
          }

          if (obj.creator != null) {
            w.uint32(18)
            GroupMember.codec().encode(obj.creator, w)
          }

          if ((obj.maxMembers != null && obj.maxMembers !== 0)) {
            w.uint32(24)
            w.uint32(obj.maxMembers)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            name: '',
            maxMembers: 0
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.name = reader.string()
                break
              }
              case 2: {
                obj.creator = GroupMember.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.creator
                })
                break
              }
              case 3: {
                obj.maxMembers = reader.uint32()
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
                  field: `${prefix}.name`,
                  value: reader.string()
                }
                break
              }
              case 2: {
                yield * GroupMember.codec().stream(reader, reader.uint32(), `${prefix}.creator`, {
                  limits: opts.limits?.creator
                })

                break
              }
              case 3: {
                yield {
                  field: `${prefix}.maxMembers`,
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

    export interface CreateNameFieldEvent {
      field: '$.name'
      value: string
    }

    export interface CreateCreatorCardFieldEvent {
      field: '$.creator.card'
      value: Uint8Array<ArrayBuffer>
    }

    export interface CreateCreatorDepositTokenFieldEvent {
      field: '$.creator.depositToken'
      value: Uint8Array<ArrayBuffer>
    }

    export interface CreateMaxMembersFieldEvent {
      field: '$.maxMembers'
      value: number
    }

    export function encode (obj: Partial<Create>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Create.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Create {
      return decodeMessage(buf, Create.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Generator<CreateNameFieldEvent | CreateCreatorCardFieldEvent | CreateCreatorDepositTokenFieldEvent | CreateMaxMembersFieldEvent> {
      return streamMessage(buf, Create.codec(), opts)
    }
  }

  export interface AddMember {
    member?: GroupMember
  }

  export namespace AddMember {
    let _codec: Codec<AddMember>

    export const codec = (): Codec<AddMember> => {
      if (_codec == null) {
        _codec = message<AddMember>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if (obj.member != null) {
            w.uint32(10)
            GroupMember.codec().encode(obj.member, w)
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
                obj.member = GroupMember.codec().decode(reader, reader.uint32(), {
                  limits: opts.limits?.member
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
                yield * GroupMember.codec().stream(reader, reader.uint32(), `${prefix}.member`, {
                  limits: opts.limits?.member
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

    export interface AddMemberMemberCardFieldEvent {
      field: '$.member.card'
      value: Uint8Array<ArrayBuffer>
    }

    export interface AddMemberMemberDepositTokenFieldEvent {
      field: '$.member.depositToken'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<AddMember>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, AddMember.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddMember>): AddMember {
      return decodeMessage(buf, AddMember.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddMember>): Generator<AddMemberMemberCardFieldEvent | AddMemberMemberDepositTokenFieldEvent> {
      return streamMessage(buf, AddMember.codec(), opts)
    }
  }

  export interface RemoveMember {
    userId: Uint8Array<ArrayBuffer>
  }

  export namespace RemoveMember {
    let _codec: Codec<RemoveMember>

    export const codec = (): Codec<RemoveMember> => {
      if (_codec == null) {
        _codec = message<RemoveMember>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.userId != null && obj.userId.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.userId)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            userId: new Uint8Array(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.userId = reader.bytes()
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
                  field: `${prefix}.userId`,
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

    export interface RemoveMemberUserIdFieldEvent {
      field: '$.userId'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<RemoveMember>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, RemoveMember.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RemoveMember>): RemoveMember {
      return decodeMessage(buf, RemoveMember.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RemoveMember>): Generator<RemoveMemberUserIdFieldEvent> {
      return streamMessage(buf, RemoveMember.codec(), opts)
    }
  }

  export interface MakeAdmin {
    userId: Uint8Array<ArrayBuffer>
  }

  export namespace MakeAdmin {
    let _codec: Codec<MakeAdmin>

    export const codec = (): Codec<MakeAdmin> => {
      if (_codec == null) {
        _codec = message<MakeAdmin>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.userId != null && obj.userId.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.userId)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            userId: new Uint8Array(0)
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.userId = reader.bytes()
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
                  field: `${prefix}.userId`,
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

    export interface MakeAdminUserIdFieldEvent {
      field: '$.userId'
      value: Uint8Array<ArrayBuffer>
    }

    export function encode (obj: Partial<MakeAdmin>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, MakeAdmin.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MakeAdmin>): MakeAdmin {
      return decodeMessage(buf, MakeAdmin.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MakeAdmin>): Generator<MakeAdminUserIdFieldEvent> {
      return streamMessage(buf, MakeAdmin.codec(), opts)
    }
  }

  export interface Leave {}

  export namespace Leave {
    let _codec: Codec<Leave>

    export const codec = (): Codec<Leave> => {
      if (_codec == null) {
        _codec = message<Leave>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
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

    export function encode (obj: Partial<Leave>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Leave.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leave>): Leave {
      return decodeMessage(buf, Leave.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leave>): Generator<{}> {
      return streamMessage(buf, Leave.codec(), opts)
    }
  }

  export interface Rename {
    name: string
  }

  export namespace Rename {
    let _codec: Codec<Rename>

    export const codec = (): Codec<Rename> => {
      if (_codec == null) {
        _codec = message<Rename>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.name != null && obj.name !== '')) {
            w.uint32(10)
            w.string(obj.name)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            name: ''
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.name = reader.string()
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
                  field: `${prefix}.name`,
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

    export interface RenameNameFieldEvent {
      field: '$.name'
      value: string
    }

    export function encode (obj: Partial<Rename>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, Rename.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rename>): Rename {
      return decodeMessage(buf, Rename.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rename>): Generator<RenameNameFieldEvent> {
      return streamMessage(buf, Rename.codec(), opts)
    }
  }

  let _codec: Codec<GroupChangeBody>

  export const codec = (): Codec<GroupChangeBody> => {
    if (_codec == null) {
      _codec = message<GroupChangeBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.rename != null) {
          obj.leave = undefined
          obj.makeAdmin = undefined
          obj.removeMember = undefined
          obj.addMember = undefined
          obj.create = undefined
        }

        if (obj.leave != null) {
          obj.rename = undefined
          obj.makeAdmin = undefined
          obj.removeMember = undefined
          obj.addMember = undefined
          obj.create = undefined
        }

        if (obj.makeAdmin != null) {
          obj.rename = undefined
          obj.leave = undefined
          obj.removeMember = undefined
          obj.addMember = undefined
          obj.create = undefined
        }

        if (obj.removeMember != null) {
          obj.rename = undefined
          obj.leave = undefined
          obj.makeAdmin = undefined
          obj.addMember = undefined
          obj.create = undefined
        }

        if (obj.addMember != null) {
          obj.rename = undefined
          obj.leave = undefined
          obj.makeAdmin = undefined
          obj.removeMember = undefined
          obj.create = undefined
        }

        if (obj.create != null) {
          obj.rename = undefined
          obj.leave = undefined
          obj.makeAdmin = undefined
          obj.removeMember = undefined
          obj.addMember = undefined
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.groupId)
        }

        if ((obj.version != null && obj.version !== 0n)) {
          w.uint32(16)
          w.uint64(obj.version)
        }

        if ((obj.previousHash != null && obj.previousHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.previousHash)
        }

        if ((obj.author != null && obj.author.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.author)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0n)) {
          w.uint32(40)
          w.uint64(obj.createdAt)
        }

        if (obj.create != null) {
          w.uint32(50)
          GroupChangeBody.Create.codec().encode(obj.create, w)
        }

        if (obj.addMember != null) {
          w.uint32(58)
          GroupChangeBody.AddMember.codec().encode(obj.addMember, w)
        }

        if (obj.removeMember != null) {
          w.uint32(66)
          GroupChangeBody.RemoveMember.codec().encode(obj.removeMember, w)
        }

        if (obj.makeAdmin != null) {
          w.uint32(74)
          GroupChangeBody.MakeAdmin.codec().encode(obj.makeAdmin, w)
        }

        if (obj.leave != null) {
          w.uint32(82)
          GroupChangeBody.Leave.codec().encode(obj.leave, w)
        }

        if (obj.rename != null) {
          w.uint32(90)
          GroupChangeBody.Rename.codec().encode(obj.rename, w)
        }

        if (obj.parents != null && obj.parents.length > 0) {
          for (const value of obj.parents) {
            w.uint32(98)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          groupId: new Uint8Array(0),
          version: 0n,
          previousHash: new Uint8Array(0),
          author: new Uint8Array(0),
          createdAt: 0n,
          parents: []
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
              obj.version = reader.uint64()
              break
            }
            case 3: {
              obj.previousHash = reader.bytes()
              break
            }
            case 4: {
              obj.author = reader.bytes()
              break
            }
            case 5: {
              obj.createdAt = reader.uint64()
              break
            }
            case 6: {
              obj.create = GroupChangeBody.Create.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.create
              })
              break
            }
            case 7: {
              obj.addMember = GroupChangeBody.AddMember.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.addMember
              })
              break
            }
            case 8: {
              obj.removeMember = GroupChangeBody.RemoveMember.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.removeMember
              })
              break
            }
            case 9: {
              obj.makeAdmin = GroupChangeBody.MakeAdmin.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.makeAdmin
              })
              break
            }
            case 10: {
              obj.leave = GroupChangeBody.Leave.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.leave
              })
              break
            }
            case 11: {
              obj.rename = GroupChangeBody.Rename.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.rename
              })
              break
            }
            case 12: {
              if (opts.limits?.parents != null && obj.parents.length === opts.limits.parents) {
                throw new MaxLengthError('Decode error - repeated field "parents" had too many elements')
              }

              obj.parents.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.rename != null) {
          delete obj.leave
          delete obj.makeAdmin
          delete obj.removeMember
          delete obj.addMember
          delete obj.create
        }

        if (obj.leave != null) {
          delete obj.rename
          delete obj.makeAdmin
          delete obj.removeMember
          delete obj.addMember
          delete obj.create
        }

        if (obj.makeAdmin != null) {
          delete obj.rename
          delete obj.leave
          delete obj.removeMember
          delete obj.addMember
          delete obj.create
        }

        if (obj.removeMember != null) {
          delete obj.rename
          delete obj.leave
          delete obj.makeAdmin
          delete obj.addMember
          delete obj.create
        }

        if (obj.addMember != null) {
          delete obj.rename
          delete obj.leave
          delete obj.makeAdmin
          delete obj.removeMember
          delete obj.create
        }

        if (obj.create != null) {
          delete obj.rename
          delete obj.leave
          delete obj.makeAdmin
          delete obj.removeMember
          delete obj.addMember
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          parents: 0
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
              yield {
                field: `${prefix}.version`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.previousHash`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.author`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield * GroupChangeBody.Create.codec().stream(reader, reader.uint32(), `${prefix}.create`, {
                limits: opts.limits?.create
              })

              break
            }
            case 7: {
              yield * GroupChangeBody.AddMember.codec().stream(reader, reader.uint32(), `${prefix}.addMember`, {
                limits: opts.limits?.addMember
              })

              break
            }
            case 8: {
              yield * GroupChangeBody.RemoveMember.codec().stream(reader, reader.uint32(), `${prefix}.removeMember`, {
                limits: opts.limits?.removeMember
              })

              break
            }
            case 9: {
              yield * GroupChangeBody.MakeAdmin.codec().stream(reader, reader.uint32(), `${prefix}.makeAdmin`, {
                limits: opts.limits?.makeAdmin
              })

              break
            }
            case 10: {
              yield * GroupChangeBody.Leave.codec().stream(reader, reader.uint32(), `${prefix}.leave`, {
                limits: opts.limits?.leave
              })

              break
            }
            case 11: {
              yield * GroupChangeBody.Rename.codec().stream(reader, reader.uint32(), `${prefix}.rename`, {
                limits: opts.limits?.rename
              })

              break
            }
            case 12: {
              if (opts.limits?.parents != null && obj.parents === opts.limits.parents) {
                throw new MaxLengthError('Streaming decode error - repeated field "parents" had too many elements')
              }

              yield {
                field: `${prefix}.parents[]`,
                index: obj.parents,
                value: reader.bytes()
              }

              obj.parents++

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

  export interface GroupChangeBodyGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyVersionFieldEvent {
    field: '$.version'
    value: bigint
  }

  export interface GroupChangeBodyPreviousHashFieldEvent {
    field: '$.previousHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyAuthorFieldEvent {
    field: '$.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyCreatedAtFieldEvent {
    field: '$.createdAt'
    value: bigint
  }

  export interface GroupChangeBodyCreateNameFieldEvent {
    field: '$.create.name'
    value: string
  }

  export interface GroupChangeBodyCreateCreatorCardFieldEvent {
    field: '$.create.creator.card'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyCreateCreatorDepositTokenFieldEvent {
    field: '$.create.creator.depositToken'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyCreateMaxMembersFieldEvent {
    field: '$.create.maxMembers'
    value: number
  }

  export interface GroupChangeBodyAddMemberMemberCardFieldEvent {
    field: '$.addMember.member.card'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyAddMemberMemberDepositTokenFieldEvent {
    field: '$.addMember.member.depositToken'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyRemoveMemberUserIdFieldEvent {
    field: '$.removeMember.userId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyMakeAdminUserIdFieldEvent {
    field: '$.makeAdmin.userId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupChangeBodyRenameNameFieldEvent {
    field: '$.rename.name'
    value: string
  }

  export interface GroupChangeBodyParentsFieldEvent {
    field: '$.parents[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupChangeBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupChangeBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupChangeBody>): GroupChangeBody {
    return decodeMessage(buf, GroupChangeBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupChangeBody>): Generator<GroupChangeBodyGroupIdFieldEvent | GroupChangeBodyVersionFieldEvent | GroupChangeBodyPreviousHashFieldEvent | GroupChangeBodyAuthorFieldEvent | GroupChangeBodyCreatedAtFieldEvent | GroupChangeBodyCreateNameFieldEvent | GroupChangeBodyCreateCreatorCardFieldEvent | GroupChangeBodyCreateCreatorDepositTokenFieldEvent | GroupChangeBodyCreateMaxMembersFieldEvent | GroupChangeBodyAddMemberMemberCardFieldEvent | GroupChangeBodyAddMemberMemberDepositTokenFieldEvent | GroupChangeBodyRemoveMemberUserIdFieldEvent | GroupChangeBodyMakeAdminUserIdFieldEvent | GroupChangeBodyRenameNameFieldEvent | GroupChangeBodyParentsFieldEvent> {
    return streamMessage(buf, GroupChangeBody.codec(), opts)
  }
}

export interface SignedGroupChange {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedGroupChange {
  let _codec: Codec<SignedGroupChange>

  export const codec = (): Codec<SignedGroupChange> => {
    if (_codec == null) {
      _codec = message<SignedGroupChange>((obj, w, opts = {}) => {
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

  export interface SignedGroupChangeBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedGroupChangeSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedGroupChange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedGroupChange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedGroupChange>): SignedGroupChange {
    return decodeMessage(buf, SignedGroupChange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedGroupChange>): Generator<SignedGroupChangeBodyFieldEvent | SignedGroupChangeSignatureFieldEvent> {
    return streamMessage(buf, SignedGroupChange.codec(), opts)
  }
}

export interface GroupStateDigest {
  groupId: Uint8Array<ArrayBuffer>
  version: bigint
  name: string
  maxMembers: number
  members: GroupStateDigest.MemberDigest[]
}

export namespace GroupStateDigest {
  export interface MemberDigest {
    userId: Uint8Array<ArrayBuffer>
    cardHash: Uint8Array<ArrayBuffer>
    depositToken: Uint8Array<ArrayBuffer>
    admin: boolean
  }

  export namespace MemberDigest {
    let _codec: Codec<MemberDigest>

    export const codec = (): Codec<MemberDigest> => {
      if (_codec == null) {
        _codec = message<MemberDigest>((obj, w, opts = {}) => {
          if (opts.lengthDelimited !== false) {
            w.fork()
          }

          if ((obj.userId != null && obj.userId.byteLength > 0)) {
            w.uint32(10)
            w.bytes(obj.userId)
          }

          if ((obj.cardHash != null && obj.cardHash.byteLength > 0)) {
            w.uint32(18)
            w.bytes(obj.cardHash)
          }

          if ((obj.depositToken != null && obj.depositToken.byteLength > 0)) {
            w.uint32(26)
            w.bytes(obj.depositToken)
          }

          if ((obj.admin != null && obj.admin !== false)) {
            w.uint32(32)
            w.bool(obj.admin)
          }

          if (opts.lengthDelimited !== false) {
            w.ldelim()
          }
        }, (reader, length, opts = {}) => {
          const obj: any = {
            userId: new Uint8Array(0),
            cardHash: new Uint8Array(0),
            depositToken: new Uint8Array(0),
            admin: false
          }

          const end = length == null ? reader.len : reader.pos + length

          while (reader.pos < end) {
            const tag = reader.uint32()

            switch (tag >>> 3) {
              case 1: {
                obj.userId = reader.bytes()
                break
              }
              case 2: {
                obj.cardHash = reader.bytes()
                break
              }
              case 3: {
                obj.depositToken = reader.bytes()
                break
              }
              case 4: {
                obj.admin = reader.bool()
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
                  field: `${prefix}.userId`,
                  value: reader.bytes()
                }
                break
              }
              case 2: {
                yield {
                  field: `${prefix}.cardHash`,
                  value: reader.bytes()
                }
                break
              }
              case 3: {
                yield {
                  field: `${prefix}.depositToken`,
                  value: reader.bytes()
                }
                break
              }
              case 4: {
                yield {
                  field: `${prefix}.admin`,
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

    export interface MemberDigestUserIdFieldEvent {
      field: '$.userId'
      value: Uint8Array<ArrayBuffer>
    }

    export interface MemberDigestCardHashFieldEvent {
      field: '$.cardHash'
      value: Uint8Array<ArrayBuffer>
    }

    export interface MemberDigestDepositTokenFieldEvent {
      field: '$.depositToken'
      value: Uint8Array<ArrayBuffer>
    }

    export interface MemberDigestAdminFieldEvent {
      field: '$.admin'
      value: boolean
    }

    export function encode (obj: Partial<MemberDigest>): Uint8Array<ArrayBuffer> {
      return encodeMessage(obj, MemberDigest.codec())
    }

    export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberDigest>): MemberDigest {
      return decodeMessage(buf, MemberDigest.codec(), opts)
    }

    export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberDigest>): Generator<MemberDigestUserIdFieldEvent | MemberDigestCardHashFieldEvent | MemberDigestDepositTokenFieldEvent | MemberDigestAdminFieldEvent> {
      return streamMessage(buf, MemberDigest.codec(), opts)
    }
  }

  let _codec: Codec<GroupStateDigest>

  export const codec = (): Codec<GroupStateDigest> => {
    if (_codec == null) {
      _codec = message<GroupStateDigest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.groupId)
        }

        if ((obj.version != null && obj.version !== 0n)) {
          w.uint32(16)
          w.uint64(obj.version)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(26)
          w.string(obj.name)
        }

        if ((obj.maxMembers != null && obj.maxMembers !== 0)) {
          w.uint32(32)
          w.uint32(obj.maxMembers)
        }

        if (obj.members != null && obj.members.length > 0) {
          for (const value of obj.members) {
            w.uint32(42)
            GroupStateDigest.MemberDigest.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          groupId: new Uint8Array(0),
          version: 0n,
          name: '',
          maxMembers: 0,
          members: []
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
              obj.version = reader.uint64()
              break
            }
            case 3: {
              obj.name = reader.string()
              break
            }
            case 4: {
              obj.maxMembers = reader.uint32()
              break
            }
            case 5: {
              if (opts.limits?.members != null && obj.members.length === opts.limits.members) {
                throw new MaxLengthError('Decode error - repeated field "members" had too many elements')
              }

              obj.members.push(GroupStateDigest.MemberDigest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.members$
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
          members: 0
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
              yield {
                field: `${prefix}.version`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.maxMembers`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              if (opts.limits?.members != null && obj.members === opts.limits.members) {
                throw new MaxLengthError('Streaming decode error - repeated field "members" had too many elements')
              }

              for (const evt of GroupStateDigest.MemberDigest.codec().stream(reader, reader.uint32(), `${prefix}.members[]`, {
                limits: opts.limits?.members$
              })) {
                yield {
                  ...evt,
                  index: obj.members
                }
              }

              obj.members++

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

  export interface GroupStateDigestGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupStateDigestVersionFieldEvent {
    field: '$.version'
    value: bigint
  }

  export interface GroupStateDigestNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface GroupStateDigestMaxMembersFieldEvent {
    field: '$.maxMembers'
    value: number
  }

  export interface GroupStateDigestMembersUserIdFieldEvent {
    field: '$.members[].userId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupStateDigestMembersCardHashFieldEvent {
    field: '$.members[].cardHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupStateDigestMembersDepositTokenFieldEvent {
    field: '$.members[].depositToken'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupStateDigestMembersAdminFieldEvent {
    field: '$.members[].admin'
    value: boolean
    index: number
  }

  export function encode (obj: Partial<GroupStateDigest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupStateDigest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupStateDigest>): GroupStateDigest {
    return decodeMessage(buf, GroupStateDigest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupStateDigest>): Generator<GroupStateDigestGroupIdFieldEvent | GroupStateDigestVersionFieldEvent | GroupStateDigestNameFieldEvent | GroupStateDigestMaxMembersFieldEvent | GroupStateDigestMembersUserIdFieldEvent | GroupStateDigestMembersCardHashFieldEvent | GroupStateDigestMembersDepositTokenFieldEvent | GroupStateDigestMembersAdminFieldEvent> {
    return streamMessage(buf, GroupStateDigest.codec(), opts)
  }
}
