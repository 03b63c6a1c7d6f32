import * as OpenCC from 'opencc-js';

// The single-character traditional → simplified map, computed from opencc-js:
// every character of the CJK blocks that the presets t, tw, hk and jp convert
// to a different single simplified character. Written to disk by
// build-char-map.ts; the loader reads the file (no opencc at start-up).

const PRESETS = ['t', 'tw', 'hk', 'jp'] as const;

/** The map as opencc-js computes it today (used by the staleness test). */
export function computeCharMap(): Record<string, string> {
  const chars: string[] = [];
  for (let code = 0x3400; code <= 0x9fff; code += 1) {
    chars.push(String.fromCharCode(code));
  }
  const joined = chars.join('\n');
  const map: Record<string, string> = {};
  for (const from of PRESETS) {
    const converted: string[] = OpenCC.Converter({ from, to: 'cn' })(
      joined,
    ).split('\n');
    converted.forEach((to: string, index: number) => {
      const source = chars[index];
      if (source === undefined || to.length !== 1 || to === source) return;
      if (map[source] === undefined) map[source] = to;
    });
  }
  return map;
}
