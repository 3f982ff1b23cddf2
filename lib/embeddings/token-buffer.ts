/** A growable Int32Array of token ids that tokenizers append to without allocating per text. */
export class TokenIdBuffer {
  ids: Int32Array;
  /** Ids in use; ids[length..] is spare room. */
  length = 0;

  constructor(capacity = 1024) {
    this.ids = new Int32Array(Math.max(1, capacity));
  }

  /** Make room for `extra` more ids. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.ids.length) return;
    const grown = new Int32Array(Math.max(needed, 2 * this.ids.length));
    grown.set(this.ids.subarray(0, this.length));
    this.ids = grown;
  }

  push(id: number): void {
    if (this.length === this.ids.length) this.reserve(1);
    this.ids[this.length++] = id;
  }
}
