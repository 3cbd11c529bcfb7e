import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createApp } from '#functions/app';
import { brandStore } from '#functions/brand/store';
import { isApiPath, isPublicBlobPath } from '#functions/http/paths';
import { CompileCache } from '#functions/kits/compile-cache';
import { kitStore } from '#functions/kits/store';
import { MAX_ATTEMPTS } from '#functions/leads/effects/backoff';
import { leadEffectsSettings } from '#functions/leads/effects/config';
import { leadEventPublisher } from '#functions/leads/effects/publish';
import { webhookSecretBox } from '#functions/leads/effects/secret-box';
import { partnerStore } from '#functions/partners/store';
import { parseSendingConfig } from '#functions/sending/config';
import { withSimulatedEvents } from '#functions/sending/simulated-events';
import {
  accountListPortsFor,
  campaignPortsFor,
  countersFor,
  importConsumer,
  leadEffectsConsumer,
  leadPortsFor,
  portLogger,
  sendQueueConsumer,
  trackingFor,
} from '#functions/wiring';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { createJwtVerifier } from '#platform/jwt';
import { createLogger } from '#platform/logger';
import { sesIdentities } from '#platform/ses-identities';
import { createSesClient, sesMailer } from '#platform/ses-mailer';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { demoPartners, demoUsers } from './demo-data';
import { createDevIssuer, type DevIssuer } from './dev-issuer';
import { type Emulator, startDynamoLocal, startSesLocal } from './emulators';
import { freePort } from './free-port';
import { fsBlobStore } from './fs-blob-store';
import { fsEvidenceStore } from './fs-evidence-store';
import { InProcessQueue } from './in-process-queue';
import { InProcessScheduler } from './in-process-scheduler';
import { loadOrCreateSecret } from './local-secret';
import { seed } from './seed';
import { seedBrands } from './seed-brands';
import { seedKits } from './seed-kits';

export const TABLE_NAME = 'channelkit';
/** The vendor's sending domain locally (a placeholder, as in the dev stage). */
const SENDER_DOMAIN = 'mail.vendor.example';
const WEB_DIST = resolve(import.meta.dirname, '..', '..', 'web', 'dist');

export interface RuntimeOptions {
  port: number;
  /** Where DynamoDB Local keeps its file and the dev issuer its key; kept between runs. */
  dataDir: string;
  /** Wipe dataDir first. */
  fresh?: boolean;
  /** Only warnings and errors in the request log (tests). */
  quiet?: boolean;
  /**
   * Lets CRM webhooks point at this machine (http or https to 127.0.0.1, ::1, localhost) to try
   * them against a local receiver. Never possible in AWS. Default: CHANNELKIT_WEBHOOKS_ALLOW_LOOPBACK=true.
   */
  allowLoopbackWebhooks?: boolean;
}

export interface Runtime {
  url: string;
  outboxUrl: string;
  docsUrl: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  /** Child process ids the runtime owns (DynamoDB Local and its watchdog). */
  pids: number[];
  issuer: DevIssuer;
  /** Sample kits published at start-up (`id@version`), and those already there. */
  seeded: { published: string[]; existing: string[] };
  table: Table;
  scheduler: InProcessScheduler;
  stop(): Promise<void>;
}

const webRoutes = () => {
  const root = relative(process.cwd(), WEB_DIST) || '.';
  return new Hono()
    .use('*', serveStatic({ root }))
    .get('*', serveStatic({ root, path: 'index.html' }))
    .all('*', (c) =>
      existsSync(join(WEB_DIST, 'index.html'))
        ? c.text('Not found', 404)
        : c.text('The portal is not built: run `npm run build:web` (npm start does it for you).', 503),
    );
};

/**
 * The whole platform on this machine: DynamoDB Local and the SES v2 emulator, the table and
 * GSIs from the same definition as the CDK stack, the dev issuer, the API and the portal on
 * one port, the in-process scheduler; seeded with demo partners and users.
 */
