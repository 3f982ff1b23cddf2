import { describe, expect, it } from "vitest";
import { IngestError } from "@/ingest/parse/errors";
import { bytesOf, makeZip } from "@/ingest/parse/fixtures/make";
import { extractZip } from "./extract";
import { checkFileSize, megabytes } from "./limits";
import { baseName, sanitizeFileName } from "./names";
import { readZipDirectory } from "./zip";

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    return { code: (err as IngestError).code, message: (err as IngestError).message };
  }
  throw new Error("expected an IngestError");
}

describe("file names", () => {
  it("cleans harmless oddities", () => {
    expect(sanitizeFileName("  Handbook.pdf ")).toBe("Handbook.pdf");
    expect(sanitizeFileName("docs\\policies\\refunds.md")).toBe("docs/policies/refunds.md");
    expect(sanitizeFileName("./a//b/./c.txt")).toBe("a/b/c.txt");
    expect(sanitizeFileName("cafe\u0301.txt")).toBe("caf\u00e9.txt");
    expect(baseName("a/b/c.txt")).toBe("c.txt");
  });

  it("rejects path traversal with a clear message", () => {
    expect(failure(() => sanitizeFileName("../../etc/passwd"))).toEqual({
      code: "bad_file_name",
      message: 'file name "../../etc/passwd" contains a path traversal ("..") segment; rename the file and upload it again',
    });
    expect(failure(() => sanitizeFileName("docs\\..\\..\\secret.txt")).code).toBe("bad_file_name");
  });

  it("rejects absolute and drive paths", () => {
    expect(failure(() => sanitizeFileName("/etc/passwd")).message).toBe('file name "/etc/passwd" is an absolute path; rename the file and upload it again');
    expect(failure(() => sanitizeFileName("C:\\Windows\\win.ini")).message).toMatch(/is an absolute path/);
    expect(failure(() => sanitizeFileName("\\\\server\\share\\x.pdf")).message).toMatch(/is an absolute path/);
  });

  it("rejects control and disguising characters", () => {
    expect(failure(() => sanitizeFileName("report\u0000.pdf")).message).toBe('file name "report\\u0000.pdf" contains control characters; rename the file and upload it again');
    expect(failure(() => sanitizeFileName("line\nbreak.txt")).message).toMatch(/contains control characters/);
    expect(failure(() => sanitizeFileName("invoice\u202Efdp.exe")).message).toMatch(/invisible or text-direction characters/);
    expect(failure(() => sanitizeFileName("   ")).message).toMatch(/is empty/);
    expect(failure(() => sanitizeFileName(`${"a".repeat(300)}.pdf`)).message).toMatch(/longer than 255 bytes/);
  });
});

describe("size limits", () => {
  it("names the limit when a file is too large", () => {
    expect(failure(() => checkFileSize(megabytes(50) + 1))).toEqual({ code: "too_large", message: "file is 50 MB, over the upload limit of 50 MB" });
    expect(failure(() => checkFileSize(61_234_567, megabytes(10))).message).toBe("file is 58.4 MB, over the upload limit of 10 MB");
    expect(() => checkFileSize(megabytes(50))).not.toThrow();
  });

  it("an empty file", () => {
    expect(failure(() => checkFileSize(0))).toEqual({ code: "empty_file", message: "empty file" });
  });
});

describe("zip archives", () => {
  const limits = { maxEntries: 5, maxTotalBytes: 4 * 1024 * 1024, maxRatio: 100 };

  it("extracts files with clean names and reports bad entries without stopping", () => {
    const zip = makeZip([
      { name: "kb/refunds.md", data: bytesOf("# Refunds") },
      { name: "kb/", data: new Uint8Array(0), method: 0 },
      { name: "../evil.sh", data: bytesOf("rm -rf /") },
      { name: "__MACOSX/kb/._refunds.md", data: bytesOf("junk") },
      { name: "empty.txt", data: new Uint8Array(0) },
    ]);
    const out = extractZip(zip, limits);
    expect(out.files.map((f) => [f.name, new TextDecoder().decode(f.bytes)])).toEqual([["kb/refunds.md", "# Refunds"]]);
    expect(out.rejected.map((r) => [r.name, r.error.code])).toEqual([
      ["../evil.sh", "bad_file_name"],
      ["empty.txt", "empty_file"],
    ]);
  });

  it("rejects entries over the per-file size limit", () => {
    const out = extractZip(makeZip([{ name: "big.txt", data: new Uint8Array(2048).fill(97) }]), limits, 1024);
    expect(out.rejected[0]?.error.code).toBe("too_large");
  });

  it("zip bomb: too many entries", () => {
    const many = makeZip(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: bytesOf("x") })));
    expect(failure(() => extractZip(many, limits))).toEqual({ code: "archive_bomb", message: "archive has 6 entries, over the limit of 5; split it into smaller archives" });
  });

  it("zip bomb: compression ratio", () => {
    const bomb = makeZip([{ name: "zeros.txt", data: new Uint8Array(3 * 1024 * 1024) }]);
    expect(failure(() => extractZip(bomb, limits)).message).toMatch(/^archive entry "zeros\.txt" expands \d+:1, over the compression ratio limit of 100:1 \(possible zip bomb\)$/);
  });

  it("zip bomb: total uncompressed size", () => {
    const random = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
    const big = makeZip([1, 2, 3].map((i) => ({ name: `r${i}.bin`, data: random(1536 * 1024), method: 0 as const })));
    expect(failure(() => extractZip(big, limits))).toEqual({ code: "archive_bomb", message: "archive expands to 4.5 MB, over the limit of 4 MB (possible zip bomb)" });
  });

  it("zip bomb: an entry lying about its size is stopped while inflating", () => {
    const liar = makeZip([{ name: "small.txt", data: new Uint8Array(1024 * 1024), declaredSize: 100 }]);
    expect(failure(() => extractZip(liar, limits))).toEqual({
      code: "archive_bomb",
      message: 'archive entry "small.txt" inflates beyond its declared size of 100 bytes (possible zip bomb)',
    });
  });

  it("a corrupt archive", () => {
    expect(failure(() => readZipDirectory(bytesOf("PK\u0003\u0004 nothing else"))).code).toBe("bad_archive");
  });
});
