// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Search over the messages a user can see, in memory.
 */
export { SearchIndex, wordsOf } from './search-index.js'
export type { SearchDocument, SearchHit, SearchOptions } from './search-index.js'
