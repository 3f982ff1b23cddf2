import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDataFolderPrivate } from "./data-folder";

const parent = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-private-"));
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));
const mode = (p: string) => fs.statSync(p).mode & 0o777;
// Run as root, PostgreSQL's own user may pass through to its folder.
const expected = process.getuid?.() === 0 ? 0o701 : 0o700;

describe("makeDataFolderPrivate", () => {
  it("makes a new data folder private", () => {
    const dir = path.join(parent, "new", "data");
    makeDataFolderPrivate(dir);
    expect(mode(dir)).toBe(expected);
  });

  it("tightens an existing folder and Vouch's folders in it, leaving the rest", () => {
    const dir = path.join(parent, "old");
    for (const sub of ["files", "lancedb", "other"]) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    makeDataFolderPrivate(dir);
    expect([mode(dir), mode(path.join(dir, "files")), mode(path.join(dir, "lancedb")), mode(path.join(dir, "other"))]).toEqual([expected, 0o700, 0o700, 0o755]);
  });
});
