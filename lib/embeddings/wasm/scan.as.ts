// AssemblyScript source of the tokenizer's ASCII scan (compiled by `npm run wasm:build`
// into scan-wasm.ts; a test checks the two match). A port of WordTokenizer.scanAscii,
// PackedVocabulary.findFolded and mayHaveParts: same words, same lookups, same ids.
//
// Memory, laid out by the host (scanner.ts): WORD at 0 (128 bytes: lowercase code of
// letters and digits, 0 otherwise), FOLD at 128 (128 bytes: A-Z lowercased), then the
// vocabulary's slots (int32 [key0, key1, length, id + 1] each), token start offsets (u32 per
// id) and token characters, then the text and the output.
//
// Output: one int32 per word. A known word's id (>= 0); an unknown word that the JS fallback
// may split (hyphens, apostrophes, camelCase, letters with digits) as the pair -1 - start, end
// (its byte range), for the host to resolve; other unknown words nothing. The scan stops once
// maxTokens ids are out, since a resolved pair never removes ids before it.

const FOLD: usize = 128;

@inline function slotHash(key0: i32, key1: i32, len: i32): i32 {
  const h = (key0 ^ ((key1 ^ len) * 0x9e3779b1)) * 0x85ebca6b;
  return h ^ (h >>> 15);
}

@inline function word(c: i32): i32 {
  return <i32>load<u8>(<usize>c);
}

function sameFolded(id: i32, text: usize, from: i32, to: i32, starts: usize, chars: usize): bool {
  let k = chars + <usize>load<u32>(starts + (<usize>id << 2));
  for (let i = from; i < to; i++, k++) {
    if (load<u8>(k) != load<u8>(FOLD + <usize>load<u8>(text + <usize>i))) return false;
  }
  return true;
}

/** The id of text[from, to) lowercased, -1 when absent (PackedVocabulary.findFolded). */
function find(text: usize, from: i32, to: i32, key0: i32, key1: i32, slots: usize, slotMask: i32, starts: usize, chars: usize): i32 {
  const len = to - from;
  let slot = (slotHash(key0, key1, len) << 2) & slotMask;
  let entry = load<i32>(slots + (<usize>slot << 2), 12);
  while (entry != 0) {
    const p = slots + (<usize>slot << 2);
    if (load<i32>(p) == key0 && load<i32>(p, 4) == key1 && load<i32>(p, 8) == len) {
      if (len <= 8 || sameFolded(entry - 1, text, from, to, starts, chars)) return entry - 1;
    }
    slot = (slot + 4) & slotMask;
    entry = load<i32>(slots + (<usize>slot << 2), 12);
  }
  return -1;
}

function mayHaveParts(text: usize, from: i32, to: i32): bool {
  let lower = 0;
  let upper = 0;
  let digits = 0;
  for (let k = from; k < to; k++) {
    const c = <i32>load<u8>(text + <usize>k);
    if (c == 45 || c == 39) return true;
    if (c >= 97) lower++;
    else if (c >= 65) upper++;
    else digits++;
  }
  if (digits > 0) return lower + upper > 0;
  if (lower == 0 || upper == 0) return false;
  const first = <i32>load<u8>(text + <usize>from);
  return !(upper == 1 && first >= 65 && first <= 90);
}

/** Scans ASCII text[0, n); writes the output described above at `out`; returns how many int32 it wrote. */
export function scan(text: usize, n: i32, maxTokens: i32, slots: usize, slotMask: i32, starts: usize, chars: usize, out: usize): i32 {
  let written = 0;
  let ids = 0;
  let i = 0;
  while (i < n) {
    let c = <i32>load<u8>(text + <usize>i);
    let f = word(c);
    if (f == 0) {
      i++;
      continue;
    }
    const start = i;
    let key0 = 0;
    let key1 = 0;
    while (true) {
      key1 = (key1 << 8) | (key0 >>> 24);
      key0 = (key0 << 8) | f;
      if (++i >= n) break;
      c = <i32>load<u8>(text + <usize>i);
      f = word(c);
      if (f != 0) continue;
      // An inner hyphen or apostrophe joins two runs: "e-mail", "don't".
      if ((c != 45 && c != 39) || i + 1 >= n || word(<i32>load<u8>(text + <usize>i + 1)) == 0) break;
      f = c;
    }
    const id = find(text, start, i, key0, key1, slots, slotMask, starts, chars);
    if (id >= 0) {
      store<i32>(out + (<usize>written << 2), id);
      written++;
      ids++;
    } else if (mayHaveParts(text, start, i)) {
      store<i32>(out + (<usize>written << 2), -1 - start);
      store<i32>(out + (<usize>written << 2), i, 4);
      written += 2;
    }
    if (ids >= maxTokens) break;
  }
  return written;
}
