import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canEnter, firstBlockedFolder, foldersOnTheWay, permissionClass } from "./folder-access";

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "vouch-access-")));
fs.chmodSync(base, 0o755);
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const me = { uid: process.getuid!(), gid: process.getgid!() };
// Ids no file here is owned by: the user PostgreSQL would run as, seen from outside.
const stranger = { uid: 2_000_123, gid: 2_000_123 };

describe("whether another user can enter a folder", () => {
  it("uses the owner's bits for the owner, the group's for the primary group, the others' for the rest", () => {
    const folder = { uid: 101, gid: 104, mode: 0o40710 };
    expect(permissionClass(folder, { uid: 101, gid: 1 })).toBe("u");
    expect(permissionClass(folder, { uid: 7, gid: 104 })).toBe("g");
    expect(permissionClass(folder, {})).toBe("o");
    expect(canEnter(folder, { uid: 101 })).toBe(true);
    expect(canEnter(folder, { uid: 7, gid: 104 })).toBe(true);
    expect(canEnter(folder, { uid: 7, gid: 7 })).toBe(false);
    // The first matching class decides, even when a later one would allow it.
    expect(canEnter({ uid: 101, gid: 104, mode: 0o40611 }, { uid: 101, gid: 104 })).toBe(false);
  });

  it("names the outermost folder on the way that blocks, such as a 0700 mktemp folder", () => {
    const blocker = fs.mkdtempSync(path.join(base, "tmp."));
    fs.chmodSync(blocker, 0o700);
    const inner = path.join(blocker, "data", "postgres");
    fs.mkdirSync(inner, { recursive: true, mode: 0o700 });
    expect(firstBlockedFolder(inner, stranger)).toEqual({ folder: blocker, mode: 0o700, who: "o" });
    expect(firstBlockedFolder(inner, me)).toBeUndefined();
    fs.chmodSync(blocker, 0o701);
    expect(firstBlockedFolder(inner, stranger)?.folder).toBe(path.join(blocker, "data"));
  });

  it("walks both the path as written and the real path behind a symlink", () => {
    const real = path.join(base, "real", "target");
    fs.mkdirSync(real, { recursive: true });
    const link = path.join(base, "link");
    fs.symlinkSync(real, link);
    expect(foldersOnTheWay(link)).toEqual(expect.arrayContaining([base, link, path.join(base, "real"), real]));
    fs.chmodSync(path.join(base, "real"), 0o700);
    expect(firstBlockedFolder(link, stranger)?.folder).toBe(path.join(base, "real"));
  });
});
