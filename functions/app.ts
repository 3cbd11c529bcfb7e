import type { Logger } from '@aws-lambda-powertools/logger';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { auditRoutes } from '#functions/audit/routes';
import { auditStore } from '#functions/audit/store';
import type { Role } from '#functions/auth/principal';
import { brandRoutes, LOGO_UPLOAD_BYTES } from '#functions/brand/routes';
import { brandStore } from '#functions/brand/store';
import type { CampaignPorts } from '#functions/campaigns/deps';
import { campaignRoutes } from '#functions/campaigns/routes';
import { campaignStore } from '#functions/campaigns/store';
import { CONTACT_IMPORT_BYTES, contactRoutes } from '#functions/contacts/routes';
import type { ImportMessage } from '#functions/contacts/schema';
import { authenticate } from '#functions/http/auth';
import { problemResponse } from '#functions/http/problem';
import { requestContext } from '#functions/http/request-context';
import { createRouter } from '#functions/http/router';
import { CompileCache } from '#functions/kits/compile-cache';
import { KIT_UPLOAD_BYTES, kitRoutes } from '#functions/kits/routes';
import { kitStore } from '#functions/kits/store';
import { landingRoutes } from '#functions/landing/routes';
import type { AccountKeys } from '#functions/leads/account-keys';
import type { AccountListMessage } from '#functions/leads/account-list-schema';
import type { MatchedLeadCounts } from '#functions/leads/account-list-uploads';
import { accountListRoutes, accountListUploadLimits } from '#functions/leads/account-routes';
import { accountListStore } from '#functions/leads/account-store';
import {
  type LeadEffectsApiDeps,
  unconfiguredLeadEffects,
  webhookRoutes,
} from '#functions/leads/effects/webhook-routes';
import { funnelRoutes } from '#functions/leads/funnel-routes';
import { leadRoutes } from '#functions/leads/lead-routes';
import { leadStore } from '#functions/leads/lead-store';
import { currentRules } from '#functions/leads/leads';
import type { LeadPorts } from '#functions/leads/ports';
import { tableSubmissionLimiter } from '#functions/leads/submission-limits';
import { mdfAuditLog } from '#functions/mdf/audit-log';
import { claimRoutes, invoiceUploadLimits } from '#functions/mdf/claim-routes';
import { claimDepsFor } from '#functions/mdf/claim-wiring';
import { popPackSchema } from '#functions/mdf/pop/index';
import { mdfRoutes } from '#functions/mdf/routes';
import { mdfStore } from '#functions/mdf/store';
import { capabilitiesFrom } from '#functions/meta/capabilities';
import { meRoutes } from '#functions/meta/routes';
import { partnerRoutes } from '#functions/partners/routes';
import { partnerStore } from '#functions/partners/store';
import { aggregateReader } from '#functions/reports/aggregates';
import { ropiRoutes } from '#functions/reports/ropi-routes';
import { sendingDomainRoutes } from '#functions/sending-domains/routes';
import type { SendingDomainDeps } from '#functions/sending-domains/sending-domains';
import { sendingDomainStore } from '#functions/sending-domains/store';
import { type TrackingDeps, trackingRoutes } from '#functions/tracking/routes';
import type { BlobStore } from '#platform/blobs';
import { NotFoundError, PayloadTooLargeError } from '#platform/errors';
import type { EvidenceStore } from '#platform/evidence';
import type { VerifyToken } from '#platform/jwt';
import type { Table } from '#platform/table';

