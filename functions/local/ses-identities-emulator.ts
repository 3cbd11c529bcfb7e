import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { dirname } from 'node:path';
import * as z from 'zod';

/**
 * The SES v2 identity API that aws-ses-v2-local lacks, as a small HTTP front on the SES port:
 * CreateEmailIdentity (`POST /v2/email/identities`), GetEmailIdentity and DeleteEmailIdentity
 * (`GET`/`DELETE /v2/email/identities/{id}`) and ListEmailIdentities (`POST /v2/email/list-identities`) answer in the REST-JSON shapes the AWS SDK's SESv2Client
 * sends and parses (errors carry `x-amzn-errortype`, as SES's do); every other request is
 * proxied to aws-ses-v2-local on its internal port, so SendEmail, GetAccount and the outbox
 * work unchanged.
 *
 * Verification is simulated, deterministically, from the domain's first label:
 * - `pending.…` never verifies (DKIM stays PENDING);
 * - `failed.…` becomes FAILED `verifyAfterMs` after it was created;
 * - any other domain becomes SUCCESS (verified for sending) `verifyAfterMs` after it was created.
 * DKIM tokens are derived from the domain, so a re-created identity shows the same records.
 * With a `dataFile` the identities survive restarts (npm start keeps it under `.local/`).
 */
export interface IdentitiesEmulatorOptions {
  port: number;
  host?: string;
  /** aws-ses-v2-local's own endpoint, which gets every other request. */
  upstream: string;
  /** How long after creation a domain verifies (or fails); 0 verifies at once. */
  verifyAfterMs: number;
  /** Where identities are kept between runs (JSON); in memory only when unset. */
  dataFile?: string | undefined;
  now?: () => number;
}

const storedSchema = z.object({
  name: z.string(),
  createdAt: z.number(),
  tags: z.array(z.object({ Key: z.string(), Value: z.string() })),
  configurationSetName: z.string().optional(),
});
type StoredIdentity = z.infer<typeof storedSchema>;
const fileSchema = z.object({ identities: z.array(storedSchema) });

const createSchema = z.object({
  EmailIdentity: z.string().min(1),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
  DkimSigningAttributes: z.object({ NextSigningKeyLength: z.string().optional() }).loose().optional(),
  ConfigurationSetName: z.string().optional(),
});

type DkimStatus = 'PENDING' | 'SUCCESS' | 'FAILED';

/** The simulated DKIM status of a domain `elapsedMs` after it was created (pure). */
export const simulatedDkimStatus = (domain: string, elapsedMs: number, verifyAfterMs: number): DkimStatus => {
  const first = domain.split('.')[0];
  if (first === 'pending' || elapsedMs < verifyAfterMs) return 'PENDING';
  return first === 'failed' ? 'FAILED' : 'SUCCESS';
};

/** Three 32-character tokens, as Easy DKIM gives, derived from the domain. */
export const simulatedDkimTokens = (domain: string): string[] =>
  [1, 2, 3].map((n) => createHash('sha256').update(`${domain}#${n}`).digest('hex').slice(0, 32));

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
};

const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': createHash('sha1').update(`${Date.now()}${Math.random()}`).digest('hex'),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
};

const fail = (res: ServerResponse, status: number, type: string, message: string) =>
  send(res, status, { message }, type);

export interface IdentitiesEmulator {
  endpoint: string;
  server: Server;
  stop(): Promise<void>;
}

