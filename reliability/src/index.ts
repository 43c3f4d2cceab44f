// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The reliability rig: simulated hosts in network namespaces, impaired links, the real programs
 * under test, process control and measurement. The scenarios in `test/` use it.
 *
 * @packageDocumentation
 */

export { Agent, AGENT_MAIN } from './agent.js'
export { LOGS_ENV, Program } from './child.js'
export type { Exit, Line, ProgramOptions } from './child.js'
export { EdgeHost, Host, NatHost, Network } from './network.js'
export type { Throttle } from './network.js'
export { CLEAR, ChunkProxy, seededRandom } from './proxy.js'
export type { Impairment, ProxyRoute, ProxyStats } from './proxy.js'
export { PEER_PORT, RELAY_CLI, RELAY_PORTS, RelayDaemon, SOTTO_CLI, SottoPeer } from './programs.js'
export type { PeerOptions, RelayOptions } from './programs.js'
export { ProcSampler, cpuOf, dirSize, fdsOf, rssOf } from './proc-stats.js'
export type { ProcSample } from './proc-stats.js'
export { FIGURES_ENV, LONG, LONG_ENV, figure, mib, percentile, pick, round, scenarioSeed, sleep, waitForProgress, waitUntil } from './scenario.js'
export type { Figure, Progress } from './scenario.js'
export { NS_PREFIX, TMP_ROOT, alive, removeLeftovers, removeRigTemp, rigNamespaces, rigTempDir, sh } from './sys.js'
export { Flow, pair, ranges } from './traffic.js'
export type { Verdict } from './traffic.js'
export { PacketWatch } from './accounting.js'
export { Rig, mailboxesOf } from './rig.js'
export type { RigPeerOptions } from './rig.js'