/** Everything the API needs from outside, injected: the Lambda entry and the embedded runtime build it. */
export interface AppDeps {
  table: Table;
  verifyToken: VerifyToken;
  logger: Logger;
  clock: () => Date;
  newId: () => string;
  maxBodyBytes: number;
  version: string;
  blobs: BlobStore;
  /** Write-once evidence: MDF invoices and frozen POP packs (its own locked bucket in AWS). */
  evidence: EvidenceStore;
  /** The public origin (CloudFront in AWS): kit asset URLs, landing pages and links use it. */
  publicBaseUrl: string;
  vendor: { name: string; website: string };
  /** Hands a contacts import to the import worker (SQS in AWS, the in-process queue locally). */
  enqueueContactImport: (message: ImportMessage) => Promise<void>;
  /** What campaigns take from contacts, the send queue, the scheduler and the counters. */
  campaignPorts: CampaignPorts;
  /** The public tracking and unsubscribe routes' collaborators (no mailer). */
  tracking: TrackingDeps;
  /** Lead capture's collaborators beyond the table: events, keys, lists (wiring.ts leadPortsFor). */
  leads: LeadPorts;
  /** Partner sending domains: SES identities, and the vendor's own domain (never a partner's). */
  sendingDomains: Pick<SendingDomainDeps, 'identities' | 'vendorDomain' | 'cadence'>;
  /** Account lists: the keys that hash them, the import queue that writes them, lead counts if any. */
  accountLists: {
    keys: AccountKeys;
    enqueue: (message: AccountListMessage) => Promise<void>;
    leadCounts?: MatchedLeadCounts;
  };
  /**
   * The lead-effects queue, the webhook secret box and the URL policy (CRM webhooks). Without it
   * webhooks can still be configured, and sending a test answers 503.
   */
  leadEffects?: LeadEffectsApiDeps;
}

/** Routes that take more than the default body limit. */
const bodyLimits: Record<string, number> = {
  'POST /api/kits': KIT_UPLOAD_BYTES,
  'POST /api/brand/logo': LOGO_UPLOAD_BYTES,
  'POST /api/contacts/imports': CONTACT_IMPORT_BYTES,
  ...accountListUploadLimits,
  ...invoiceUploadLimits,
};

