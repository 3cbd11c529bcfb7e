/**
 * The evidence store port: invoices, receipts and frozen POP packs. Write-once: a key is written
 * at most once (a second write of the same key is refused), nothing is ever overwritten or
 * deleted. In AWS it is its own bucket (KMS-encrypted, versioned, object lock, TLS only, no
 * public access; evidence-s3.ts); in the embedded runtime a folder under the data directory.
 * Keys are content-addressed by their callers where they can be (`…/<sha256>`), so the key itself
 * names the bytes an audit entry recorded.
 */
export interface EvidenceStore {
  /** Stores the bytes under a key not used before; 'exists' if the key already holds an object. */
  putOnce(key: string, bytes: Uint8Array, contentType: string): Promise<'stored' | 'exists'>;
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | undefined>;
}
