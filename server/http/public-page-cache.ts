import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { RequestHandler } from "express";
import { LANGUAGES } from "../../i18n/languages";
import { SESSION_COOKIE } from "../auth/cookie";
import { requestLanguage } from "./language";
import type { PublicContentSignal } from "../events/public-content";
import { matchesIfNoneMatch } from "./etag";
import { contentSecurityPolicy, SECURITY_HEADERS } from "./security-headers";

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * The public site's addresses: home, a draft's latest, a version and its downloads, a comparison,
 * the feed, a disposition table. The feedback form is left out: it is a form, not a publication.
 */
// The public site's addresses, each also under a language's prefix (`/fr/p/code`).
const PUBLIC_PATH = new RegExp(
  `^(?:/(?:${LANGUAGES.join("|")}))?(?:/(?:p/[^/?]+(?:/v/[^/?]+(?:/dispositions)?|/compare/[^/?]+/[^/?]+|/feed\\.xml)?)?)?$`,
);

/** Whether a path (without its query) is one of the public site's addresses. */
export function isPublicAddress(path: string): boolean {
  return PUBLIC_PATH.test(path);
}

// Headers of a stored answer that are served again; anything else the app set is dropped.
const KEPT_HEADERS = ["content-type", "etag", "cache-control", "content-disposition", "content-language", "last-modified"] as const;

const COMPRESSIBLE = /^(?:text\/|application\/(?:[a-z.+-]*\+)?(?:xml|json|javascript)\b)/i;

/** Limits of a public-page cache. */
export interface PublicPageCacheOptions {
  /** Says when public content changed: everything stored before is stale then. */
  content: PublicContentSignal;
  /** How long an answer is served before it is rendered again, whatever happened (ms). */
  ttlMs?: number;
  maxEntries?: number;
  /** Bound on the bytes held, all encodings of all entries. */
  maxBytes?: number;
  /** An answer larger than this (uncompressed) is not stored. */
  maxEntryBytes?: number;
  now?: () => number;
  /**
   * The origins the app links to (see `linkOrigin` in app.ts): a Host that is none of them gets
   * the first one's page, so it shares that entry instead of making a new one.
   */
  origins?: () => readonly string[];
}

/** What the cache did so far (for tests and diagnostics). */
export interface PublicPageCacheStats {
  hits: number;
  notModified: number;
  stores: number;
  entries: number;
  bytes: number;
}

/** A cache of the public site's answers to anonymous readers, answered before Express and Remix run. */
export interface PublicPageCache {
  /** Answers the request from the cache and returns true, or returns false to let the app answer it. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** Express middleware, placed just before Remix, that stores the answers `serve` let through. */
  capture: RequestHandler;
  stats(): PublicPageCacheStats;
}

type Encoding = "br" | "gzip" | "identity";

interface Variant {
  body: Buffer;
  /** The response headers, as a flat name/value list for `writeHead`. */
  headers: string[];
  /** The headers of a 304 answer. */
  notModifiedHeaders: string[];
}

interface Entry {
  expiresAt: number;
  etag: string | null;
  bytes: number;
  variants: Partial<Record<Encoding, Variant>>;
}

/** A request `serve` let through to the app, whose answer may be stored. */
interface Pending {
  key: string;
  generation: number;
  /** The reader's `If-None-Match`, kept from the app so that it renders the page in full. */
  ifNoneMatch: string | undefined;
}
const PENDING = Symbol("accord.public-page-cache.pending");
type Marked = IncomingMessage & { [PENDING]?: Pending };

