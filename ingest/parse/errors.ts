/**
 * One error type for every bad-input case, so the queue can record a clear
 * per-file reason and decide whether a retry could ever help.
 */
export type IngestErrorCode =
  | "empty_file"
  | "too_large"
  | "unsupported_type"
  | "encrypted_pdf"
  | "corrupt_file"
  | "no_text_layer"
  | "no_text"
  | "bad_file_name"
  | "archive_bomb"
  | "bad_archive";

/** A per-file ingestion failure with a message a person can act on. Never worth retrying. */
export class IngestError extends Error {
  override readonly name = "IngestError";
  /** Bad input stays bad: retrying the same bytes gives the same error. */
  readonly permanent = true;

  constructor(
    readonly code: IngestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for IngestError instances (also across module copies, e.g. Next bundles). */
export function isIngestError(err: unknown): err is IngestError {
  return err instanceof IngestError || (err instanceof Error && err.name === "IngestError" && "code" in err);
}
