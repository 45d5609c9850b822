/**
 * The web app's text files (scripts, styles, the page) sent brotli- or gzip-compressed to a browser
 * that accepts it. Each file is compressed once, at the highest level (the work is paid once per
 * build, not per request), and kept in memory beside its size and modification time: a file
 * rebuilt in place is compressed again on its next request. The built app is a few hundred KB, so
 * the copies are too. A file whose compressed copy is no smaller goes out as it is.
 */
import { type Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Text types; images such as PNG and fonts such as WOFF2 are compressed already. */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.svg',
  '.json',
  '.txt',
  '.map',
  '.xml',
  '.webmanifest',
]);

/** Below any q-value a browser sends (three decimals at most), above a refusal. */
const UNNAMED_IDENTITY_WEIGHT = 0.0001;

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The server's preference when the browser weighs codings equally: smallest first. */
const SERVER_PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/**
 * The coding to send for an `Accept-Encoding` header, among those `available` (identity always
 * is). The highest q-value wins; a tie goes to the smaller coding, whatever order the browser
 * listed them in (Chromium sends `gzip, deflate, br, zstd`). No header, or none it takes: identity.
 */
export function preferredCoding(
  acceptEncoding: string | undefined,
  available: ReadonlySet<ContentCoding> = new Set(SERVER_PREFERENCE),
): ContentCoding {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '') return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...parameters] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let weight = 1;
    for (const parameter of parameters) {
      const q = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(parameter);
      if (q !== null) weight = Number(q[1]);
    }
    weights.set(coding === 'x-gzip' ? 'gzip' : coding, Number.isFinite(weight) ? weight : 0);
  }
  const wildcard = weights.get('*');
  // Identity is acceptable unless refused, but a coding the browser names explicitly beats it.
  const weightOf = (coding: ContentCoding): number =>
    weights.get(coding) ?? wildcard ?? (coding === 'identity' ? UNNAMED_IDENTITY_WEIGHT : 0);
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of SERVER_PREFERENCE) {
    if (coding !== 'identity' && !available.has(coding)) continue;
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

interface CompressedCopies {
  readonly mtimeMs: number;
  readonly size: number;
  readonly br?: Buffer;
  readonly gzip?: Buffer;
}

async function compress(file: string, stats: Stats): Promise<CompressedCopies> {
  const original = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(original, {
      params: {
        [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
        [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: original.length,
      },
    }),
    gzipped(original, { level: zlibConstants.Z_BEST_COMPRESSION }),
  ]);
  return {
    mtimeMs: stats.mtimeMs,
    size: stats.size,
    ...(br.length < original.length && { br }),
    ...(gz.length < original.length && { gzip: gz }),
  };
}

export function isCompressible(file: string): boolean {
  return COMPRESSIBLE.has(extname(file).toLowerCase());
}

export class CompressedFiles {
  private readonly copies = new Map<string, Promise<CompressedCopies>>();

  /** The copies of `file` as it is now on disk (`stats`), compressing it if it is new or changed. */
  async of(file: string, stats: Stats): Promise<CompressedCopies> {
    const cached = this.copies.get(file);
    if (cached !== undefined) {
      const copies = await cached.catch(() => undefined);
      if (copies?.mtimeMs === stats.mtimeMs && copies.size === stats.size) return copies;
    }
    const made = compress(file, stats);
    this.copies.set(file, made);
    made.catch(() => {
      if (this.copies.get(file) === made) this.copies.delete(file);
    });
    return made;
  }

  /**
   * Compresses the given files and every compressible file directly in `directories` ahead of the
   * first request, in zlib's thread pool. A file that cannot be read is left for its request.
   */
  async warm(directories: readonly string[], files: readonly string[]): Promise<void> {
    const listed = await Promise.all(
      directories.map((directory) =>
        readdir(directory).then(
          (names) => names.map((name) => join(directory, name)),
          () => [],
        ),
      ),
    );
    await Promise.all(
      [...files, ...listed.flat()].filter(isCompressible).map(async (file) => {
        try {
          const stats = await stat(file);
          if (stats.isFile()) await this.of(file, stats);
        } catch {
          // Gone or unreadable now; its request will say so.
        }
      }),
    );
  }

  /**
   * Sends `file` compressed when the browser accepts a coding that makes it smaller, with its own
   * ETag per coding, Last-Modified, `cacheControl` and `Vary: Accept-Encoding`; answers a fresh
   * conditional request with 304 and a HEAD without a body. Returns false (having set only Vary)
   * when the file goes out as it is: the caller sends it then, with ranges and all.
   */
  async send(
    request: Request,
    response: Response,
    file: string,
    cacheControl: string,
  ): Promise<boolean> {
    if (!isCompressible(file)) return false;
    let stats: Stats;
    try {
      stats = await stat(file);
    } catch {
      return false;
    }
    if (!stats.isFile()) return false;
    response.vary('Accept-Encoding');
    const copies = await this.of(file, stats);
    const available = new Set<ContentCoding>();
    if (copies.br !== undefined) available.add('br');
    if (copies.gzip !== undefined) available.add('gzip');
    const coding = preferredCoding(request.get('Accept-Encoding'), available);
    const body = coding === 'br' ? copies.br : coding === 'gzip' ? copies.gzip : undefined;
    if (body === undefined) return false;

    response.type(extname(file));
    response.setHeader('Content-Encoding', coding);
    response.setHeader('Cache-Control', cacheControl);
    response.setHeader(
      'ETag',
      `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}-${coding}"`,
    );
    response.setHeader('Last-Modified', stats.mtime.toUTCString());
    if (request.fresh) {
      response.removeHeader('Content-Encoding');
      response.status(304).end();
      return true;
    }
    response.setHeader('Content-Length', body.length);
    if (request.method === 'HEAD') response.end();
    else response.end(body);
    return true;
  }
}

/**
 * The file under `root` a URL path names, or undefined for a path that leaves it or names a
 * dotfile (which the static middleware ignores too).
 */
export function fileUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const segments = decoded.split(/[\\/]/);
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return undefined;
  const file = join(root, ...segments);
  return file.startsWith(root + sep) ? file : undefined;
}
