import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./json-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-json-file-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const schema = z.strictObject({ n: z.number() });

describe("JSON files in the data folder", () => {
  it("reads nothing from a missing file, writes whole and indented, and keeps a secret file private", () => {
    const file = path.join(dir, "models", "choice.json");
    expect(readJsonFile(file, schema)).toBeUndefined();
    writeJsonFile(file, { n: 1 }, { mode: 0o600 });
    expect(fs.readFileSync(file, "utf8")).toBe('{\n  "n": 1\n}\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["choice.json"]);
    expect(readJsonFile(file, schema)).toEqual({ n: 1 });
    writeJsonFile(file, { n: "x" });
    expect(() => readJsonFile(file, schema)).toThrow();
  });
});
