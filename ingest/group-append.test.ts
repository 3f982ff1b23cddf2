import { describe, expect, it } from "vitest";
import type { StoredChunk } from "@/lib/vectorstore";
import { createGroupAppend } from "./group-append";

const chunk = (docId: string, i: number) => ({ id: `${docId}:1:${i}`, docId }) as StoredChunk;
const doc = (docId: string, n: number) => Array.from({ length: n }, (_, i) => chunk(docId, i));

/** A store whose commits finish only when the test says so. */
function manualStore() {
  const commits: { ids: string[]; finish(error?: Error): void }[] = [];
  return {
    commits,
    add(chunks: readonly StoredChunk[]) {
      return new Promise<void>((resolve, reject) => commits.push({ ids: chunks.map((c) => c.id), finish: (e) => (e ? reject(e) : resolve()) }));
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("createGroupAppend", () => {
  it("commits the first document at once and groups those that arrive during a commit into one append", async () => {
    const store = manualStore();
    const append = createGroupAppend(store);
    const done: string[] = [];
    const a = append(doc("a", 2)).then(() => done.push("a"));
    await tick();
    const b = append(doc("b", 1)).then(() => done.push("b"));
    const c = append(doc("c", 2)).then(() => done.push("c"));
    await tick();
    expect(store.commits.map((x) => x.ids)).toEqual([["a:1:0", "a:1:1"]]);
    store.commits[0]!.finish();
    await a;
    await tick();
    expect(done).toEqual(["a"]);
    expect(store.commits.map((x) => x.ids)).toEqual([["a:1:0", "a:1:1"], ["b:1:0", "c:1:0", "c:1:1"]]);
    store.commits[1]!.finish();
    await Promise.all([b, c]);
    expect(done).toEqual(["a", "b", "c"]);
  });

  it("fails every document of a failed group and goes on with the next group", async () => {
    const store = manualStore();
    const append = createGroupAppend(store);
    const first = append(doc("a", 1));
    await tick();
    const b = append(doc("b", 1));
    const c = append(doc("c", 1));
    store.commits[0]!.finish();
    await first;
    await tick();
    store.commits[1]!.finish(new Error("disk full"));
    await expect(b).rejects.toThrow("disk full");
    await expect(c).rejects.toThrow("disk full");
    const d = append(doc("d", 1));
    await tick();
    store.commits[2]!.finish();
    await d;
    expect(store.commits.map((x) => x.ids)).toEqual([["a:1:0"], ["b:1:0", "c:1:0"], ["d:1:0"]]);
  });

  it("stops a group at maxRows, never splitting a document", async () => {
    const store = manualStore();
    const append = createGroupAppend(store, { maxRows: 3 });
    const all = [append(doc("a", 1))];
    await tick();
    all.push(append(doc("b", 2)), append(doc("c", 2)), append(doc("d", 5)));
    for (let i = 0; i < 4; i++) {
      await tick();
      store.commits[i]?.finish();
    }
    await Promise.all(all);
    expect(store.commits.map((x) => x.ids.length)).toEqual([1, 2, 2, 5]);
  });

  it("while more documents are on their way, waits for them and commits them together", async () => {
    const store = manualStore();
    let more = true;
    const append = createGroupAppend(store, { more: () => more, lingerMs: 60_000 });
    const a = append(doc("a", 1));
    const b = append(doc("b", 1));
    await tick();
    expect(store.commits).toEqual([]);
    more = false; // the last one arrives: nothing left to wait for
    const c = append(doc("c", 1));
    await tick();
    expect(store.commits.map((x) => x.ids)).toEqual([["a:1:0", "b:1:0", "c:1:0"]]);
    store.commits[0]!.finish();
    await Promise.all([a, b, c]);
  });

  it("stops waiting once the group is full", async () => {
    const store = manualStore();
    const append = createGroupAppend(store, { more: () => true, lingerMs: 60_000, maxRows: 3 });
    const a = append(doc("a", 2));
    await tick();
    expect(store.commits).toEqual([]);
    const b = append(doc("b", 1));
    await tick();
    expect(store.commits.map((x) => x.ids)).toEqual([["a:1:0", "a:1:1", "b:1:0"]]);
    store.commits[0]!.finish();
    await Promise.all([a, b]);
  });
});
