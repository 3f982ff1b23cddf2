/**
 * Uploaded files, streamed to private temporary files as they arrive: a request's memory stays
 * small whatever its size, a file over the size limit is cut off and dropped rather than
 * buffered, and more files than allowed stop the upload (413).
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/errors";

export interface ReceivedFile {
  fileName: string;
  /** A 0600 file in the upload folder, removed by `discard`. */
  path: string;
  bytes: number;
}

export interface ReceivedUpload {
  files: ReceivedFile[];
  /** Names of files over maxFileBytes, which were not kept. */
  oversize: string[];
  /** Removes the temporary files. */
  discard(): Promise<void>;
}

export interface ReceiveOptions {
  field: string;
  maxFileBytes: number;
  maxFiles: number;
  /** Where temporary files go (created 0700 if missing). */
  tmpDir: string;
}

interface Part extends ReceivedFile {
  truncated: boolean;
}

const remove = (files: readonly ReceivedFile[]) => Promise.all(files.map((f) => fs.promises.rm(f.path, { force: true }))).then(() => undefined);

export async function receiveFiles(request: Request, options: ReceiveOptions): Promise<ReceivedUpload> {
  if (!request.body) throw new AppError("bad_request:upload", "No files in the upload.");
  fs.mkdirSync(options.tmpDir, { recursive: true, mode: 0o700 });
  const parts: Part[] = [];
  const writes: Promise<void>[] = [];
  let tooMany = false;
  const parser = busboy({
    headers: { "content-type": request.headers.get("content-type") ?? "" },
    // A folder upload names each file by its path in the folder.
    preservePath: true,
    limits: { files: options.maxFiles, fileSize: options.maxFileBytes, fields: 20, fieldSize: 4096, parts: options.maxFiles + 20 },
  });
  parser.on("file", (field, stream, info) => {
    if (field !== options.field) return void stream.resume();
    const part: Part = { fileName: info.filename || "upload", path: path.join(options.tmpDir, `${crypto.randomUUID()}.part`), bytes: 0, truncated: false };
    parts.push(part);
    stream.on("data", (chunk: Buffer) => (part.bytes += chunk.length));
    // busboy cuts a file off at the limit and keeps reading (and dropping) the rest of it.
    stream.on("limit", () => (part.truncated = true));
    writes.push(pipeline(stream, fs.createWriteStream(part.path, { mode: 0o600 })));
  });
  parser.on("filesLimit", () => (tooMany = true));
  try {
    await pipeline(Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), parser);
    await Promise.all(writes);
  } catch (error) {
    await Promise.allSettled(writes);
    await remove(parts);
    throw new AppError("bad_request:upload", `The upload could not be read (${error instanceof Error ? error.message : String(error)}); try again.`);
  }
  if (tooMany) {
    await remove(parts);
    throw new AppError("payload_too_large:upload", `At most ${options.maxFiles} files per upload; send the rest in another.`);
  }
  const cut = parts.filter((p) => p.truncated);
  await remove(cut);
  const files = parts.filter((p) => !p.truncated).map(({ fileName, path: file, bytes }) => ({ fileName, path: file, bytes }));
  return { files, oversize: cut.map((p) => p.fileName), discard: () => remove(files) };
}
