import { assert } from '../shared/assert.js';

// Multi-pattern matcher (Aho-Corasick) over UTF-16 code units. Written here
// rather than taken from @monyone/aho-corasick because the engine must check
// 100,000 messages a second: the library takes a string per character through
// a Map and allocates an object per match, which on our 3,000-term pack cost
// more than the rest of the engine together (see BENCHMARKS.md). Transitions
// live in one open-addressing hash table of typed arrays; matches are written
// into reusable typed arrays.

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
};

const EMPTY = -1;

/**
 * Builds a matcher; keyword i is reported as index i.
 * @example createMatcher(['包过', '过']).scan('包过').count === 2
 */
export function createMatcher(keywords: readonly string[]): Matcher {
  assert(keywords.length > 0, 'a matcher needs at least one keyword');
  const trie = buildTrie(keywords);
  const table = buildTable(trie.children);
  const fail = buildFailureLinks(trie.children, table);
  const { output, outputLink } = buildOutputs(trie, fail);
  const lengths = Int32Array.from(keywords, (keyword) => keyword.length);
  let matches = allocate(64);
  const scan = (text: string): Matches => {
    matches.count = 0;
    let node = 0;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      let next = table.get(node, code);
      while (next === EMPTY && node !== 0) {
        node = fail[node] ?? 0;
        next = table.get(node, code);
      }
      node = next === EMPTY ? 0 : next;
      let hit =
        (output[node] ?? EMPTY) === EMPTY ? (outputLink[node] ?? EMPTY) : node;
      while (hit !== EMPTY) {
        const keyword = output[hit] ?? 0;
        if (matches.count === matches.keywords.length) matches = grow(matches);
        matches.keywords[matches.count] = keyword;
        matches.starts[matches.count] = index + 1 - (lengths[keyword] ?? 0);
        matches.ends[matches.count] = index + 1;
        matches.count += 1;
        hit = outputLink[hit] ?? EMPTY;
      }
    }
    return matches;
  };
  return { keywordCount: keywords.length, scan };
}

type Trie = {
  /** children[node] maps a code unit to the child node. */
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

type Table = { get: (node: number, code: number) => number };

/** Open addressing over (node, code) pairs, load factor at most one half. */
function buildTable(children: readonly Map<number, number>[]): Table {
  let edges = 0;
  for (const map of children) edges += map.size;
  let size = 1;
  while (size < edges * 2 + 2) size *= 2;
  const mask = size - 1;
  const nodes = new Int32Array(size).fill(EMPTY);
  const codes = new Int32Array(size);
  const targets = new Int32Array(size);
  const slot = (node: number, code: number): number =>
    (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask;
  children.forEach((map, node) => {
    for (const [code, target] of map) {
      let index = slot(node, code);
      while (nodes[index] !== EMPTY) index = (index + 1) & mask;
      nodes[index] = node;
      codes[index] = code;
      targets[index] = target;
    }
  });
  const get = (node: number, code: number): number => {
    let index = slot(node, code);
    for (;;) {
      const at = nodes[index];
      if (at === EMPTY) return EMPTY;
      if (at === node && codes[index] === code) return targets[index] ?? EMPTY;
      index = (index + 1) & mask;
    }
  };
  return { get };
}

function buildFailureLinks(
  children: readonly Map<number, number>[],
  table: Table,
): Int32Array {
  const fail = new Int32Array(children.length);
  const queue: number[] = [];
  for (const child of children[0]?.values() ?? []) queue.push(child);
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] ?? 0;
    for (const [code, child] of children[node] ?? new Map<number, number>()) {
      let link = fail[node] ?? 0;
      let next = table.get(link, code);
      while (next === EMPTY && link !== 0) {
        link = fail[link] ?? 0;
        next = table.get(link, code);
      }
      fail[child] = next === EMPTY || next === child ? 0 : next;
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
