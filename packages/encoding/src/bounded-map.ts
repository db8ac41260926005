/**
 * Sets `key` in a map used as a bounded cache: when the map already holds `max` entries, the
 * oldest insertion goes first. (The memos of the codecs and of the node all keep their recent
 * values this way.)
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max && !map.has(key)) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