export const startRuntime = async (options: RuntimeOptions): Promise<Runtime> => {
  if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
  const dbPath = join(options.dataDir, 'dynamodb');
  mkdirSync(dbPath, { recursive: true });

  const started: Emulator[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.splice(0).map((emulator) => emulator.stop()));
  };
  try {
    const [dynamoPort, sesPort] = [await freePort(), await freePort()];
    const track = (emulator: Emulator) => {
      started.push(emulator);
      return emulator;
    };
    const [dynamo, ses] = await Promise.all([
      startDynamoLocal({ port: dynamoPort, dbPath }).then(track),
      startSesLocal({
        port: sesPort,
        identities: { dataFile: join(options.dataDir, 'ses-identities.json') },
      }).then(track),
    ]);

    const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    await ensureTable(doc, TABLE_NAME);
    const table = new Table(doc, TABLE_NAME);
    const clock = () => new Date();
    const partners = partnerStore(table);
    await seed({ partners, clock });

    const url = `http://localhost:${options.port}`;
    const blobs = fsBlobStore(join(options.dataDir, 'blobs'));
    const vendor = { name: 'Vendor', website: 'https://vendor.example' };
    const brands = brandStore(table);
    await seedBrands({ brands, blobs, publicBaseUrl: url, clock });
    const kits = await seedKits({
      kits: kitStore(table),
      blobs,
      partners,
      brands,
      compiled: new CompileCache(),
      clock,
      publicBaseUrl: url,
      vendor,
    });
    const issuer = await createDevIssuer({
      baseUrl: url,
      users: demoUsers,
      partnerNames: new Map(demoPartners.map((p) => [p.id, p.name])),
      keyFile: join(options.dataDir, 'dev-issuer-key.json'),
    });
    const logger = createLogger('channelkit-local', options.quiet ? 'WARN' : 'INFO');
    const trackingSecret = loadOrCreateSecret(join(options.dataDir, 'tracking-secret'));
    const counters = countersFor(table);
    // The queues and scheduler stand in for SQS and EventBridge Scheduler, calling the same
    // consumers the Lambdas run. A schedule puts its payload on the send queue, as in AWS.
    let sendQueue: InProcessQueue | undefined;
    let importQueue: InProcessQueue | undefined;
    const enqueueSend = async (message: object) => void sendQueue?.send(JSON.stringify(message));
    const scheduler = new InProcessScheduler(async (payload) => void sendQueue?.send(payload));
    const campaignPorts = campaignPortsFor({
      table,
      counters,
      scheduler: {
        schedule: async (name, at, payload) => scheduler.schedule(name, at, payload),
        cancel: async (name) => scheduler.cancel(name),
      },
      enqueueSend,
    });
    // Mail goes to the SES emulator; the SES events AWS would publish (per the mailbox
    // simulator's addresses) go straight to the same consumer the EventBridge rule targets.
    let publishEvent: (detail: unknown) => Promise<void> = async () => {};
    const mailer = withSimulatedEvents(
      sesMailer(createSesClient({ region: 'us-east-1', endpoint: ses.endpoint })),
      (detail) => publishEvent(detail),
      clock,
      (error) => logger.error('simulated SES event failed', { error: String(error) }),
    );
    const sending = sendQueueConsumer({
      table,
      counters,
      mailer,
      config: parseSendingConfig(
        {
          SENDER_DOMAIN,
          PUBLIC_BASE_URL: url,
          VENDOR_NAME: vendor.name,
          VENDOR_WEBSITE: vendor.website,
        },
        trackingSecret,
      ),
      ports: campaignPorts,
      clock,
      logger,
    });
    publishEvent = async (detail) => {
      await sending.engine.eventHandler({ detail });
    };
    sendQueue = new InProcessQueue({
      name: 'send',
      handler: sending.handler,
      batchSize: 1,
      retryDelayMs: 2000,
    });
    const enqueueContactImport = async (message: object) => void importQueue?.send(JSON.stringify(message));
    importQueue = new InProcessQueue({
      name: 'import',
      batchSize: 1,
      handler: importConsumer({ table, blobs, enqueue: enqueueContactImport, clock, newId }, 60_000),
    });
    // Lead events and webhook deliveries: EQL notifications to the SES emulator, webhooks over
    // HTTP. Retries come after the queue's fixed delay here (SQS backs off per message in AWS).
    let leadEffectsQueue: InProcessQueue | undefined;
    const enqueueLeadEffect = async (message: object) => void leadEffectsQueue?.send(JSON.stringify(message));
    const urlPolicy = {
      allowLoopbackHttp:
        options.allowLoopbackWebhooks ?? process.env.CHANNELKIT_WEBHOOKS_ALLOW_LOOPBACK === 'true',
    };
    leadEffectsQueue = new InProcessQueue({
      name: 'lead-effects',
      batchSize: 5,
      maxReceiveCount: MAX_ATTEMPTS,
      retryDelayMs: 5000,
      handler: leadEffectsConsumer({
        table,
        mailer,
        trackingSecret,
        enqueue: enqueueLeadEffect,
        deferRetry: async () => {},
        settings: {
          ...leadEffectsSettings({
            SENDER_DOMAIN,
            NOTIFICATION_LOCAL_PART: 'notifications',
            SES_CONFIGURATION_SET: undefined,
            PUBLIC_BASE_URL: url,
            VENDOR_NAME: vendor.name,
            WEBHOOK_TIMEOUT_MS: 10_000,
          }),
          urlPolicy,
        },
        clock,
        logger,
      }),
    });

    const accountLists = accountListPortsFor({ trackingSecret, enqueue: enqueueContactImport });
    const app = createApp({
      enqueueContactImport,
      accountLists,
      leads: leadPortsFor({
        table,
        trackingSecret,
        accountKeys: accountLists.keys,
        publish: leadEventPublisher({ enqueue: enqueueLeadEffect, logger: portLogger(logger) }),
      }),
      campaignPorts,
      tracking: trackingFor({ table, counters, trackingSecret, clock }),
      leadEffects: { enqueue: enqueueLeadEffect, secrets: webhookSecretBox(trackingSecret), urlPolicy },
      table,
      verifyToken: createJwtVerifier({
        jwksUrl: `http://127.0.0.1:${options.port}/dev/jwks.json`,
        issuer: issuer.issuer,
        audience: issuer.audience,
      }),
      logger,
      clock,
      newId,
      maxBodyBytes: 256 * 1024,
      version: 'local',
      blobs,
      evidence: fsEvidenceStore(join(options.dataDir, 'evidence')),
      publicBaseUrl: url,
      vendor,
      sendingDomains: {
        identities: sesIdentities(createSesClient({ region: 'us-east-1', endpoint: ses.endpoint })),
        vendorDomain: SENDER_DOMAIN,
      },
    });
    // Kit and brand images, as CloudFront serves them from the blob bucket in AWS.
    const assets = new Hono().get('/assets/*', async (c) => {
      const blob = await blobs.get(decodeURIComponent(c.req.path.slice(1)));
      if (!blob) return c.text('Not found', 404);
      return c.body(new Uint8Array(blob.bytes), 200, {
        'content-type': blob.contentType,
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
    });
    const dev = new Hono()
      .route('/dev', issuer.routes)
      .get('/config.json', (c) => c.json({ auth: { mode: 'dev' } }));
    const web = webRoutes();

    const server = serve({
      port: options.port,
      hostname: '127.0.0.1',
      fetch: (request) => {
        const path = new URL(request.url).pathname;
        if (path.startsWith('/dev/') || path === '/config.json') return dev.fetch(request);
        if (isPublicBlobPath(path)) return assets.fetch(request);
        if (isApiPath(path)) return app.fetch(request);
        return web.fetch(request);
      },
    });
    await new Promise<void>((ready, fail) => {
      server.once('listening', ready);
      server.once('error', fail);
    }).catch(async (error: unknown) => {
      await stopAll();
      throw error;
    });

    return {
      url,
      outboxUrl: ses.endpoint,
      docsUrl: `${url}/docs`,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      pids: dynamo.pids,
      issuer,
      seeded: kits,
      table,
      scheduler,
      async stop() {
        scheduler.stop();
        sendQueue?.stop();
        importQueue?.stop();
        leadEffectsQueue?.stop();
        await new Promise<void>((done) => {
          if ('closeAllConnections' in server) server.closeAllConnections();
          server.close(() => done());
        });
        doc.destroy();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
