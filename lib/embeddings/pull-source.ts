/**
 * Opens one file of a model pull at a byte offset, so a pull that stopped part-way continues
 * instead of starting again. Over http(s) it asks for the rest with a Range request; the
 * answer decides where the bytes start: 206 continues at the offset, 200 (the server ignores
 * Range, or If-Range found the file changed) sends the whole file again, 416 means nothing
 * is left. A mirror folder is read from the offset.
 */
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";

export interface OpenedSource {
  /** Byte at which `chunks` start: the offset asked for, or 0 when the whole file comes again. */
  start: number;
  /** Bytes of the whole file (file size, Content-Range, Content-Length), 0 when unknown. */
  length: number;
  /** ETag or Last-Modified of the file, sent as If-Range when the pull resumes. */
  validator?: string;
  /** The bytes from `start`; null when the staged bytes are already the whole file. */
  chunks: AsyncIterable<Uint8Array> | null;
}

export interface SourceOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export const isHttp = (location: string) => /^https?:\/\//.test(location);

/** `location` from byte `offset`, with the `validator` remembered from the attempt that stored the first bytes. */
export async function openSource(location: string, offset: number, validator: string | undefined, options: SourceOptions): Promise<OpenedSource> {
  if (!isHttp(location)) {
    const { size } = await fs.stat(location);
    const start = offset <= size ? offset : 0;
    return { start, length: size, chunks: start < size ? (createReadStream(location, { start }) as AsyncIterable<Buffer>) : null };
  }
  const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-`, ...(validator ? { "if-range": validator } : {}) } : {};
  const res = await (options.fetch ?? fetch)(location, { redirect: "follow", headers, signal: options.signal });
  const again = async () => {
    await res.body?.cancel();
    return openSource(location, 0, undefined, options);
  };
  if (res.status === 416 && offset > 0) {
    // Nothing past the offset: the staged bytes are the whole file only if the server says it has exactly that many.
    const whole = Number(/\/(\d+)$/.exec(res.headers.get("content-range") ?? "")?.[1]);
    if (whole !== offset) return again();
    await res.body?.cancel();
    return { start: offset, length: offset, validator, chunks: null };
  }
  if (!res.ok || !res.body) throw new Error(`${location} answered ${res.status} ${res.statusText}`.trim());
  const etag = res.headers.get("etag");
  // A weak ETag may not be used in If-Range; the date serves instead.
  const seen = (etag && !etag.startsWith("W/") ? etag : res.headers.get("last-modified")) ?? undefined;
  const chunks = res.body as unknown as AsyncIterable<Uint8Array>;
  if (res.status === 206) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get("content-range") ?? "");
    // A range other than the one asked for cannot be appended to what is staged.
    if (!range || Number(range[1]) !== offset) return again();
    return { start: offset, length: range[2] === "*" ? 0 : Number(range[2]), validator: seen ?? validator, chunks };
  }
  return { start: 0, length: Number(res.headers.get("content-length") ?? 0), validator: seen, chunks };
}

/** Feeds the first `bytes` of a staged file to `update` (the hash of a resumed file covers every byte). */
export async function readPrefix(file: string, bytes: number, update: (chunk: Uint8Array) => void, signal?: AbortSignal): Promise<void> {
  if (bytes <= 0) return;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1, highWaterMark: 1 << 20 })) {
    signal?.throwIfAborted();
    update(chunk as Buffer);
  }
}
