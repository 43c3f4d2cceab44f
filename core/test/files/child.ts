// SPDX-License-Identifier: AGPL-3.0-only
/**
 * One side of a file transfer in its own process, for tests that kill it with SIGKILL.
 *
 * - `serve STORE_DIR`: serves the chunk store at STORE_DIR; prints `{"addr"}` once listening, then
 *   `{"served"}` (chunks read so far) after each chunk it reads.
 * - `fetch DIR ADDR SECRETS_JSON`: fetches into DIR from ADDR; prints `{"held","count"}` after each
 *   durable batch and `{"done":true}` at the end.
 */
import { fetchFile, handleFiles } from '../../src/files/index.js'
import { countingSource, fileNode, quietLog } from './helpers.js'
import { multiaddr } from '@multiformats/multiaddr'

function print (line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n')
}

const [mode, dir, addr, secretsJson] = process.argv.slice(2)
const node = await fileNode()
if (mode === 'serve' && dir != null) {
  let served = 0
  await handleFiles(node, countingSource(dir, () => { print({ served: ++served }) }), quietLog)
  print({ addr: node.getMultiaddrs()[0]?.toString() })
} else if (mode === 'fetch' && dir != null && addr != null && secretsJson != null) {
  const s = JSON.parse(secretsJson) as { id: string, key: string, size: number, chunkSize: number, root: string }
  const secrets = { id: Buffer.from(s.id, 'hex'), key: Buffer.from(s.key, 'hex'), size: s.size, chunkSize: s.chunkSize, root: Buffer.from(s.root, 'hex') }
  await fetchFile(node, multiaddr(addr), secrets, dir, { onProgress: (held, count) => { print({ held, count }) } })
  print({ done: true })
  await node.stop()
} else {
  process.stderr.write('usage: child.js serve STORE_DIR | fetch DIR ADDR SECRETS_JSON\n')
  process.exit(2)
}
