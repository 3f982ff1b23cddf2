import { afterEach, describe, expect, it } from "vitest";
import { packRows, planBatches, RowTokens } from "./batch-rows";
import { PackedVocabulary } from "./packed-vocabulary";
import { TokenIdBuffer } from "./token-buffer";
import { WordTokenizer } from "./tokenizer";
import { RING_SLOTS } from "./tokenizer-protocol";
import { TokenizerThread, type TokenizeJob } from "./tokenizer-thread";

const words = ["[PAD]", "reset", "password", "e-mail", "do", "not", "cafe", "refund", "authentication", "the", "card"];
const packed = PackedVocabulary.build(new Map(words.map((w, i) => [w, i])), { shared: true });
const tokenizer = new WordTokenizer(packed);
const MAX_TOKENS = 6;
const texts = [
  "Reset the password", "", "Café refund 🙂", "don't", "the the the the the the the the", "E-Mail authentication",
  "日本語", "card\ud800card", "resetPassword", "x".repeat(70_000), "the card", "refund the card refund",
  "ﬁle ㏂ ½", "the", "password password", "Authentication—card", "REFUND", "e-mail’s card", "a", "the refund",
];

let thread: TokenizerThread | undefined;
afterEach(async () => {
  await thread?.close();
  thread = undefined;
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function startThread(maxBatch: number): Promise<TokenizerThread> {
  const started = TokenizerThread.start({ tables: packed.tables, maxTokens: MAX_TOKENS, maxBatch });
  if (!started) throw new Error("the tokenizer thread did not start");
  thread = started;
  await until(() => started.usable, "the thread to load");
  return started;
}

/** What the caller would compute inline for batch `indices`. */
const inline = (indices: number[]) => packRows(tokenizer, indices.map((i) => texts[i]!), MAX_TOKENS);

async function takeAll(job: TokenizeJob, plan: number[][]) {
  const got = [];
  for (const [k, indices] of plan.entries()) {
    const rows = await job.take(k);
    // Copy: the job reuses its feed buffers for the next batch.
    got.push(rows ? { from: "thread", rows: rows.rows, cols: rows.cols, ids: [...rows.ids], mask: [...rows.mask] } : { from: "caller", ...inline(indices) });
  }
  job.finish();
  return got;
}

describe("TokenizerThread", () => {
  it("tokenises every batch into exactly the rows packRows makes, through a wrapping ring", async () => {
    const t = await startThread(2);
    const plan = planBatches(texts, 2); // 10 batches: more than the ring holds
    expect(plan.length).toBeGreaterThan(RING_SLOTS);
    const job = t.submit(texts, plan);
    // Batches 0 … RING_SLOTS - 1 fit in the ring before the caller takes anything; the rest wait for free slots.
    await until(() => job.ready(RING_SLOTS - 1), "the thread to fill the ring");
    expect(job.ready(RING_SLOTS)).toBe(false);
    const got = await takeAll(job, plan);
    // The batches that were ready are the thread's; a later one may go to the caller if the thread is slow to claim it.
    expect(got.slice(0, RING_SLOTS).map((g) => g.from)).toEqual(Array(RING_SLOTS).fill("thread"));
    for (const [k, indices] of plan.entries()) {
      const want = inline(indices);
      expect({ rows: got[k]!.rows, cols: got[k]!.cols, ids: [...got[k]!.ids], mask: [...got[k]!.mask] }).toEqual({
        rows: want.rows, cols: want.cols, ids: [...want.ids], mask: [...want.mask],
      });
    }
  });

  it("leaves to the caller the batches it claims first, and is free for the next job after finish()", async () => {
    const t = await startThread(4);
    const plan = planBatches(texts, 4);
    const abandoned = t.submit(texts, plan);
    abandoned.finish(); // claims every batch for the caller: the thread must skip them all
    expect(await abandoned.take(1)).toBeNull();
    const job = t.submit(texts, plan);
    await until(() => job.ready(plan.length - 1), "the second job");
    const got = await takeAll(job, plan);
    expect(got.map((g) => g.from)).toEqual(["thread", "thread", "thread", "thread", "thread"]);
  });

  it("shares batch 0's rows: the caller's claimed rows first, the thread's after them, packing to packRows' batch", async () => {
    const t = await startThread(8);
    const plan = planBatches(texts, 8);
    const first = plan[0]!;
    const job = t.submit(texts, plan);
    const own = new RowTokens(tokenizer, MAX_TOKENS, new TokenIdBuffer(), first.length);
    // Both threads race for the rows; whoever gets them, the batch must come out whole.
    while (job.claimRow(first.length)) own.add(texts[first[own.rows]!]!);
    expect(job.claimRow(first.length)).toBe(false);
    const tail = await job.take(0);
    expect(own.rows + (tail?.rows ?? 0)).toBe(first.length);
    const joined = own.pack(tail!);
    const want = inline(first);
    expect({ ...joined, ids: [...joined.ids], mask: [...joined.mask] }).toEqual({ ...want, ids: [...want.ids], mask: [...want.mask] });
    await until(() => job.ready(plan.length - 1), "the thread to tokenise the later batches");
    for (let k = 1; k < plan.length; k++) {
      const rows = await job.take(k);
      const wantK = inline(plan[k]!);
      expect(rows && { ...rows, ids: [...rows.ids], mask: [...rows.mask] }).toEqual({ ...wantK, ids: [...wantK.ids], mask: [...wantK.mask] });
    }
    job.finish();
  });

  it("hands batches back to the caller when the thread dies", async () => {
    const t = await startThread(4);
    const plan = planBatches(texts, 4);
    await t.close();
    const job = t.submit(texts, plan);
    expect(await job.take(1)).toBeNull();
    job.finish();
  });
});
