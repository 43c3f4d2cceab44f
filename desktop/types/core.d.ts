// SPDX-License-Identifier: AGPL-3.0-only
// Temporary: the types of @sotto/core until core/src/index.ts is published. Remove with the
// `paths` entries in src/main/tsconfig.json and test/tsconfig.json.
export type * from '../../core/dist/src/messenger/types.js'
export type { KeySource } from '../../core/dist/src/storage/types.js'
export type { Logger, LoggerFactory, LogFields } from '../../core/dist/src/logger.js'
