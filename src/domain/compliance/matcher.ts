import { assert } from '../shared/assert.js';

// Multi-pattern matcher (Aho-Corasick) over UTF-16 code units. Written here
// rather than taken from @monyone/aho-corasick because the engine must check
// 100,000 messages a second: the library takes a string per character through
// a Map and allocates an object per match, which on our 3,000-term pack cost
// more than the rest of the engine together (see BENCHMARKS.md).
//
// Transitions live in a double array (Aoe 1989): code units are renumbered
// into the keywords' own alphabet (1..K, 0 for a code unit in no keyword),
// and the child of node s on letter a is t = base[s] + a when check[t] === s.
// A transition costs one add, two loads and a compare, and a character that
// occurs in no keyword sends the scan straight back to the root. Matches are
// written into reusable typed arrays.

export type Matches = {
  /** Number of matches found by the last scan. */
  count: number;
  /** Keyword index of each match. */
  keywords: Int32Array;
  /** Start offset of each match (inclusive). */
  starts: Int32Array;
  /** End offset of each match (exclusive). */
  ends: Int32Array;
};

export type Matcher = {
  keywordCount: number;
  /** Finds every occurrence of every keyword, overlapping ones included. */
  scan: (text: string) => Matches;
  /**
   * The same over the first `length` code units of `codes` (the engine's
   * normalised buffer), without building a string. The result is reused by
   * the next scan.
   */
  scanCodes: (codes: Uint16Array, length: number) => Matches;
};

const EMPTY = -1;
const ROOT = 0;
/** A double-array slot that is neither free nor a node. */
const UNUSABLE = -2;
/** Result buffers above this many matches are dropped before the next scan. */
const RETAINED_MATCHES_MAX = 65_536;

/**
 * Builds a matcher; keyword i is reported as index i.
 * @example createMatcher(['包过', '过']).scan('包过').count === 2
 */
export function createMatcher(keywords: readonly string[]): Matcher {
  assert(keywords.length > 0, 'a matcher needs at least one keyword');
  const trie = buildTrie(keywords);
  const fail = buildFailureLinks(trie.children);
  const { output, outputLink } = buildOutputs(trie, fail);
  const { alphabet, base, check, position } = buildDoubleArray(trie.children);
  // Node data indexed by double-array position instead of trie node.
  const size = check.length;
  const failAt = new Int32Array(size);
  const outputAt = new Int32Array(size).fill(EMPTY);
  const outputLinkAt = new Int32Array(size).fill(EMPTY);
  // The first position of each node's output chain (itself or a suffix).
  const firstHitAt = new Int32Array(size).fill(EMPTY);
  const at = (node: number): number => position[node] ?? EMPTY;
  for (let node = 0; node < trie.children.length; node += 1) {
    const here = at(node);
    failAt[here] = at(fail[node] ?? 0);
    const link = outputLink[node] ?? EMPTY;
    outputLinkAt[here] = link === EMPTY ? EMPTY : at(link);
    const keyword = output[node] ?? EMPTY;
    outputAt[here] = keyword;
    firstHitAt[here] = keyword === EMPTY ? outputLinkAt[here] : here;
  }
  const lengths = Int32Array.from(keywords, (keyword) => keyword.length);
  let matches = allocate(64);
  const scanCodes = (codes: Uint16Array, length: number): Matches => {
    if (matches.keywords.length > RETAINED_MATCHES_MAX) matches = allocate(64);
    let count = 0;
    let capacity = matches.keywords.length;
    let node = ROOT;
    for (let index = 0; index < length; index += 1) {
      const letter = alphabet[codes[index] ?? 0] ?? 0;
      if (letter === 0) {
        // In no keyword: no node has this child, the root has no output.
        node = ROOT;
        continue;
      }
      for (;;) {
        const child = (base[node] ?? 0) + letter;
        if (check[child] === node) {
          node = child;
          break;
        }
        if (node === ROOT) break;
        node = failAt[node] ?? ROOT;
      }
      let hit = firstHitAt[node] ?? EMPTY;
      while (hit !== EMPTY) {
        const keyword = outputAt[hit] ?? 0;
        if (count === capacity) {
          matches.count = count;
          matches = grow(matches);
          capacity = matches.keywords.length;
        }
        matches.keywords[count] = keyword;
        matches.starts[count] = index + 1 - (lengths[keyword] ?? 0);
        matches.ends[count] = index + 1;
        count += 1;
        hit = outputLinkAt[hit] ?? EMPTY;
      }
    }
    matches.count = count;
    return matches;
  };
  const scan = (text: string): Matches => {
    const codes = new Uint16Array(text.length);
    for (let index = 0; index < text.length; index += 1) {
      codes[index] = text.charCodeAt(index);
    }
    return scanCodes(codes, text.length);
  };
  return { keywordCount: keywords.length, scan, scanCodes };
}

type Trie = {
  /** children[node] maps a code unit to the child node; node 0 is the root. */
  children: Map<number, number>[];
  /** The keyword ending at each node, or EMPTY. */
  terminal: number[];
};

function buildTrie(keywords: readonly string[]): Trie {
  const children: Map<number, number>[] = [new Map()];
  const terminal: number[] = [EMPTY];
  keywords.forEach((keyword, index) => {
    assert(keyword.length > 0, 'keywords are not empty');
    let node = 0;
    for (let offset = 0; offset < keyword.length; offset += 1) {
      const code = keyword.charCodeAt(offset);
      const map = children[node] ?? new Map<number, number>();
      let child = map.get(code);
      if (child === undefined) {
        child = children.length;
        map.set(code, child);
        children.push(new Map());
        terminal.push(EMPTY);
      }
      node = child;
    }
    // A duplicate keyword keeps its first index; callers pass unique ones.
    if (terminal[node] === EMPTY) terminal[node] = index;
  });
  return { children, terminal };
}

