/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import { builtinModules } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

/** Library entry points: the key is the file name under dist/ (test/build checks each package export exists). */
const allEntries: Record<string, string> = {
  index: 'src/index.ts',
  core: 'src/core.ts',
  encrypted: 'src/stores/encrypted.ts',
  node: 'src/node/index.ts',
  emulator: 'src/emulator/index.ts',
  'emulator-serve': 'src/emulator/serve.ts',
  otel: 'src/otel/index.ts',
  'bin/monasca-emulator': 'src/bin/monasca-emulator.ts',
}
const entries = Object.fromEntries(Object.entries(allEntries).filter(([, file]) => existsSync(file)))

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
// The OpenTelemetry SDK is the otel entry's optional peer dependency: never bundled.
const isExternal = (id: string) =>
  nodeBuiltins.has(id) || id === 'jose' || id.startsWith('jose/') || id.startsWith('@opentelemetry/')

/**
 * The `monasca` bin, bundled on its own for start-up time: one minified file graph of the CLI and
 * the SDK, Node built-ins left external.
 */
const binBuild = {
  outDir: 'dist/bin',
  emptyOutDir: false,
  minify: true,
  // Bundled dependencies (ofetch, destr, ufo, yaml) keep their notices beside the file.
  license: { fileName: 'THIRD-PARTY-LICENSES.md' },
  sourcemap: true,
  target: 'node20',
  ssr: 'src/bin/monasca.ts',
  rollupOptions: {
    external: (id: string) => nodeBuiltins.has(id),
    output: { entryFileNames: 'monasca.js', chunkFileNames: 'chunks/[name]-[hash].js', banner: '#!/usr/bin/env node' },
  },
}
const workerConditions = ['worker', 'import', 'module', 'default']

// `vite build` makes the ESM library; `--mode cdn` and `--mode cdn-core` the minified IIFEs for a <script> tag
// (everything, and the lean core); `--mode bin` the CLI.
export default defineConfig(({ mode }) => ({
  define: { __VERSION__: JSON.stringify(pkg.version) },
  ...(mode === 'bin'
    ? {
        resolve: { conditions: workerConditions },
        ssr: { noExternal: true, target: 'node' as const, resolve: { conditions: workerConditions, externalConditions: ['worker'] } },
      }
    : {}),
  build:
    mode === 'bin'
      ? binBuild
      : mode === 'cdn' || mode === 'cdn-core'
      ? {
          outDir: 'dist/cdn',
          // `--mode cdn` runs first and starts dist/cdn afresh; `--mode cdn-core` adds the lean script beside it.
          emptyOutDir: mode === 'cdn',
          minify: true,
          // Both scripts bundle the same three packages (ofetch, destr, ufo): one notice file beside them.
          license: { fileName: 'THIRD-PARTY-LICENSES.md' },
          // Every browser that runs the SDK has class fields and private methods: nothing to lower.
          target: 'es2022',
          sourcemap: true,
          lib:
            mode === 'cdn'
              ? { entry: 'src/cdn.ts', name: 'Monasca', formats: ['iife'], fileName: () => 'monasca.iife.min.js' }
              : { entry: 'src/cdn-core.ts', name: 'MonascaCore', formats: ['iife'], fileName: () => 'monasca-core.iife.min.js' },
        }
      : {
          outDir: 'dist',
          emptyOutDir: false,
          minify: false,
          // ofetch is bundled in its fetch-only build (with destr and ufo): their notices ship in dist/.
          license: { fileName: 'THIRD-PARTY-LICENSES.md' },
          sourcemap: true,
          target: 'es2022',
          lib: { entry: entries, formats: ['es'] },
          rollupOptions: {
            external: isExternal,
            output: {
              entryFileNames: '[name].js',
              chunkFileNames: 'chunks/[name]-[hash].js',
              banner: (chunk: { name: string }) => (chunk.name.startsWith('bin/') ? '#!/usr/bin/env node' : ''),
            },
          },
        },
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test file that leaves an unhandled rejection or uncaught exception behind.
    setupFiles: ['test/helpers/unhandled-guard.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
}))
