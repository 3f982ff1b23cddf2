import { open, stat } from "node:fs/promises";
import { requiredGgufBytes } from "./gguf-tensors";

/** A model file that cannot be used; the message is one line a person can act on. */
export class ModelFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelFileError";
  }
}

const HEADER_BYTES = 24; // magic(4) + version(u32) + tensor count(u64) + metadata count(u64)
const MIN_TENSOR_INFO_BYTES = 24;
const MIN_METADATA_ENTRY_BYTES = 12;

/**
 * Cheap structural check of a GGUF header before handing the file to node-llama-cpp:
 * its reader waits forever on some truncated headers instead of failing.
 */
export async function checkGgufHeader(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new ModelFileError(`Model file not found: ${file}`);
  if (!info.isFile()) throw new ModelFileError(`Model path is not a file: ${file}`);
  if (info.size < HEADER_BYTES) throw new ModelFileError(`Model file is too small to be a GGUF model (${info.size} bytes): ${file}`);

  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    const magic = header.subarray(0, 4).toString("latin1");
    if (magic !== "GGUF") throw new ModelFileError(`Not a GGUF model file (bad magic bytes): ${file}`);
    const version = header.readUInt32LE(4);
    if (version < 2 || version > 3) throw new ModelFileError(`Unsupported GGUF version ${version}: ${file}`);
    const tensors = header.readBigUInt64LE(8);
    const entries = header.readBigUInt64LE(16);
    const room = BigInt(info.size - HEADER_BYTES);
    if (tensors === 0n || tensors * BigInt(MIN_TENSOR_INFO_BYTES) + entries * BigInt(MIN_METADATA_ENTRY_BYTES) > room) {
      throw new ModelFileError(`Model file is corrupt or incomplete (header counts exceed the file size): ${file}`);
    }
  } finally {
    await handle.close();
  }
  const required = await requiredGgufBytes(file, info.size);
  if (required !== undefined && required > info.size) {
    throw new ModelFileError(`Model file is truncated: its tensors need ${required} bytes but the file has ${info.size}; download it again: ${file}`);
  }
}