/** Creates an empty cache. */
export function createPublicPageCache(options: PublicPageCacheOptions): PublicPageCache {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 500;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxEntryBytes = options.maxEntryBytes ?? 8 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const origins = options.origins ?? (() => []);
  const entries = new Map<string, Entry>();
  const counts = { hits: 0, notModified: 0, stores: 0 };
  let bytes = 0;
  let storedGeneration = options.content.generation;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  };

  // Everything stored is stale once public content changed: it is all dropped at once.
  const currentGeneration = (): number => {
    const generation = options.content.generation;
    if (generation !== storedGeneration) {
      entries.clear();
      bytes = 0;
      storedGeneration = generation;
    }
    return generation;
  };

  const serve = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = publicPath(req);
    if (path === null) return false;
    // An address without a language prefix answers in the reader's language: one entry per language.
    const { language } = requestLanguage({ path, accountLanguage: null, cookieHeader: req.headers.cookie, acceptLanguage: req.headers["accept-language"] });
    const key = `${linkOrigin(req, origins())} ${language} ${path}`;
    // The app sees the bare address, so that the answer stored and served is the one it gets.
    req.url = path;
    const generation = currentGeneration();
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) remove(key);
    else if (entry) {
      const variant = pickVariant(entry, req.headers["accept-encoding"]);
      // Most recently used last: the first entries are the ones evicted.
      entries.delete(key);
      entries.set(key, entry);
      if (entry.etag && matchesIfNoneMatch(req.headers["if-none-match"], entry.etag)) {
        counts.notModified += 1;
        res.writeHead(304, variant.notModifiedHeaders);
        res.end();
        return true;
      }
      counts.hits += 1;
      res.writeHead(200, variant.headers);
      res.end(req.method === "HEAD" ? undefined : variant.body);
      return true;
    }
    if (req.method !== "GET") return false;
    // Rendered in full, so that even a reader who revalidates fills the cache for the others.
    const ifNoneMatchHeader = req.headers["if-none-match"];
    delete req.headers["if-none-match"];
    (req as Marked)[PENDING] = { key, generation, ifNoneMatch: ifNoneMatchHeader };
    return false;
  };

  // Stores the plain answer at once (the next reader is served from it) and adds its compressed
  // forms when they are ready.
  const store = (pending: Pending, answer: { headers: Record<string, string>; body: Buffer; nonce: string }) => {
    const page = cacheablePage(answer);
    if (!page) return;
    // Something public changed while it was rendered: this answer may show the old state.
    if (pending.generation !== currentGeneration()) return;
    const compressible = COMPRESSIBLE.test(answer.headers["content-type"] ?? "");
    const vary = varyHeader(answer.headers.vary, compressible);
    const common = [
      ...KEPT_HEADERS.flatMap((name) => (answer.headers[name] === undefined ? [] : [name, answer.headers[name]])),
      ...(vary ? ["Vary", vary] : []),
      "Content-Security-Policy",
      page.policy,
      ...SECURITY_HEADERS.flat(),
      "X-Accord-Cache",
      "hit",
    ];
    // A 304 carries the validator and what a cache needs to keep using its copy.
    const notModifiedHeaders = common.flatMap((value, index) =>
      index % 2 === 0 && value !== "content-type" && value !== "content-disposition" ? [value, common[index + 1] ?? ""] : [],
    );
    const variant = (body: Buffer, encoding: Encoding): Variant => ({
      body,
      headers: [...common, ...(encoding === "identity" ? [] : ["Content-Encoding", encoding]), "Content-Length", String(body.length)],
      notModifiedHeaders,
    });
    const entry: Entry = {
      expiresAt: now() + ttlMs,
      etag: answer.headers.etag ?? null,
      bytes: 0,
      variants: { identity: variant(page.body, "identity") },
    };
    remove(pending.key);
    if (!makeRoom(page.body.length)) return;
    entries.set(pending.key, entry);
    grow(entry, page.body.length);
    counts.stores += 1;
    if (!compressible) return;
    const quality = { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.body.length };
    const add = (encoding: "gzip" | "br") => (compressed: Buffer) => {
      // Only to the entry still stored (not one replaced, evicted or gone stale meanwhile).
      if (entries.get(pending.key) !== entry || compressed.length >= page.body.length) return;
      if (!makeRoom(compressed.length, pending.key)) return;
      entry.variants[encoding] = variant(compressed, encoding);
      grow(entry, compressed.length);
    };
    const warn = (error: unknown) => console.warn("A public answer was not compressed:", error instanceof Error ? error.message : error);
    // `catch` after `then`: a throw while adding a form is reported too, never left unhandled.
    gzip(page.body, { level: 9 }).then(add("gzip")).catch(warn);
    brotli(page.body, { params: quality }).then(add("br")).catch(warn);
  };

  const grow = (entry: Entry, size: number) => {
    entry.bytes += size;
    bytes += size;
  };

  // Evicts the least recently used entries until `size` more bytes fit; false when they never will.
  const makeRoom = (size: number, keep?: string): boolean => {
    for (const key of entries.keys()) {
      if (entries.size < maxEntries && bytes + size <= maxBytes) break;
      if (key !== keep) remove(key);
    }
    return entries.size <= maxEntries && bytes + size <= maxBytes;
  };

  const capture: RequestHandler = (req, res, next) => {
    const pending = (req as Marked)[PENDING];
    if (!pending) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    // Whether the reader's If-None-Match named the answer: decided at its first bytes, when its headers are set.
    let unchanged: boolean | undefined;
    const answersNotModified = () => {
      unchanged ??= res.statusCode === 200 && matchesIfNoneMatch(pending.ifNoneMatch, String(res.getHeader("etag") ?? ""));
      if (unchanged) res.statusCode = 304;
      return unchanged;
    };
    const collect = (chunk: unknown, encoding: unknown) => {
      if (size > maxEntryBytes || chunk === undefined || chunk === null || typeof chunk === "function") return;
      const buffer =
        typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      chunks.push(buffer);
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: typeof res, ...args: Parameters<typeof write>) {
      collect(args[0], args[1]);
      if (answersNotModified()) return true;
      return write.apply(this, args);
    } as typeof write;
    res.end = function (this: typeof res, ...args: Parameters<typeof end>) {
      collect(args[0], args[1]);
      const notModified = answersNotModified();
      const status = notModified ? 200 : res.statusCode;
      if (status === 200 && size <= maxEntryBytes && res.getHeader("set-cookie") === undefined) {
        const headers = Object.fromEntries(Object.entries(res.getHeaders()).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value)]));
        store(pending, { headers, body: Buffer.concat(chunks), nonce: String(res.locals.nonce ?? "") });
      }
      // A 304 has no body; the callback, when given, still runs once the answer is sent.
      const callback = args.find((arg): arg is () => void => typeof arg === "function");
      if (notModified) return (end as (this: typeof res, callback?: () => void) => typeof res).call(this, callback);
      return end.apply(this, args);
    } as typeof end;
    next();
  };

  return { serve, capture, stats: () => ({ ...counts, entries: entries.size, bytes }) };
}

