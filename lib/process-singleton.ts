/**
 * One instance per process of something slow to open (a database pool, the models' gate).
 * Kept on globalThis so development reloads reuse it rather than open a second one;
 * a failed open is forgotten, so the next caller tries again (e.g. the database was not up yet).
 */
export function processSingleton<T>(key: string, open: () => Promise<T>): () => Promise<T> {
  const slots = globalThis as unknown as Record<string, Promise<T> | undefined>;
  const name = `vouch:${key}`;
  return () => {
    slots[name] ??= open().catch((error: unknown) => {
      slots[name] = undefined;
      throw error;
    });
    return slots[name];
  };
}
