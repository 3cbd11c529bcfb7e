import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogo } from '#functions/brand/brand';
import { type BrandStore, brandStore } from '#functions/brand/store';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * Logo upload against DynamoDB Local and the blob store, through the API as the Lambda
 * builds it: content checks, content-addressed storage on the public origin, tenancy, and
 * the profile's optimistic concurrency.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const PUBLIC = 'http://127.0.0.1:3000';

const logo = (colour: string, width = 480, height = 160) =>
  sharp({ create: { width, height, channels: 4, background: colour } })
    .png()
    .toBuffer();

const profile = (companyName: string) => ({
  companyName,
  logoUrl: null as string | null,
  primaryColour: '#116149',
  secondaryColour: '#b23a1c',
  website: 'https://example.com',
  phone: '+44 20 7946 0321',
  senderName: `${companyName} team`,
  replyTo: 'team@example.com',
  postalAddress: [companyName, '27 Clerkenwell Road', 'London EC1M 5RN'],
});

const upload = (as: string, bytes: Uint8Array, type = 'image/png') =>
  api.request('/api/brand/logo', {
    as,
    method: 'POST',
    headers: { 'content-type': type },
    body: new Uint8Array(bytes),
  });

const put = (as: string, body: unknown, ifMatch?: string) =>
  api.request('/api/brand', {
    as,
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    body: JSON.stringify(body),
  });

const brandOf = async (as: string) => {
  const res = await api.request('/api/brand', { as });
  expect(res.status).toBe(200);
  return { etag: res.headers.get('etag') ?? '', brand: await res.json() };
};

/** The stored blob a public logo URL names (what CloudFront or the runtime serves at that path). */
const blobAt = (url: string) => api.blobs.get(decodeURIComponent(new URL(url).pathname.slice(1)));

describe('uploading a logo', () => {
  it('stores it before there is a profile, for the profile created next', async () => {
    const bytes = await logo('#116149');
    const res = await upload('u-globex-1', bytes);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      logoUrl: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:3000\/assets\/brands\/globex\/logo-[0-9a-f]{16}\.png$/,
      ),
      contentType: 'image/png',
      width: 480,
      height: 160,
      bytes: bytes.byteLength,
      brand: null,
    });
    expect(res.headers.get('etag')).toBeNull();
    expect((await api.request('/api/brand', { as: 'u-globex-1' })).status).toBe(404);

    const created = await put('u-globex-1', { ...profile('Globex'), logoUrl: body.logoUrl });
    expect(created.status).toBe(200);
    expect((await created.json()).brand.logoUrl).toBe(body.logoUrl);
  });

  it('points the profile at the stored asset, which holds the same bytes with the content’s type', async () => {
    expect((await put('u-northwind-1', profile('Northwind'))).status).toBe(200);
    const bytes = await logo('#0b5cad');
    const res = await upload('u-northwind-1', bytes);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(res.headers.get('location')).toBe(body.logoUrl);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(body.brand).toMatchObject({ companyName: 'Northwind', logoUrl: body.logoUrl, version: 2 });
    expect(body.logoUrl.startsWith(`${PUBLIC}/assets/brands/northwind/logo-`)).toBe(true);

    const { brand } = await brandOf('u-northwind-1');
    expect(brand.logoUrl).toBe(body.logoUrl);
    const stored = await blobAt(brand.logoUrl);
    expect(stored?.contentType).toBe('image/png');
    expect(Buffer.from(stored?.bytes ?? []).equals(bytes)).toBe(true);
  });

  it('replaces the logo on a second upload and keeps the first file for emails already sent', async () => {
    const first = (await brandOf('u-northwind-1')).brand.logoUrl;
    const res = await upload('u-northwind-1', await logo('#b45309', 600, 200));
    const second = (await res.json()).logoUrl;
    expect(second).not.toBe(first);
    expect((await brandOf('u-northwind-1')).brand).toMatchObject({ logoUrl: second, version: 3 });
    expect(await blobAt(first)).toBeDefined();
    expect((await blobAt(second))?.contentType).toBe('image/png');
  });

  it('stores the same image once: the key is its content hash', async () => {
    const bytes = await logo('#5b2a86');
    const a = await (await upload('u-initech-1', bytes)).json();
    const b = await (await upload('u-initech-1', bytes)).json();
    expect(a.logoUrl).toBe(b.logoUrl);
  });

  it('refuses by content with problem+json: SVG, a PNG declared as JPEG, a truncated file, an oversize body', async () => {
    const svg = await upload(
      'u-northwind-1',
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      'image/svg+xml',
    );
    expect(svg.status).toBe(415);
    expect(svg.headers.get('content-type')).toBe('application/problem+json');
    expect((await svg.json()).detail).toMatch(/SVG/);

    const mislabelled = await upload('u-northwind-1', await logo('#0b5cad'), 'image/jpeg');
    expect(mislabelled.status).toBe(422);
    expect((await mislabelled.json()).errors).toEqual([
      { path: 'header.content-type', message: 'declared image/jpeg but the content is image/png' },
    ]);

    const whole = await logo('#0b5cad');
    const truncated = await upload('u-northwind-1', whole.subarray(0, whole.byteLength - 30));
    expect(truncated.status).toBe(422);
    expect((await truncated.json()).errors[0].message).toMatch(/damaged or incomplete/);

    const oversize = await upload('u-northwind-1', new Uint8Array(1024 * 1024 + 1));
    expect(oversize.status).toBe(413);
    expect((await oversize.json()).type).toBe('/problems/payload-too-large');

    // None of them touched the profile.
    expect((await brandOf('u-northwind-1')).brand.version).toBe(3);
  });

  it('is for partner users only', async () => {
    expect((await upload('marketing', await logo('#000000'))).status).toBe(403);
    expect((await api.request('/api/brand/logo', { as: 'auditor', method: 'DELETE' })).status).toBe(403);
  });
});

