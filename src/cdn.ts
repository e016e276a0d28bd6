/** The full <script> build: everything of the main entry, as `globalThis.Monasca` (the IIFE's name). The lean one is cdn-core.ts. */
export * from './index.js'
