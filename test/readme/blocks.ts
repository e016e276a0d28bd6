/**
 * README.md as executable documentation: its fenced code blocks, and a way to run its `ts` blocks
 * one after another as a reader pasting them in order would, with what one block declares (or
 * imports) visible to the blocks after it.
 *
 * Opting out: a block that cannot run against the emulator in Node (it needs a browser, a real
 * Keystone elsewhere, a variable the reader brings) says so in its fence's info string, with the
 * reason after the flag:
 *
 *     ```ts no-run: needs a browser page (sessionStorage)
 *
 * Such a block is still listed (and counted) by the test, never silently dropped. Anything else
 * fenced as `ts`, `typescript`, `js`, `javascript`, `mjs` is run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number
  /** The language word of the fence (`ts`, `sh`, …). */
  lang: string
  /** What follows the language word (`no-run: reason`). */
  info: string
  code: string
  /** The `## …` / `### …` heading the block is under. */
  section: string
}

const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs'])

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const lines = markdown.split('\n')
  let section = ''
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{2,4}\s+(.*)$/.exec(lines[i]!)
    if (heading) section = heading[1]!.trim()
    const fence = /^(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[i]!)
    if (!fence) continue
    const [, marker, lang, info] = fence
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !lines[j]!.startsWith(marker!); j++) body.push(lines[j]!)
    blocks.push({ line: i + 1, lang: lang!.toLowerCase(), info: info!.trim(), code: body.join('\n'), section })
    i = j
  }
  return blocks
}

export const isRunnable = (block: CodeBlock) => RUNNABLE.has(block.lang)

/** The reason given after `no-run`, or undefined when the block is to be run. */
export function optOut(block: CodeBlock): string | undefined {
  const match = /(?:^|\s)no-run\b:?\s*(.*)$/.exec(block.info)
  if (!match) return undefined
  return match[1]!.trim() || '(no reason given)'
}

const root = resolve(import.meta.dirname, '../..')

/** `monasca-client[/x]` → the source file, from tsconfig.json's paths (the same map the type-check uses). */
function packageSources(): Map<string, string> {
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }
  return new Map(Object.entries(tsconfig.compilerOptions.paths).map(([name, [file]]) => [name, resolve(root, file!)]))
}

const DECLARATION = /^(?:export\s+)?(const|let|var|function\*?|async\s+function\*?|class)(?=\s)/gm
const IMPORT = /^import\s+(?:type\s+)?([\s\S]*?)\s+from\s+(['"])([^'"]+)\2;?$/gm

/** The local names an import clause binds: `{ a, b as c }`, `* as ns`, `def, { x }`. */
function importedNames(clause: string): string[] {
  const names: string[] = []
  const braces = /\{([\s\S]*)\}/.exec(clause)
  if (braces) {
    for (const part of braces[1]!.split(',')) {
      const spec = part.trim().replace(/^type\s+/, '')
      if (spec) names.push(spec.split(/\s+as\s+/).pop()!.trim())
    }
  }
  const rest = clause.replace(/\{[\s\S]*\}/, '').split(',').map((s) => s.trim()).filter(Boolean)
  for (const part of rest) names.push(part.startsWith('*') ? part.split(/\s+as\s+/)[1]!.trim() : part)
  return names
}

/**
 * One block as an ES module: top-level declarations exported, imported names re-exported (so later
 * blocks see both), `monasca-client` specifiers pointed at the sources, and `origin` substituted for
 * the README's `http://127.0.0.1:8070`.
 */
export function blockModule(code: string, origin: string): string {
  const sources = packageSources()
  const reexports: string[] = []
  let out = code.replace(IMPORT, (_all, clause: string, quote: string, specifier: string) => {
    if (!/^type\s/.test(_all.slice(7))) reexports.push(...importedNames(clause))
    const target = sources.get(specifier)
    return `import ${clause} from ${quote}${target ?? specifier}${quote}`
  })
  out = out.replace(DECLARATION, (decl) => (decl.startsWith('export') ? decl : `export ${decl}`))
  out = out.replaceAll('http://127.0.0.1:8070', origin)
  if (reexports.length > 0) out += `\nexport { ${[...new Set(reexports)].join(', ')} }\n`
  return out
}

/**
 * Runs blocks in order. Each becomes a module file (fresh names every run, so nothing is cached);
 * after it ran, its exports are put on globalThis, where the free names of later modules resolve.
 * Returns a function that takes the globals away again.
 */
export class BlockRunner {
  private readonly dir: string
  private readonly added = new Map<string, PropertyDescriptor | undefined>()
  private count = 0

  constructor(readonly origin: string, dir: string) {
    this.dir = dir
    mkdirSync(dir, { recursive: true })
  }

  async run(code: string, label: string): Promise<void> {
    const file = join(this.dir, `block-${String(++this.count).padStart(3, '0')}-${label.replace(/[^\w-]+/g, '_').slice(0, 40)}.ts`)
    writeFileSync(file, blockModule(code, this.origin))
    const namespace = (await import(/* @vite-ignore */ file)) as Record<string, unknown>
    for (const [name, value] of Object.entries(namespace)) {
      if (!this.added.has(name)) this.added.set(name, Object.getOwnPropertyDescriptor(globalThis, name))
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: false })
    }
  }

  /** Takes the shared names off globalThis (restoring any global they shadowed). */
  reset(): void {
    for (const [name, previous] of this.added) {
      if (previous) Object.defineProperty(globalThis, name, previous)
      else delete (globalThis as Record<string, unknown>)[name]
    }
    this.added.clear()
  }
}