describe('the Lambda path', () => {
  it('takes the image as API Gateway delivers it (base64) and stores the same bytes', async () => {
    const bytes = await sharp({ create: { width: 200, height: 64, channels: 3, background: '#5b2a86' } })
      .jpeg()
      .toBuffer();
    const http = {
      method: 'POST',
      path: '/api/brand/logo',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'vitest',
    };
    const event: LambdaEvent = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/api/brand/logo',
      rawQueryString: '',
      headers: {
        host: 'api.example',
        authorization: `Bearer ${await api.token('u-initech-1')}`,
        'content-type': 'image/jpeg',
      },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
      requestContext: {
        accountId: '123456789012',
        apiId: 'api',
        authentication: null,
        authorizer: {},
        domainName: 'api.example',
        domainPrefix: 'api',
        http,
        requestId: 'req-logo',
        routeKey: '$default',
        stage: '$default',
        time: '24/Nov/2026:12:00:00 +0000',
        timeEpoch: 0,
      },
    };
    const context: LambdaContext = {
      awsRequestId: 'aws-req-logo',
      functionName: 'api',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:api',
      memoryLimitInMB: '1024',
      logGroupName: '/aws/lambda/api',
      logStreamName: 'stream',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => 10_000,
    };
    const res = await handle(api.app)(event, context);
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ contentType: 'image/jpeg', width: 200, height: 64 });
    const stored = await blobAt(body.logoUrl);
    expect(Buffer.from(stored?.bytes ?? []).equals(bytes)).toBe(true);
  });
});

describe('a profile’s logo URL', () => {
  it('cannot name another partner’s asset or an arbitrary URL, only the partner’s own or none', async () => {
    const northwindLogo = (await brandOf('u-northwind-1')).brand.logoUrl;
    const { etag, brand } = await brandOf('u-globex-1');
    const { updatedAt: _u, version: _v, ...globex } = brand;
    for (const logoUrl of [
      northwindLogo,
      'https://tracker.example/pixel.png?partner=globex',
      `${PUBLIC}/assets/brands/globex/../northwind/${northwindLogo.split('/').pop()}`,
    ]) {
      const res = await put('u-globex-1', { ...globex, logoUrl }, etag);
      expect(res.status, logoUrl).toBe(422);
      expect((await res.json()).errors).toEqual([
        { path: 'body.logoUrl', message: expect.stringMatching(/POST \/api\/brand\/logo/) },
      ]);
    }
    expect((await brandOf('u-globex-1')).brand.logoUrl).toBe(brand.logoUrl);
    const cleared = await put('u-globex-1', { ...globex, logoUrl: null }, etag);
    expect((await cleared.json()).brand.logoUrl).toBeNull();
  });

  it('is uploaded into the caller’s own folder whatever it sends', async () => {
    const res = await upload('u-globex-1', await logo('#116149', 300, 100));
    expect((await res.json()).logoUrl.startsWith(`${PUBLIC}/assets/brands/globex/`)).toBe(true);
    expect(
      (await brandOf('u-northwind-1')).brand.logoUrl.startsWith(`${PUBLIC}/assets/brands/northwind/`),
    ).toBe(true);
  });
});

