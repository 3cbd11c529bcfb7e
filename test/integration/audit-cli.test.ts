import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAudit } from '#functions/audit/audit';
import { auditEntryKey } from '#functions/audit/keys';
import { auditStore } from '#functions/audit/store';
import { startDynamoLocal } from '#functions/local/emulators';
import { freePort } from '#functions/local/free-port';
import { createDocumentClient } from '#platform/dynamo';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { assertLocalEndpoint } from '#test/support/local-only';

const run = promisify(execFile);
const endpoint = assertLocalEndpoint(inject('dynamoEndpoint'));
const doc = createDocumentClient({ region: 'us-east-1', endpoint });
const tableName = `audit-cli-${randomUUID()}`;

/** `npm run audit -- …` as an operator runs it: the CLI on this Node through tsx. */
const audit = async (args: string[], env: Record<string, string> = {}) => {
  const clean: Record<string, string | undefined> = {
    ...process.env,
    DYNAMODB_ENDPOINT: '',
    TABLE_NAME: '',
    ...env,
  };
  for (const [key, value] of Object.entries(clean)) if (value === '') delete clean[key];
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'functions/audit/cli/audit.ts', ...args],
      {
        env: clean,
      },
    );
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const fill = async (table: Table, chain: string, n: number) => {
  for (let i = 1; i <= n; i += 1) {
    await appendAudit(
      { audit: auditStore(table), clock: () => new Date() },
      {
        chain,
        kind: 'request-decision',
        subject: { requestId: `r-${i}` },
        content: { decision: 'approve', committedMinor: 100 * i, currency: 'GBP' },
        recordedBy: { role: 'marketing', sub: 'u-marketing-1', name: 'Mo Marketing' },
      },
    );
  }
};

beforeAll(async () => {
  await ensureTable(doc, tableName);
  const table = new Table(doc, tableName);
  await fill(table, 'partner:intact', 3);
  await fill(table, 'partner:tampered', 4);
  await fill(table, 'vendor', 1);
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: auditEntryKey('partner:tampered', 3),
      UpdateExpression: 'SET content = :c',
      ExpressionAttributeValues: { ':c': '{"committedMinor":1,"currency":"GBP","decision":"approve"}' },
    }),
  );
});
afterAll(() => doc.destroy());

describe('npm run audit -- verify', () => {
  it('checks every chain by default, prints OK or the first broken link, and exits 1', async () => {
    const out = await audit(['verify', '--endpoint', endpoint, '--table', tableName]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('3 chain(s)');
    expect(out.stdout).toMatch(/^OK {6}partner:intact {2}3 entries/m);
    expect(out.stdout).toMatch(/^OK {6}vendor {2}1 entries/m);
    expect(out.stdout).toMatch(/^BROKEN {2}partner:tampered {2}entry 3: content-hash/m);
  });

  it('exits 0 when the chains asked for are intact; reads DYNAMODB_ENDPOINT and TABLE_NAME', async () => {
    const out = await audit(['verify', '--chain', 'partner:intact', 'vendor'], {
      DYNAMODB_ENDPOINT: endpoint,
      TABLE_NAME: tableName,
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('2 chain(s)');
    expect(out.stdout).not.toContain('BROKEN');
  });

  it('prints JSON on request', async () => {
    const out = await audit([
      'verify',
      '--chain',
      'partner:tampered',
      '--json',
      '--endpoint',
      endpoint,
      '--table',
      tableName,
    ]);
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject([
      { chain: 'partner:tampered', ok: false, firstBroken: { seq: 3, reason: 'content-hash' } },
    ]);
  });

  it('refuses a malformed chain name with exit 2', async () => {
    const out = await audit(['verify', '--chain', 'PARTNER#x', '--endpoint', endpoint, '--table', tableName]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('must be `vendor` or `partner:<partnerId>`');
  });

  it('by default verifies a copy of the embedded runtime’s data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ck-audit-data-'));
    const dbPath = join(dataDir, 'dynamodb');
    mkdirSync(dbPath);
    const own = await startDynamoLocal({ port: await freePort(), dbPath });
    const ownDoc = createDocumentClient({ region: 'us-east-1', endpoint: own.endpoint });
    try {
      await ensureTable(ownDoc, 'channelkit');
      await fill(new Table(ownDoc, 'channelkit'), 'partner:northwind', 2);
    } finally {
      ownDoc.destroy();
      await own.stop();
    }
    try {
      const out = await audit(['verify'], { CHANNELKIT_DATA_DIR: dataDir });
      expect(out.stdout).toContain(`a copy of ${dbPath}`);
      expect(out.stdout).toMatch(/^OK {6}partner:northwind {2}2 entries/m);
      expect(out.code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
