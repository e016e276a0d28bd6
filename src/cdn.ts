/** The <script> build: everything of the core entry, as `globalThis.Monasca` (the IIFE's name). */
export * from './index.js'
