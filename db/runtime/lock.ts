/**
 * A cross-process lock on a data folder, built on atomic mkdir. A lock whose
 * owner process is gone is stale: it is cleared and reported, never ignored.
 */
import fs from "node:fs";
import path from "node:path";

export interface LockLog {
  warn(message: string): void;
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(lockDir: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(path.join(lockDir, "owner"), "utf8"), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryTake(lockDir: string): boolean {
  try {
    fs.mkdirSync(lockDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  fs.writeFileSync(path.join(lockDir, "owner"), String(process.pid));
  return true;
}

/** Holds `lockDir` while `work` runs; waits for a live holder, clears a dead one. */
export async function withFolderLock<T>(
  lockDir: string,
  log: LockLog,
  work: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryTake(lockDir)) {
    const owner = readOwner(lockDir);
    const age = lockAgeMs(lockDir);
    // An owner file is written right after mkdir; give a fresh lock a moment to get one.
    const dead = owner !== undefined ? !isProcessAlive(owner) : age > 5_000;
    if (dead) {
      log.warn(`Cleared a stale lock at ${lockDir} left by ${owner ? `process ${owner}, which is no longer running` : "an unknown process"}.`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for the lock at ${lockDir} held by process ${owner ?? "unknown"}.`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockAgeMs(lockDir: string): number {
  try {
    return Date.now() - fs.statSync(lockDir).mtimeMs;
  } catch {
    return 0;
  }
}
