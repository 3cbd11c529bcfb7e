import { randomUUID } from 'node:crypto';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AuditDeps, appendAudit, listEntries, verifyChain } from '#functions/audit/audit';
import { contentHashOf, entryHashOf, GENESIS_HASH } from '#functions/audit/hashing';
import { auditEntryKey, auditHeadKey } from '#functions/audit/keys';
import type { Chain } from '#functions/audit/schema';
import { auditStore } from '#functions/audit/store';
import { createDocumentClient } from '#platform/dynamo';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { assertLocalEndpoint } from '#test/support/local-only';

const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
});
let table: Table;
let deps: AuditDeps;

beforeAll(async () => {
  const name = `audit-${randomUUID()}`;
  await ensureTable(doc, name);
  table = new Table(doc, name);
  deps = { audit: auditStore(table), clock: () => new Date() };
});
afterAll(() => doc.destroy());

const recordedBy = { role: 'auditor', sub: 'u-auditor-1', name: 'Ada Auditor' } as const;

/** A chain of `n` decisions on a fresh partner chain. */
const chainOf = async (n: number): Promise<Chain> => {
  const chain: Chain = `partner:p-${randomUUID().slice(0, 8)}`;
  for (let i = 1; i <= n; i += 1) {
    await appendAudit(deps, {
      chain,
      kind: 'claim-decision',
      subject: { claimId: `c-${i}` },
      content: { decision: 'approve', amountMinor: 1000 * i, currency: 'EUR' },
      recordedBy,
    });
  }
  return chain;
};

/** Edits a stored item behind the API's back, as someone with table access could. */
const edit = (key: { pk: string; sk: string }, field: string, value: unknown) =>
  doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: key,
      UpdateExpression: 'SET #f = :v',
      ExpressionAttributeNames: { '#f': field },
      ExpressionAttributeValues: { ':v': value },
    }),
  );
const remove = (key: { pk: string; sk: string }) =>
  doc.send(new DeleteCommand({ TableName: table.name, Key: key }));

describe('appending to the audit log', () => {
  it('links each entry to the one before, from 64 zeros, and the head names the last', async () => {
    const chain = await chainOf(3);
    const { items } = await listEntries(deps, chain, 10);
    expect(items.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(items[0]?.prevHash).toBe(GENESIS_HASH);
    expect(items[1]?.prevHash).toBe(items[0]?.entryHash);
    expect(items[2]?.prevHash).toBe(items[1]?.entryHash);
    expect(items[2]?.content).toEqual({ amountMinor: 3000, currency: 'EUR', decision: 'approve' });
    expect(await table.get(auditHeadKey(chain))).toMatchObject({ seq: 3, entryHash: items[2]?.entryHash });
    expect(await verifyChain(deps, chain)).toMatchObject({ ok: true, entries: 3, head: { seq: 3 } });
  });

  it('never forks: 50 entries from 5 concurrent appenders make one unbroken chain 1..50', async () => {
    const chain: Chain = `partner:race-${randomUUID().slice(0, 8)}`;
    const appender = async (who: number) => {
      for (let i = 0; i < 10; i += 1) {
        await appendAudit(deps, {
          chain,
          kind: 'pop-evidence',
          subject: { appender: String(who), item: String(i) },
          content: { who, i },
          recordedBy: { role: 'system', sub: `appender-${who}`, name: 'test' },
        });
      }
    };
    await Promise.all([1, 2, 3, 4, 5].map(appender));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listEntries(deps, chain, 20, cursor);
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const result = await verifyChain(deps, chain);
    expect(result).toMatchObject({ ok: true, entries: 50, head: { seq: 50 } });
    expect(result.firstBroken).toBeUndefined();
  }, 60_000);

  it('verification while appends land reports the chain intact, never a false break', async () => {
    const chain = await chainOf(1);
    const appends = (async () => {
      for (let i = 0; i < 15; i += 1) {
        await appendAudit(deps, {
          chain,
          kind: 'pop-evidence',
          subject: { item: String(i) },
          content: { i },
          recordedBy,
        });
      }
    })();
    const results = [];
    let done = false;
    void appends.then(() => {
      done = true;
    });
    while (!done) results.push(await verifyChain(deps, chain));
    await appends;
    results.push(await verifyChain(deps, chain));
    expect(results.length).toBeGreaterThan(1);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.at(-1)).toMatchObject({ ok: true, entries: 16 });
  }, 30_000);

  it('an empty chain verifies as ok with no head', async () => {
    expect(await verifyChain(deps, 'partner:nobody-here')).toMatchObject({
      ok: true,
      entries: 0,
      head: null,
    });
  });
});