export const startIdentitiesEmulator = async (
  options: IdentitiesEmulatorOptions,
): Promise<IdentitiesEmulator> => {
  const now = options.now ?? Date.now;
  const upstream = new URL(options.upstream);
  const identities = new Map<string, StoredIdentity>();
  if (options.dataFile && existsSync(options.dataFile)) {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(options.dataFile, 'utf8')));
    for (const identity of parsed.success ? parsed.data.identities : [])
      identities.set(identity.name, identity);
  }
  const persist = () => {
    if (!options.dataFile) return;
    mkdirSync(dirname(options.dataFile), { recursive: true });
    const temp = `${options.dataFile}.tmp`;
    writeFileSync(temp, JSON.stringify({ identities: [...identities.values()] }, null, 2));
    renameSync(temp, options.dataFile);
  };

  const describe = (identity: StoredIdentity) => {
    const status = simulatedDkimStatus(identity.name, now() - identity.createdAt, options.verifyAfterMs);
    return {
      IdentityType: 'DOMAIN',
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: status === 'SUCCESS',
      VerificationStatus: status,
      DkimAttributes: {
        SigningEnabled: true,
        Status: status,
        Tokens: simulatedDkimTokens(identity.name),
        SigningAttributesOrigin: 'AWS_SES',
        NextSigningKeyLength: 'RSA_2048_BIT',
        CurrentSigningKeyLength: 'RSA_2048_BIT',
      },
      Policies: {},
      Tags: identity.tags,
      ...(identity.configurationSetName ? { ConfigurationSetName: identity.configurationSetName } : {}),
    };
  };

  const create = async (req: IncomingMessage, res: ServerResponse) => {
    let raw: unknown;
    try {
      raw = JSON.parse((await readBody(req)) || '{}');
    } catch {
      return fail(res, 400, 'BadRequestException', 'the body is not JSON');
    }
    const input = createSchema.safeParse(raw);
    if (!input.success) return fail(res, 400, 'BadRequestException', 'EmailIdentity is required');
    const name = input.data.EmailIdentity.toLowerCase();
    if (!DOMAIN.test(name)) {
      return fail(res, 400, 'BadRequestException', 'the local emulator simulates domain identities only');
    }
    if (identities.has(name))
      return fail(res, 400, 'AlreadyExistsException', `Email identity ${name} already exist.`);
    const identity: StoredIdentity = {
      name,
      createdAt: now(),
      tags: input.data.Tags ?? [],
      ...(input.data.ConfigurationSetName ? { configurationSetName: input.data.ConfigurationSetName } : {}),
    };
    identities.set(name, identity);
    persist();
    const { IdentityType, VerifiedForSendingStatus, DkimAttributes } = describe(identity);
    return send(res, 200, { IdentityType, VerifiedForSendingStatus, DkimAttributes });
  };

  const list = (res: ServerResponse) =>
    send(res, 200, {
      EmailIdentities: [...identities.values()].map((identity) => {
        const { VerificationStatus, VerifiedForSendingStatus } = describe(identity);
        return {
          IdentityType: 'DOMAIN',
          IdentityName: identity.name,
          SendingEnabled: VerifiedForSendingStatus,
          VerificationStatus,
        };
      }),
    });

  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      if (!res.headersSent)
        fail(res, 502, 'InternalFailure', `the SES emulator is not answering: ${error.message}`);
      else res.destroy(error);
    });
    req.pipe(forward);
  };

  const one = (req: IncomingMessage, res: ServerResponse, rawName: string) => {
    const name = decodeURIComponent(rawName).toLowerCase();
    const identity = identities.get(name);
    if (!identity) return fail(res, 404, 'NotFoundException', `Email identity ${name} does not exist.`);
    if (req.method === 'GET') return send(res, 200, describe(identity));
    if (req.method === 'DELETE') {
      identities.delete(name);
      persist();
      return send(res, 200, {});
    }
    return fail(res, 400, 'BadRequestException', `${req.method} is not supported on an identity`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname.replace(/\/$/, '');
    if (path === '/v2/email/identities' && req.method === 'POST') return create(req, res);
    // ListEmailIdentities is a POST to its own path (SES v2's REST binding); GET answers the same.
    if (path === '/v2/email/list-identities' || (path === '/v2/email/identities' && req.method === 'GET')) {
      return list(res);
    }
    const match = /^\/v2\/email\/identities\/([^/]+)(\/.*)?$/.exec(path);
    if (!match?.[1]) return proxy(req, res);
    if (match[2]) {
      return fail(res, 400, 'BadRequestException', `${match[2]} of an identity is not emulated locally`);
    }
    return one(req, res, match[1]);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, 'InternalFailure', String(error));
    });
  });
  await new Promise<void>((ready, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => ready());
  });
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${options.port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