type DoubleArray = {
  /** Letter (1..K) of each code unit, 0 when no keyword contains it. */
  alphabet: Uint16Array;
  base: Int32Array;
  /** check[t] is the parent position of position t, or EMPTY when free. */
  check: Int32Array;
  /** The double-array position of each trie node (the root is at 0). */
  position: Int32Array;
};

/**
 * Places the trie in a double array, first fit in breadth-first order:
 * each node gets the smallest base at which all its children's slots are
 * free.
 */
function buildDoubleArray(
  children: readonly Map<number, number>[],
): DoubleArray {
  const alphabet = new Uint16Array(65536);
  let letters = 0;
  for (const map of children) {
    for (const code of map.keys()) {
      if (alphabet[code] === 0) {
        letters += 1;
        assert(letters < 65536, 'the alphabet fits in 16 bits');
        alphabet[code] = letters;
      }
    }
  }
  let capacity = Math.max(1024, children.length * 2 + letters + 1);
  let check = new Int32Array(capacity).fill(EMPTY);
  let base = new Int32Array(capacity);
  const ensure = (size: number): void => {
    if (size <= capacity) return;
    while (capacity < size) capacity *= 2;
    const wider = new Int32Array(capacity).fill(EMPTY);
    wider.set(check);
    check = wider;
    const widerBase = new Int32Array(capacity);
    widerBase.set(base);
    base = widerBase;
  };
  const position = new Int32Array(children.length).fill(EMPTY);
  position[0] = ROOT;
  check[ROOT] = ROOT; // taken; no letter is 0, so no child lands on it
  // Slot 1 could only hold a child of a node with base 0: never used.
  check[1] = UNUSABLE;
  let firstFree = 2;
  let highest = 0;
  const queue = [0];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] ?? 0;
    const map = children[node];
    if (map === undefined || map.size === 0) continue;
    const labels = [...map.keys()]
      .map((code) => alphabet[code] ?? 0)
      .sort((a, b) => a - b);
    const lowest = labels[0] ?? 1;
    while (check[firstFree] !== EMPTY) {
      firstFree += 1;
      ensure(firstFree + 1);
    }
    // Try bases that put the lowest letter on a free slot, left to right.
    let free = firstFree;
    let chosen = EMPTY;
    while (chosen === EMPTY) {
      const candidate = free - lowest;
      if (candidate >= 1) {
        ensure(candidate + (labels[labels.length - 1] ?? 0) + 1);
        if (labels.every((label) => check[candidate + label] === EMPTY)) {
          chosen = candidate;
          break;
        }
      }
      free += 1;
      ensure(free + 1);
      while (check[free] !== EMPTY) {
        free += 1;
        ensure(free + 1);
      }
    }
    const here = position[node] ?? ROOT;
    base[here] = chosen;
    for (const [code, child] of map) {
      const slot = chosen + (alphabet[code] ?? 0);
      check[slot] = here;
      position[child] = slot;
      highest = Math.max(highest, slot);
      queue.push(child);
    }
  }
  // Every base + letter read by a scan stays inside the arrays.
  let baseMax = 0;
  for (let at = 0; at <= highest; at += 1) {
    if (check[at] !== EMPTY) baseMax = Math.max(baseMax, base[at] ?? 0);
  }
  const size = Math.max(highest, baseMax + letters) + 1;
  ensure(size);
  return {
    alphabet,
    base: base.slice(0, size),
    check: check.slice(0, size),
    position,
  };
}

function buildFailureLinks(children: readonly Map<number, number>[]) {
  const fail = new Int32Array(children.length);
  const queue: number[] = [];
  for (const child of children[0]?.values() ?? []) queue.push(child);
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] ?? 0;
    for (const [code, child] of children[node] ?? new Map<number, number>()) {
      let link = fail[node] ?? 0;
      let next = children[link]?.get(code);
      while (next === undefined && link !== 0) {
        link = fail[link] ?? 0;
        next = children[link]?.get(code);
      }
      fail[child] = next === undefined || next === child ? 0 : next;
      queue.push(child);
    }
  }
  return fail;
}

/** output[node]: keyword ending here; outputLink: next node with output. */
function buildOutputs(trie: Trie, fail: Int32Array) {
  const count = trie.children.length;
  const output = Int32Array.from(trie.terminal);
  const outputLink = new Int32Array(count).fill(EMPTY);
  const order: number[] = [0];
  for (let head = 0; head < order.length; head += 1) {
    for (const child of trie.children[order[head] ?? 0]?.values() ?? []) {
      order.push(child);
    }
  }
  // Breadth-first order: a node's failure target is settled before it.
  for (const node of order) {
    if (node === 0) continue;
    const target = fail[node] ?? 0;
    outputLink[node] =
      target !== 0 && (output[target] ?? EMPTY) !== EMPTY
        ? target
        : (outputLink[target] ?? EMPTY);
  }
  return { output, outputLink };
}

function allocate(capacity: number): Matches {
  return {
    count: 0,
    keywords: new Int32Array(capacity),
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
  };
}

function grow(matches: Matches): Matches {
  const bigger = allocate(matches.keywords.length * 2);
  bigger.keywords.set(matches.keywords);
  bigger.starts.set(matches.starts);
  bigger.ends.set(matches.ends);
  bigger.count = matches.count;
  return bigger;
}
