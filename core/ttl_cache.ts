/**
 * Owns a bounded map whose entries are trusted for a fixed time: the short-lived caches of hot
 * reads (active API keys, session defaults) that changes through this process forget at once and
 * other processes see within the TTL. Entries are timed by wall time, so the TTL bounds staleness
 * in real seconds whatever clock a caller's logic runs on.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries: number) {}

  /** The value remembered under `key`, if it is still fresh. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Remembers `value`; past the bound, the oldest entry goes first. */
  set(key: K, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }

  /** Forgets every entry `matches` accepts. */
  forget(matches: (key: K, value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(key, entry.value)) this.entries.delete(key);
  }
}