// An anonymous answer depends, besides stored data, on its path and on the origin its links use
// (they are absolute): the key holds those two and nothing a client can vary freely. The query is
// dropped: no public page reads one (the compare form's redirect, which does, is not a public
// address), so `?x=<random>` must not make a new render and a new entry each time. A page that
// comes to read a parameter (a language) keeps that one in the key, its value checked against the
// few it may take. Null for a request the cache does not answer.
function publicPath(req: IncomingMessage): string | null {
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const url = req.url ?? "";
  const queryAt = url.indexOf("?");
  const path = decodeUnreserved(queryAt === -1 ? url : url.slice(0, queryAt));
  if (!PUBLIC_PATH.test(path)) return null;
  // A signed-in reader's page is theirs alone (their name in the header, private caching).
  if (req.headers.cookie?.includes(SESSION_COOKIE) || req.headers.authorization) return null;
  return path;
}

// `%63ode` and `code` are the same address (RFC 3986 §6.2.2.2): written one way, each public
// address would otherwise have thousands of spellings, each a render and an entry of its own.
function decodeUnreserved(path: string): string {
  if (!path.includes("%")) return path;
  return path.replace(/%[0-9a-f]{2}/gi, (escape) => {
    const char = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    return /^[A-Za-z0-9\-._~]$/.test(char) ? char : escape.toUpperCase();
  });
}

// The origin the app's links will use, found as the app finds it (`linkOrigin` in app.ts): the one
// the reader used when it is ours, else our first. The app believes X-Forwarded-Proto from a proxy
// on this machine only, so a header sent from elsewhere cannot name the entry a proxied reader gets.
function linkOrigin(req: IncomingMessage, origins: readonly string[]): string {
  const forwarded = isLoopback(req.socket.remoteAddress) ? req.headers["x-forwarded-proto"] : undefined;
  // As Express reads `req.protocol`: the first of a forwarded list, even when it is empty.
  const header = (Array.isArray(forwarded) ? forwarded.join(", ") : forwarded) || "http";
  const proto = header.split(",")[0]?.trim() ?? "";
  const used = `${proto}://${req.headers.host ?? ""}`;
  return origins.includes(used) ? used : (origins[0] ?? used);
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(?:::ffff:)?127\./.test(address));
}

/**
 * What is stored of an answer: only one the app calls public (`Cache-Control: public`), with its
 * body made the same for every reader. A page's inline scripts carry the nonce of the request that
 * rendered it; the stored page drops it and its policy allows those scripts by their SHA-256 hashes.
 */
function cacheablePage(answer: { headers: Record<string, string>; body: Buffer; nonce: string }): { body: Buffer; policy: string } | null {
  if (!/(?:^|,)\s*public\b/.test(answer.headers["cache-control"] ?? "")) return null;
  if (!/^text\/html\b/i.test(answer.headers["content-type"] ?? "")) {
    return { body: answer.body, policy: contentSecurityPolicy({ development: false, scriptSources: [] }) };
  }
  let html = answer.body.toString("utf8");
  if (answer.nonce) {
    html = html.split(` nonce="${answer.nonce}"`).join("");
    // The nonce anywhere else (it never is) would be handed to every reader: not stored.
    if (html.includes(answer.nonce)) return null;
  }
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const [, attributes = "", content = ""] = match;
    if (/\bsrc\s*=/i.test(attributes) || content === "") continue;
    hashes.add(`'sha256-${createHash("sha256").update(content, "utf8").digest("base64")}'`);
  }
  return { body: Buffer.from(html, "utf8"), policy: contentSecurityPolicy({ development: false, scriptSources: [...hashes] }) };
}

function varyHeader(upstream: string | undefined, compressible: boolean): string {
  const names = (upstream ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name && name.toLowerCase() !== "accept-encoding");
  if (compressible) names.push("Accept-Encoding");
  return names.join(", ");
}

// The best stored encoding the reader accepts: brotli, then gzip, else the plain body.
function pickVariant(entry: Entry, header: string | string[] | undefined): Variant {
  const accepted = acceptedEncodings(Array.isArray(header) ? header.join(",") : (header ?? ""));
  const identity = entry.variants.identity as Variant;
  if (entry.variants.br && accepted("br")) return entry.variants.br;
  if (entry.variants.gzip && accepted("gzip")) return entry.variants.gzip;
  return identity;
}

function acceptedEncodings(header: string): (encoding: string) => boolean {
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  return (encoding) => (weights.get(encoding) ?? weights.get("*") ?? 0) > 0;
}
