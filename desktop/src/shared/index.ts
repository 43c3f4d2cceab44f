// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The IPC contract of the desktop app, shared by main, preload and renderer.
 */
export * from './channels.js'
export * from './contract.js'
export * from './api.js'
export * from './headless.js'
export * from './guest-contract.js'
