/**
 * Can another user walk down to a folder? When Vouch runs as root, PostgreSQL
 * runs as a dropped-privilege user that must be able to enter every folder on
 * the way to its data folder; initdb otherwise fails deep inside with
 * "Permission denied" and no hint which folder is at fault.
 */
import fs from "node:fs";
import path from "node:path";

/**
 * The identity a child process spawned with { uid, gid } gets. Node's spawn
 * drops every supplementary group (libuv calls setgroups(0)), so only the
 * primary group counts. Unknown ids (a user not created yet) own nothing.
 */
export interface DropUser {
  uid?: number;
  gid?: number;
}

export interface BlockedFolder {
  folder: string;
  mode: number;
  /** The permission class that applies to the user: the one whose x bit is missing. */
  who: "u" | "g" | "o";
}

/** Which permission class of a folder applies to `user`: the kernel takes the first that matches. */
export function permissionClass(stat: { uid: number; gid: number }, user: DropUser): "u" | "g" | "o" {
  if (stat.uid === user.uid) return "u";
  if (stat.gid === user.gid) return "g";
  return "o";
}

export function searchBit(who: "u" | "g" | "o"): number {
  return { u: 0o100, g: 0o010, o: 0o001 }[who];
}

/** Whether `user` may enter (search) a folder with this owner, group and mode. */
export function canEnter(stat: { uid: number; gid: number; mode: number }, user: DropUser): boolean {
  return (stat.mode & searchBit(permissionClass(stat, user))) !== 0;
}

/**
 * Every folder the kernel walks to reach `target`, outermost first: the
 * ancestors of the path as written and, when a symlink is on the way, those of
 * its real path too. `target` itself is included and must exist.
 */
export function foldersOnTheWay(target: string): string[] {
  const chains = [path.resolve(target), fs.realpathSync(target)].map(withAncestors);
  return [...new Set(chains.flat())];
}

function withAncestors(folder: string): string[] {
  const parent = path.dirname(folder);
  return parent === folder ? [folder] : [...withAncestors(parent), folder];
}

/** The outermost folder on the way to `target` that `user` cannot enter, if any. */
export function firstBlockedFolder(target: string, user: DropUser): BlockedFolder | undefined {
  for (const folder of foldersOnTheWay(target)) {
    const stat = fs.statSync(folder);
    if (!canEnter(stat, user)) return { folder, mode: stat.mode & 0o7777, who: permissionClass(stat, user) };
  }
  return undefined;
}
