declare const __VERSION__: string | undefined

/** The package version, injected at build time (the sources under test say `dev`). */
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'
