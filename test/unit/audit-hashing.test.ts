import { describe, expect, it } from 'vitest';
import { type AuditDeps, appendAudit } from '#functions/audit/audit';
import {
  canonicalJson,
  contentHashOf,
  entryHashOf,
  GENESIS_HASH,
  type SealedFields,
  sha256Hex,
} from '#functions/audit/hashing';
import { auditEntriesOf, auditEntryKey, auditHeadKey, seqOfSortKey } from '#functions/audit/keys';
import type { StoredEntry, StoredHead } from '#functions/audit/schema';
import type { AuditStore } from '#functions/audit/store';
import { ConflictError, UnavailableError, ValidationError } from '#platform/errors';

const sealed: SealedFields = {
  chain: 'partner:acme',
  seq: 3,
  kind: 'claim-decision',
  subject: { partnerId: 'acme', claimId: '01JCLAIM' },
  contentHash: contentHashOf({ decision: 'approve', amountMinor: 125_000, currency: 'EUR' }),
  prevHash: 'a'.repeat(64),
  recordedAt: '2026-11-24T12:00:00.000Z',
  recordedBy: { role: 'auditor', sub: 'u-1', name: 'Ada Auditor' },
};

describe('canonical content hashing (RFC 8785)', () => {
  it('writes the JCS form: keys sorted by code unit, no whitespace, shortest numbers', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1e21, y: 0.5 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":0.5,"z":1e+21}}',
    );
  });

  it('gives the same hash whatever order the keys came in', () => {
    const one = { amountMinor: 125_000, currency: 'EUR', lines: [{ sku: 'a', qty: 1 }] };
    const two = { lines: [{ qty: 1, sku: 'a' }], currency: 'EUR', amountMinor: 125_000 };
    expect(contentHashOf(one)).toBe(contentHashOf(two));
    expect(contentHashOf(one)).toBe(
      sha256Hex('{"amountMinor":125000,"currency":"EUR","lines":[{"qty":1,"sku":"a"}]}'),
    );
  });

  it('changes the hash when any value changes, even by one unit or in array order', () => {
    const base = contentHashOf({ amountMinor: 125_000, currency: 'EUR', ids: ['a', 'b'] });
    expect(contentHashOf({ amountMinor: 125_001, currency: 'EUR', ids: ['a', 'b'] })).not.toBe(base);
    expect(contentHashOf({ amountMinor: 125_000, currency: 'USD', ids: ['a', 'b'] })).not.toBe(base);
    expect(contentHashOf({ amountMinor: 125_000, currency: 'EUR', ids: ['b', 'a'] })).not.toBe(base);
    expect(contentHashOf({ amountMinor: '125000', currency: 'EUR', ids: ['a', 'b'] })).not.toBe(base);
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(undefined)).toThrow();
  });
});

describe('entry hashes', () => {
  it('are the SHA-256 of the canonical sealed fields, in any key order', () => {
    const reordered: SealedFields = {
      recordedBy: { name: 'Ada Auditor', sub: 'u-1', role: 'auditor' },
      recordedAt: sealed.recordedAt,
      prevHash: sealed.prevHash,
      contentHash: sealed.contentHash,
      subject: { claimId: '01JCLAIM', partnerId: 'acme' },
      kind: sealed.kind,
      seq: 3,
      chain: sealed.chain,
    };
    expect(entryHashOf(reordered)).toBe(entryHashOf(sealed));
    expect(entryHashOf(sealed)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('change when any sealed field changes', () => {
    const base = entryHashOf(sealed);
    const variants: SealedFields[] = [
      { ...sealed, chain: 'partner:other' },
      { ...sealed, seq: 4 },
      { ...sealed, kind: 'request-decision' },
      { ...sealed, subject: { ...sealed.subject, claimId: '01JOTHER' } },
      { ...sealed, contentHash: 'b'.repeat(64) },
      { ...sealed, prevHash: GENESIS_HASH },
      { ...sealed, recordedAt: '2026-11-24T12:00:00.001Z' },
      { ...sealed, recordedBy: { ...sealed.recordedBy, sub: 'u-2' } },
    ];
    for (const variant of variants) expect(entryHashOf(variant)).not.toBe(base);
  });

  it('start from 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });
});

describe('audit keys', () => {
  it('are exactly these items', () => {
    expect(auditHeadKey('partner:acme')).toEqual({ pk: 'AUDIT#partner:acme', sk: 'HEAD' });
    expect(auditEntryKey('vendor', 42)).toEqual({ pk: 'AUDIT#vendor', sk: 'ENTRY#000000000042' });
    expect(auditEntriesOf('partner:acme')).toEqual({ partition: 'AUDIT#partner:acme', prefix: 'ENTRY#' });
    expect(seqOfSortKey('ENTRY#000000000042')).toBe(42);
    expect(seqOfSortKey('HEAD')).toBeNull();
  });
});

/** A store that fails the first `failures` appends with `error`, optionally after writing. */
const flakyStore = (failures: number, error: Error, landsAnyway = false) => {
  let head: StoredHead | undefined;
  const written: StoredEntry[] = [];
  let left = failures;
  const store: AuditStore = {
    head: async () => (head ? { ...head } : undefined),
    async append(entry, previous) {
      const land = () => {
        written.push(entry);
        head = {
          chain: entry.chain,
          seq: entry.seq,
          entryHash: entry.entryHash,
          version: (previous?.version ?? 0) + 1,
        };
      };
      if (left > 0) {
        left -= 1;
        if (landsAnyway) land();
        throw error;
      }
      land();
    },
    entries: async () => ({ items: [], nextCursor: null }),
    chains: async () => [],
  };
  return { store, written };
};

const input = {
  chain: 'partner:acme',
  kind: 'pop-evidence',
  subject: { claimId: '01JCLAIM' },
  content: { sent: 10 },
  recordedBy: { role: 'system', sub: 'pop-builder', name: 'POP builder' },
} as const;

const depsOf = (store: AuditStore): AuditDeps => ({
  audit: store,
  clock: () => new Date('2026-11-24T12:00:00Z'),
});

describe('appendAudit', () => {
  it('retries when another appender moved the head first', async () => {
    const { store, written } = flakyStore(3, new ConflictError('moved'));
    const entry = await appendAudit(depsOf(store), input);
    expect(entry.seq).toBe(1);
    expect(written).toHaveLength(1);
  });

  it('does not append twice when a write landed but its answer was lost', async () => {
    const { store, written } = flakyStore(1, new UnavailableError('timeout'), true);
    const entry = await appendAudit(depsOf(store), input);
    expect(written).toEqual([entry]);
  });

  it('refuses content that is not JSON and subjects that are not ids', async () => {
    const { store } = flakyStore(0, new Error('unused'));
    await expect(appendAudit(depsOf(store), { ...input, content: { n: Number.NaN } })).rejects.toThrow(
      ValidationError,
    );
    await expect(appendAudit(depsOf(store), { ...input, subject: { 'not an id': 'x' } })).rejects.toThrow(
      ValidationError,
    );
  });
});
