/**
 * Static files under one URL prefix (Node only): the built dashboard, served by the emulator's HTTP
 * server on the same origin as `/v2.0` and `/v3`, so the page needs no CORS.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

export interface StaticSite {
  /** URL prefix with both slashes, e.g. `/dashboard/`. */
  prefix: string
  /** Directory on disk (absolute after `staticSite`). */
  root: string
}

export function staticSite(prefix: string, root: string): StaticSite {
  const clean = `/${prefix.replace(/^\/+|\/+$/g, '')}/`
  return { prefix: clean, root: resolve(root) }
}

/** Whether this request is the site's to answer (the prefix itself without its slash included). */
export function ownsPath(site: StaticSite, pathname: string): boolean {
  return pathname === site.prefix.slice(0, -1) || pathname.startsWith(site.prefix)
}

function send(res: ServerResponse, status: number, type: string, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text)
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(body.length), ...extra })
  res.end(body)
}

async function fileAt(path: string): Promise<{ path: string; size: number; mtime: Date } | undefined> {
  try {
    const s = await stat(path)
    return s.isFile() ? { path, size: s.size, mtime: s.mtime } : undefined
  } catch {
    return undefined
  }
}

/**
 * Answer GET/HEAD for a path under the prefix: the file, `index.html` for a directory, and
 * `index.html` for an extension-less path that is no file (client-side routes). Paths that climb
 * out of the root are 404, as are missing files with an extension (a missing asset must not look
 * like a page).
 */
export async function serveStatic(site: StaticSite, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const method = req.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') {
    send(res, 405, 'application/json', JSON.stringify({ title: '405 Method Not Allowed' }), { Allow: 'GET, HEAD' })
    return
  }
  if (pathname === site.prefix.slice(0, -1)) {
    const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : ''
    res.writeHead(301, { Location: `${site.prefix}${query}`, 'Content-Length': '0' })
    res.end()
    return
  }
  let relative: string
  try {
    relative = decodeURIComponent(pathname.slice(site.prefix.length))
  } catch {
    send(res, 400, 'application/json', JSON.stringify({ title: 'Bad Request', description: 'The path is not valid percent-encoding' }))
    return
  }
  const target = resolve(join(site.root, relative))
  if (relative.includes('\0') || (target !== site.root && !target.startsWith(site.root + sep))) {
    send(res, 404, 'application/json', JSON.stringify({ title: '404 Not Found' }))
    return
  }
  let file = await fileAt(target)
  if (!file) file = await fileAt(join(target, 'index.html'))
  if (!file && extname(relative) === '') file = await fileAt(join(site.root, 'index.html'))
  if (!file) {
    const built = await fileAt(join(site.root, 'index.html'))
    send(
      res,
      404,
      'text/plain; charset=utf-8',
      built ? `Not found: ${pathname}\n` : `Not found: ${pathname}\nNo index.html in ${site.root}: is the dashboard built?\n`,
    )
    return
  }
  const type = TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream'
  // Hashed assets may be cached; the page itself is revalidated so a rebuild shows at once.
  const cache = /\/assets\//.test(file.path.slice(site.root.length).split(sep).join('/')) ? 'public, max-age=31536000, immutable' : 'no-cache'
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': String(file.size),
    'Last-Modified': file.mtime.toUTCString(),
    'Cache-Control': cache,
    'X-Content-Type-Options': 'nosniff',
  })
  if (method === 'HEAD') {
    res.end()
    return
  }
  await new Promise<void>((done, fail) => {
    const stream = createReadStream(file.path)
    stream.once('error', fail)
    stream.once('end', done)
    stream.pipe(res)
  })
}
