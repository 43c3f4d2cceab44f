// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A tiny protobuf writer and reader, independent of the code under test, so the agent can build
 * frames (valid, odd and broken) and read simple answers without trusting the codecs it attacks.
 */

/** One field to write: a varint, or length-delimited bytes. */
export type PbField = { field: number, varint: number | bigint } | { field: number, bytes: Uint8Array }

/** Bytes of an unsigned varint. */
export function varint (n: number | bigint): Uint8Array {
  let v = BigInt(n)
  const out: number[] = []
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
  return Uint8Array.from(out)
}

/** Concatenates byte arrays. */
export function concat (parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.byteLength, 0)
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

/** Encodes fields in the order given. */
export function encode (fields: PbField[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (const f of fields) {
    if ('varint' in f) {
      parts.push(varint(f.field << 3), varint(f.varint))
    } else {
      parts.push(varint((f.field << 3) | 2), varint(f.bytes.byteLength), f.bytes)
    }
  }
  return concat(parts)
}

/** A length prefix (unsigned varint) and the frame. */
export function lengthPrefixed (frame: Uint8Array): Uint8Array {
  return concat([varint(frame.byteLength), frame])
}

/** Decoded fields: varints as numbers, length-delimited as bytes. Throws on malformed input. */
export function decode (bytes: Uint8Array): Map<number, Array<number | Uint8Array>> {
  const fields = new Map<number, Array<number | Uint8Array>>()
  let at = 0
  const readVarint = (): number => {
    let value = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (at >= bytes.byteLength) throw new Error('truncated varint')
      const b = bytes[at++] as number
      value += (b & 0x7f) * scale
      scale *= 128
      if (b < 0x80) return value
    }
    throw new Error('varint too long')
  }
  while (at < bytes.byteLength) {
    const key = readVarint()
    const field = Math.floor(key / 8)
    const wire = key % 8
    let value: number | Uint8Array
    if (wire === 0) {
      value = readVarint()
    } else if (wire === 2) {
      const len = readVarint()
      if (at + len > bytes.byteLength) throw new Error('truncated bytes')
      value = bytes.subarray(at, at + len)
      at += len
    } else if (wire === 5) {
      at += 4
      value = 0
    } else if (wire === 1) {
      at += 8
      value = 0
    } else {
      throw new Error(`unsupported wire type ${wire}`)
    }
    const list = fields.get(field) ?? []
    list.push(value)
    fields.set(field, list)
  }
  return fields
}