describe('verification finds tampering behind the API’s back', () => {
  it('an edited content: content-hash at that entry', async () => {
    const chain = await chainOf(5);
    await edit(
      auditEntryKey(chain, 3),
      'content',
      '{"amountMinor":999999,"currency":"EUR","decision":"approve"}',
    );
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      entries: 2,
      firstBroken: { seq: 3, reason: 'content-hash' },
    });
  });

  it('an edited content with its content hash recomputed: entry-hash at that entry', async () => {
    const chain = await chainOf(4);
    const forged = { amountMinor: 1, currency: 'EUR', decision: 'reject' };
    await edit(auditEntryKey(chain, 2), 'content', JSON.stringify(forged));
    await edit(auditEntryKey(chain, 2), 'contentHash', contentHashOf(forged));
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'entry-hash' },
    });
  });

  it('an edited entry hash: entry-hash at that entry', async () => {
    const chain = await chainOf(4);
    await edit(auditEntryKey(chain, 2), 'entryHash', 'f'.repeat(64));
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'entry-hash' },
    });
  });

  it('an edited sealed field (who recorded it): entry-hash at that entry', async () => {
    const chain = await chainOf(3);
    await edit(auditEntryKey(chain, 1), 'recordedBy', {
      role: 'auditor',
      sub: 'someone-else',
      name: 'Mallory',
    });
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      firstBroken: { seq: 1, reason: 'entry-hash' },
    });
  });

  it('a re-pointed link: prev-link at that entry', async () => {
    const chain = await chainOf(4);
    await edit(auditEntryKey(chain, 4), 'prevHash', GENESIS_HASH);
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      firstBroken: { seq: 4, reason: 'prev-link' },
    });
  });

  it('a deleted middle entry: gap at its seq', async () => {
    const chain = await chainOf(5);
    await remove(auditEntryKey(chain, 3));
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      entries: 2,
      firstBroken: { seq: 3, reason: 'gap' },
    });
  });

  it('a deleted last entry (a truncated chain): caught through the head, gap at its seq', async () => {
    const chain = await chainOf(5);
    await remove(auditEntryKey(chain, 5));
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      entries: 4,
      head: { seq: 5 },
      firstBroken: { seq: 5, reason: 'gap' },
    });
  });

  it('a deleted head: reported as a head problem', async () => {
    const chain = await chainOf(2);
    await remove(auditHeadKey(chain));
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'head' },
    });
  });

  it('an entry written past the head (bypassing the transaction): head at that seq', async () => {
    const chain = await chainOf(2);
    const { items } = await listEntries(deps, chain, 10);
    const sealed = {
      chain,
      seq: 3,
      kind: 'claim-decision',
      subject: { claimId: 'forged' },
      contentHash: contentHashOf({ forged: true }),
      prevHash: String(items[1]?.entryHash),
      recordedAt: new Date().toISOString(),
      recordedBy,
    };
    await table.create({
      ...auditEntryKey(chain, 3),
      type: 'AuditEntry',
      version: 1,
      ...sealed,
      content: '{"forged":true}',
      entryHash: entryHashOf(sealed),
    });
    expect(await verifyChain(deps, chain)).toMatchObject({
      ok: false,
      entries: 2,
      firstBroken: { seq: 3, reason: 'head' },
    });
  });

  it('an untouched chain beside a tampered one still verifies', async () => {
    const intact = await chainOf(3);
    const tampered = await chainOf(3);
    await edit(auditEntryKey(tampered, 1), 'content', '{}');
    expect((await verifyChain(deps, intact)).ok).toBe(true);
    expect((await verifyChain(deps, tampered)).ok).toBe(false);
  });
});