describe('the logo and concurrent profile edits', () => {
  it('makes an editor holding the old ETag reload (412) instead of putting the old logo back', async () => {
    const before = await brandOf('u-northwind-1');
    const uploaded = await (await upload('u-northwind-1', await logo('#0f766e'))).json();
    const { updatedAt: _u, version: _v, ...stale } = before.brand;
    const res = await put('u-northwind-1', { ...stale, senderName: 'Stale editor' }, before.etag);
    expect(res.status).toBe(412);
    expect((await brandOf('u-northwind-1')).brand.logoUrl).toBe(uploaded.logoUrl);
  });

  it('keeps an edit that lands between reading the profile and setting the logo', async () => {
    const brands = brandStore(api.table);
    const current = await brands.get('northwind');
    if (!current) throw new Error('no profile');
    // A store whose first read is followed by another editor's save, before the logo write.
    let interfered = false;
    const racing: BrandStore = {
      ...brands,
      async get(partnerId) {
        const read = await brands.get(partnerId);
        if (!interfered && read) {
          interfered = true;
          const { version, ...rest } = read;
          await brands.replace(partnerId, version, { ...rest, senderName: 'Concurrent editor' });
        }
        return read;
      },
    };
    const logoUrl = `${PUBLIC}/assets/brands/northwind/logo-concurrent.png`;
    const saved = await setLogo(
      { brands: racing, clock: () => new Date(), blobs: api.blobs, publicBaseUrl: PUBLIC },
      'northwind',
      logoUrl,
    );
    expect(interfered).toBe(true);
    expect(saved).toMatchObject({ senderName: 'Concurrent editor', logoUrl, version: current.version + 2 });
    expect(await brands.get('northwind')).toMatchObject({ senderName: 'Concurrent editor', logoUrl });
  });

  it('keeps both a profile save and a logo upload sent at the same time', async () => {
    const { etag, brand } = await brandOf('u-northwind-1');
    const { updatedAt: _u, version: _v, ...input } = brand;
    const [saved, uploaded] = await Promise.all([
      put('u-northwind-1', { ...input, phone: '+1 206 555 0100' }, etag),
      upload('u-northwind-1', await logo('#1d4ed8')),
    ]);
    expect(uploaded.status).toBe(201);
    const after = (await brandOf('u-northwind-1')).brand;
    expect(after.logoUrl).toBe((await uploaded.json()).logoUrl);
    // The save either went first (and the logo was set on top of it) or met the new version.
    if (saved.status === 200) expect(after.phone).toBe('+1 206 555 0100');
    else expect(saved.status).toBe(412);
  });
});

describe('removing the logo', () => {
  it('clears only the logo, with a new ETag', async () => {
    const before = await brandOf('u-northwind-1');
    const res = await api.request('/api/brand/logo', { as: 'u-northwind-1', method: 'DELETE' });
    expect(res.status).toBe(200);
    const brand = await res.json();
    const { logoUrl: _l, updatedAt: _u, version: _v, ...rest } = before.brand;
    expect(brand).toMatchObject({ ...rest, logoUrl: null });
    expect(res.headers.get('etag')).toBe(`"${before.brand.version + 1}"`);
  });

  it('answers 404 without a profile, and touches only the caller’s own', async () => {
    const res = await api.request('/api/brand/logo', { as: 'u-initech-1', method: 'DELETE' });
    expect(res.status).toBe(404);
    expect((await brandOf('u-globex-1')).brand.logoUrl).toMatch(/\/assets\/brands\/globex\//);
  });
});