export const createApp = (deps: AppDeps) => {
  const partners = partnerStore(deps.table);
  const brands = brandStore(deps.table);
  const campaigns = campaignStore(deps.table);
  const kitDeps = {
    kits: kitStore(deps.table),
    blobs: deps.blobs,
    partners,
    brands,
    compiled: new CompileCache(),
    clock: deps.clock,
    publicBaseUrl: deps.publicBaseUrl,
    vendor: deps.vendor,
  };
  const leads = leadStore(deps.table);
  const leadLogger = {
    warn: (message: string, extra?: Record<string, unknown>) => deps.logger.warn(message, { ...extra }),
  };
  /** Marketing's rules, re-read at most every 30 s: a burst of form posts reads them once. */
  let rulesCache: { at: number; rules: ReturnType<typeof currentRules> } | undefined;
  const leadRules = () => {
    const now = Date.now();
    if (!rulesCache || now - rulesCache.at > 30_000) {
      const rules = currentRules({ leads });
      // A failed read is not kept: the next submission reads again.
      rules.catch(() => {
        rulesCache = undefined;
      });
      rulesCache = { at: now, rules };
    }
    return rulesCache.rules;
  };
  const app = createRouter();
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) => problemResponse(c, new NotFoundError(`no route for ${c.req.method} ${c.req.path}`)));
  app.use('*', requestContext(deps.logger, deps.newId));
  app.use('*', secureHeaders());
  app.use('*', (c, next) => {
    const maxSize = bodyLimits[`${c.req.method} ${c.req.path}`] ?? deps.maxBodyBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLargeError(`the body exceeds ${maxSize} bytes`);
      },
    })(c, next);
  });
  app.use('/api/*', authenticate(deps.verifyToken));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito ID token (in AWS) or a dev-issuer token (npm start)',
  });

  let capabilityList: ReturnType<typeof capabilitiesFrom> | undefined;
  const capabilities = (role: Role) => {
    capabilityList ??= capabilitiesFrom(openApiDocument().paths ?? {});
    return capabilityList.filter((cap) => cap.roles.includes(role));
  };

  const api = app
    .get('/health', (c) => c.json({ status: 'ok', version: deps.version, time: deps.clock().toISOString() }))
    .route('/api', partnerRoutes({ partners, clock: deps.clock, newId: deps.newId }))
    .route(
      '/api',
      brandRoutes({ brands, clock: deps.clock, blobs: deps.blobs, publicBaseUrl: deps.publicBaseUrl }),
    )
    .route('/api', kitRoutes(kitDeps))
    .route(
      '/api',
      sendingDomainRoutes({
        store: sendingDomainStore(deps.table),
        ...deps.sendingDomains,
        clock: deps.clock,
      }),
    )
    .route(
      '/api',
      contactRoutes({
        table: deps.table,
        blobs: deps.blobs,
        enqueue: deps.enqueueContactImport,
        clock: deps.clock,
        newId: deps.newId,
      }),
    )
    .route(
      '/api',
      campaignRoutes({
        store: campaigns,
        kits: kitDeps,
        ...deps.campaignPorts,
        clock: deps.clock,
        newId: deps.newId,
      }),
    )
    .route(
      '/',
      trackingRoutes({ ...deps.tracking, landingPrefix: `${deps.publicBaseUrl.replace(/\/$/, '')}/p/` }),
    )
    .route(
      '/api',
      accountListRoutes({
        store: accountListStore(deps.table),
        blobs: deps.blobs,
        // Leads and EQLs on each partner's lists, counted as leads are captured.
        leadCounts: (partnerId) => leads.overlapCounts(partnerId),
        ...deps.accountLists,
        clock: deps.clock,
        newId: deps.newId,
      }),
    )
    .route(
      '/',
      landingRoutes({
        store: campaigns,
        kits: kitDeps,
        capture: {
          ...deps.leads,
          leads,
          tokens: deps.tracking.tokens,
          records: deps.tracking.records,
          rules: leadRules,
          limiter: tableSubmissionLimiter(deps.clock),
          clock: deps.clock,
          newId: deps.newId,
          logger: leadLogger,
        },
      }),
    )
    .route(
      '/api',
      leadRoutes({
        // Rules saved through this instance apply to its next submission; other instances within 30 s.
        leads: {
          ...leads,
          saveRules: async (config, storedVersion) => {
            await leads.saveRules(config, storedVersion);
            rulesCache = undefined;
          },
        },
        publish: deps.leads.publish,
        clock: deps.clock,
        logger: leadLogger,
      }),
    )
    .route('/api', funnelRoutes({ leads, partners, campaigns, clock: deps.clock }))
    .route(
      '/api',
      ropiRoutes({ aggregates: aggregateReader(deps.table), partners, campaigns, clock: deps.clock }),
    )
    .route(
      '/api',
      webhookRoutes({
        table: deps.table,
        effects: deps.leadEffects ?? unconfiguredLeadEffects(),
        clock: deps.clock,
        newId: deps.newId,
      }),
    )
    .route('/api', auditRoutes({ audit: auditStore(deps.table), clock: deps.clock }))
    .route(
      '/api',
      mdfRoutes({
        store: mdfStore(deps.table),
        partners,
        campaigns,
        recordAudit: mdfAuditLog(deps.table, deps.clock, deps.logger),
        clock: deps.clock,
        newId: deps.newId,
      }),
    )
    .route(
      '/api',
      claimRoutes(
        claimDepsFor({
          table: deps.table,
          logger: deps.logger,
          evidence: deps.evidence,
          kits: kitDeps,
          campaigns,
          clock: deps.clock,
          newId: deps.newId,
        }),
        popPackSchema,
      ),
    )
    .route('/api', meRoutes({ partners, capabilities }));

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'ChannelKit API',
      version: deps.version,
      description:
        'Campaign kits, co-branded partner sends, leads and MDF. Errors are RFC 9457 problem+json; `x-roles` names who may call each operation.',
    },
  };
  const openApiDocument = () => app.getOpenAPI31Document(documentConfig);
  app.doc31('/openapi.json', documentConfig);
  // The reference UI's script comes from our own origin (web/dist/vendor), with no fonts or
  // telemetry from Scalar's servers, so /docs works offline and tells no one it was opened.
  app.get(
    '/docs',
    Scalar({
      url: '/openapi.json',
      cdn: '/vendor/scalar-api-reference.js',
      pageTitle: 'ChannelKit API',
      withDefaultFonts: false,
      telemetry: false,
    }),
  );
  return api;
};

export type AppType = ReturnType<typeof createApp>;
