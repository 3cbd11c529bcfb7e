import { type CompiledKit, compileKit } from './render';
import type { KitVersion } from './schema';

/**
 * Templates are compiled once per kit version and kept (a published version is immutable; a
 * replaced draft has another archive hash, so it gets its own entry). Bounded, least recently
 * used first out, so a long-lived process cannot grow without limit.
 */
export class CompileCache {
  private readonly entries = new Map<string, CompiledKit>();

  constructor(private readonly capacity = 200) {}

  get(kit: Pick<KitVersion, 'kitId' | 'semver' | 'archive' | 'manifest' | 'templates'>): CompiledKit {
    const key = `${kit.kitId}@${kit.semver}#${kit.archive.sha256}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const compiled = compileKit(kit.manifest, new Map(Object.entries(kit.templates)));
    this.entries.set(key, compiled);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }
}
