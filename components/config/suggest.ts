/** "Did you mean": the nearest known key or value to a misspelt one. */
import { CONFIG_SCHEMA, PROJECT_NAME } from "./schema";

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The nearest of `candidates` to `word` by edit distance, when near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const best = candidates.map((k) => ({ k, d: levenshtein(word.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? best.k : undefined;
}

/** The message of an unknown project key: the nearest known key, and every key. */
export function suggestKey(key: string): string {
  const keys = Object.keys(CONFIG_SCHEMA);
  const best = closest(key, keys);
  const hint = best ? ` Did you mean "${best}"?` : "";
  return `unknown key of the ${PROJECT_NAME} namespace.${hint} Known keys: ${keys.join(", ")}`;
}
