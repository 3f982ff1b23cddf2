import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { receiveFiles } from "./multipart";

const tmpDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vouch-multipart-")), "uploads");
afterAll(() => fs.rmSync(path.dirname(tmpDir), { recursive: true, force: true }));

function upload(files: [name: string, bytes: number][], field = "file") {
  const form = new FormData();
  for (const [name, bytes] of files) form.append(field, new File([new Uint8Array(bytes).fill(65)], name));
  form.append("note", "ignored");
  return new Request("http://x.test/upload", { method: "POST", body: form });
}

const leftovers = () => (fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir) : []);

describe("receiveFiles", () => {
  it("streams each file to a private temporary file, and discard removes them", async () => {
    const got = await receiveFiles(upload([["a/one.md", 10], ["two.txt", 2048]]), { field: "file", maxFileBytes: 4096, maxFiles: 5, tmpDir });
    expect(got.files.map((f) => [f.fileName, f.bytes])).toEqual([["a/one.md", 10], ["two.txt", 2048]]);
    expect(fs.readFileSync(got.files[1]!.path, "utf8")).toBe("A".repeat(2048));
    expect(fs.statSync(got.files[0]!.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(tmpDir).mode & 0o777).toBe(0o700);
    expect(got.oversize).toEqual([]);
    await got.discard();
    expect(leftovers()).toEqual([]);
  });

  it("drops a file over the size limit without keeping it, and keeps the others", async () => {
    const got = await receiveFiles(upload([["huge.pdf", 3 * 1024 * 1024], ["small.md", 100]]), { field: "file", maxFileBytes: 1024 * 1024, maxFiles: 5, tmpDir });
    expect(got.oversize).toEqual(["huge.pdf"]);
    expect(got.files.map((f) => f.fileName)).toEqual(["small.md"]);
    expect(leftovers()).toHaveLength(1);
    await got.discard();
  });

  it("refuses more files than allowed with 413, keeping nothing", async () => {
    const error = await receiveFiles(upload([["1.md", 5], ["2.md", 5], ["3.md", 5]]), { field: "file", maxFileBytes: 1024, maxFiles: 2, tmpDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(413);
    expect(leftovers()).toEqual([]);
  });

  it("answers 400 for a body that is not the multipart it claims to be", async () => {
    const request = new Request("http://x.test/upload", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=zzz" }, body: "--zzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nunterminated" });
    const error = await receiveFiles(request, { field: "file", maxFileBytes: 1024, maxFiles: 2, tmpDir }).catch((e: unknown) => e);
    expect((error as AppError).status).toBe(400);
    expect(leftovers()).toEqual([]);
  });
});
