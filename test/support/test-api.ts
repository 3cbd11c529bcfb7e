import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { inject } from 'vitest';
import { type AppDeps, createApp } from '#functions/app';
import type { LeadEvent } from '#functions/leads/lead-events';
import { type DemoUser, demoPartners, demoUsers } from '#functions/local/demo-data';
import { createDevIssuer, type DevIssuer } from '#functions/local/dev-issuer';
import { freePort } from '#functions/local/free-port';
import { fsBlobStore } from '#functions/local/fs-blob-store';
import { fsEvidenceStore } from '#functions/local/fs-evidence-store';
import { partnerStore } from '#functions/partners/store';
import {
  accountListPortsFor,
  campaignPortsFor,
  countersFor,
  leadPortsFor,
  trackingFor,
} from '#functions/wiring';
import type { BlobStore } from '#platform/blobs';
import { createDocumentClient } from '#platform/dynamo';
import type { EvidenceStore } from '#platform/evidence';
import { newId } from '#platform/ids';
import { createJwtVerifier } from '#platform/jwt';
import { createLogger } from '#platform/logger';
import { sesIdentities } from '#platform/ses-identities';
import { createSesClient } from '#platform/ses-mailer';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { assertLocalEndpoint } from './local-only';

export interface TestApi {
  /** Messages the API put on the send and import queues (nothing consumes them here). */
  queued: object[];
  scheduled: { name: string; at: Date; payload: string }[];
  /** Lead events the API published (the lead-effects queue in AWS). */
  leadEvents: LeadEvent[];
  blobs: BlobStore;
  /** The write-once evidence folder (invoices, frozen POP packs) behind the API. */
  evidence: EvidenceStore;
  /** Where the evidence folder lives (tests tamper with it behind the API's back). */
  evidenceDir: string;
  /** The file holding the issuer's private key: another issuer built on it signs with the same key. */
  keyFile: string;
  baseUrl: string;
  app: ReturnType<typeof createApp>;
  table: Table;
  issuer: DevIssuer;
  /** A token for the first demo user of a role, or for a given demo user id. */
  token(who: DemoUser['role'] | DemoUser['id']): Promise<string>;
  request(path: string, init?: RequestInit & { as?: DemoUser['role'] | DemoUser['id'] }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The API as the Lambda builds it, on a fresh table in the shared DynamoDB Local, with the
 * dev issuer serving its JWKS over real HTTP on a free port (the same verifier path as AWS).
 */
export const startTestApi = async (
  options: {
    maxBodyBytes?: number;
    seed?: boolean;
    /** SES identities and the vendor domain; by default the shared SES emulator's identity front. */
    sendingDomains?: AppDeps['sendingDomains'];
  } = {},
): Promise<TestApi> => {
  const endpoint = assertLocalEndpoint(inject('dynamoEndpoint'));
  const doc = createDocumentClient({ region: 'us-east-1', endpoint });
  const tableName = `test-${randomUUID()}`;
  await ensureTable(doc, tableName);
  const table = new Table(doc, tableName);
  if (options.seed !== false) {
    const now = new Date().toISOString();
    for (const partner of demoPartners) {
      await partnerStore(table).create({ ...partner, createdAt: now, updatedAt: now, version: 1 });
    }
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const scratch = mkdtempSync(join(tmpdir(), 'ck-test-api-'));
  const keyFile = join(scratch, 'key.json');
  const blobs = fsBlobStore(join(scratch, 'blobs'));
  const evidence = fsEvidenceStore(join(scratch, 'evidence'));
  const issuer = await createDevIssuer({ baseUrl, users: demoUsers, partnerNames: new Map(), keyFile });
  const server = serve({ port, hostname: '127.0.0.1', fetch: issuer.routes.fetch });
  const counters = countersFor(table);
  const queued: object[] = [];
  const scheduled: { name: string; at: Date; payload: string }[] = [];
  const trackingSecret = randomBytes(32).toString('hex');
  const leadEvents: LeadEvent[] = [];
  const accountLists = accountListPortsFor({
    trackingSecret,
    enqueue: async (message) => void queued.push(message),
  });
  const app = createApp({
    table,
    verifyToken: createJwtVerifier({
      jwksUrl: `${baseUrl}/jwks.json`,
      issuer: issuer.issuer,
      audience: issuer.audience,
    }),
    logger: createLogger('channelkit-test', 'ERROR'),
    clock: () => new Date(),
    newId,
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
    version: 'test',
    blobs,
    evidence,
    publicBaseUrl: 'http://127.0.0.1:3000',
    vendor: { name: 'Vendor', website: 'https://vendor.example' },
    enqueueContactImport: async (message) => void queued.push(message),
    accountLists,
    leads: leadPortsFor({
      table,
      trackingSecret,
      accountKeys: accountLists.keys,
      publish: async (event) => void leadEvents.push(event),
    }),
    campaignPorts: campaignPortsFor({
      table,
      counters,
      scheduler: {
        schedule: async (name, at, payload) => void scheduled.push({ name, at, payload }),
        cancel: async () => false,
      },
      enqueueSend: async (message) => void queued.push(message),
    }),
    tracking: trackingFor({
      table,
      counters,
      trackingSecret,
      clock: () => new Date(),
    }),
    sendingDomains: options.sendingDomains ?? {
      identities: sesIdentities(
        createSesClient({ region: 'us-east-1', endpoint: assertLocalEndpoint(inject('sesEndpoint')) }),
      ),
      vendorDomain: 'mail.vendor.example',
    },
  });

  const token = async (who: DemoUser['role'] | DemoUser['id']) => {
    const user = demoUsers.find((u) => u.id === who) ?? demoUsers.find((u) => u.role === who);
    if (!user) throw new Error(`no demo user ${who}`);
    return issuer.sign(user);
  };

  return {
    queued,
    leadEvents,
    scheduled,
    blobs,
    evidence,
    evidenceDir: join(scratch, 'evidence'),
    keyFile,
    baseUrl,
    app,
    table,
    issuer,
    token,
    async request(path, init = {}) {
      const { as, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('authorization', `Bearer ${await token(as)}`);
      return app.request(path, { ...rest, headers });
    },
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      doc.destroy();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
};
