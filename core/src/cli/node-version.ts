// SPDX-License-Identifier: AGPL-3.0-only
/**
 * libp2p 3 needs Node 22.12 or newer; on older versions it starts and then fails every inbound
 * connection silently, so programs check first.
 */

/** The oldest Node.js Sotto runs on. */
export const MIN_NODE_VERSION = [22, 12] as const

/** Exits with a clear message when this Node.js is too old. */
export function assertNodeVersion (version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const [wantMajor, wantMinor] = MIN_NODE_VERSION
  if (major > wantMajor || (major === wantMajor && minor >= wantMinor)) return
  process.stderr.write(`UnsupportedRuntimeError: Sotto needs Node.js ${wantMajor}.${wantMinor} or newer; this is ${version}\n`)
  process.exit(1)
}
