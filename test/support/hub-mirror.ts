/**
 * An in-process HTTP server serving a local folder laid out like the model hub
 * (`<org>/<repo>/resolve/<revision>/<file>`), for pull tests. It answers Range
 * requests (206, If-Range against its ETag, 416 past the end), and can be told to
 * ignore Range, to cut the connection part-way, or to send slowly.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface HubMirror {
  url: string;
  /** Every request: the file's URL path, its Range and If-Range headers ("" when none), and the status answered. */
  requests: { path: string; range: string; ifRange: string; status: number }[];
  /** Answer 200 with the whole file whatever Range asks (as some servers do). */
  ignoreRange: boolean;
  /** Cut the connection after this many bytes of the next file sent (once). */
  dropNextAfter?: number;
  /** Milliseconds to wait between chunks, so a test can act mid-file. */
  delayMs: number;
  close(): Promise<void>;
}

const CHUNK = 16 * 1024;

export async function startHubMirror(folder: string): Promise<HubMirror> {
  const mirror: HubMirror = { url: "", requests: [], ignoreRange: false, delayMs: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    void serve(req, res).catch(() => res.destroy());
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const urlPath = new URL(req.url ?? "/", "http://mirror").pathname;
    const parts = urlPath.split("/").filter(Boolean).map(decodeURIComponent);
    const ifRange = String(req.headers["if-range"] ?? "");
    const record = (status: number) => void mirror.requests.push({ path: urlPath, range: req.headers.range ?? "", ifRange, status });
    const body = parts.includes("..") ? undefined : await fs.readFile(path.join(folder, ...parts)).catch(() => undefined);
    if (!body) {
      record(404);
      return void res.writeHead(404).end("not found");
    }
    // A strong ETag from the content, so If-Range notices a changed file.
    const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    let start = 0;
    if (range && !mirror.ignoreRange && (!ifRange || ifRange === etag)) {
      start = Number(range[1]);
      if (start >= body.length) {
        record(416);
        return void res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
      }
    }
    const partial = start > 0;
    record(partial ? 206 : 200);
    res.writeHead(partial ? 206 : 200, {
      "content-length": body.length - start,
      "content-type": "application/octet-stream",
      etag,
      ...(partial ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    const drop = mirror.dropNextAfter;
    mirror.dropNextAfter = undefined;
    let sent = 0;
    for (let at = start; at < body.length; at += CHUNK) {
      let chunk = body.subarray(at, Math.min(at + CHUNK, body.length));
      if (drop !== undefined && sent + chunk.length >= drop) chunk = chunk.subarray(0, drop - sent);
      sent += chunk.length;
      // Cut only once the bytes before the cut have left, so the client sees exactly `drop` bytes.
      if (drop !== undefined && sent >= drop) return void res.write(chunk, () => res.socket?.destroy());
      if (!res.write(chunk)) await once(res, "drain");
      if (mirror.delayMs > 0) await new Promise((r) => setTimeout(r, mirror.delayMs));
      if (res.destroyed) return;
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  mirror.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mirror.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return mirror;
}

/** Writes `files` (path inside the repository → bytes) into `folder` as the hub lays out `repo` at `revision`. */
export async function writeHubRepo(folder: string, repo: string, revision: string, files: Record<string, Buffer>): Promise<void> {
  for (const [file, bytes] of Object.entries(files)) {
    const target = path.join(folder, ...repo.split("/"), "resolve", revision, ...file.split("/"));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, bytes);
  }
}
