import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandStore } from '#functions/brand/store';
import type { KitFiles } from '#functions/kits/archive';
import { northwindBrand } from '#test/support/brand-fixture';
import { loadSampleKit, withFile, withManifest, zipOf } from '#test/support/kit-fixtures';
import { startTestApi, type TestApi } from '#test/support/test-api';

let api: TestApi;
let webinar: KitFiles;

beforeAll(async () => {
  api = await startTestApi();
  webinar = await loadSampleKit('zero-trust-webinar');
  await brandStore(api.table).put('northwind', northwindBrand);
});
afterAll(() => api.close());

const upload = (files: KitFiles, as: 'marketing' | 'partner' | 'auditor' = 'marketing') =>
  api.request('/api/kits', {
    as,
    method: 'POST',
    headers: { 'content-type': 'application/zip' },
    body: Buffer.from(zipOf(files)),
  });
const post = (path: string, as: string, body?: unknown) =>
  api.request(path, {
    as,
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
const get = (path: string, as: string) => api.request(path, { as });
const bumped = (files: KitFiles, version: string) =>
  withManifest(files, (m) => {
    m.version = version;
  });

describe('kit lifecycle', () => {
  it('uploads a sample kit as a draft with a clean report, stores its assets, and publishes it', async () => {
    const res = await upload(webinar);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      id: 'zero-trust-webinar',
      version: '1.0.0',
      status: 'draft',
      report: { ok: true, errors: [] },
    });

    const version = await (await get('/api/kits/zero-trust-webinar/versions/1.0.0', 'marketing')).json();
    const [hero] = version.assets;
    expect(hero).toMatchObject({ name: 'hero.png', contentType: 'image/png' });
    expect(hero.url).toBe('http://127.0.0.1:3000/assets/kits/zero-trust-webinar/1.0.0/hero.png');
    const stored = await api.blobs.get('assets/kits/zero-trust-webinar/1.0.0/hero.png');
    expect(Buffer.from(stored?.bytes ?? []).equals(webinar.get('assets/hero.png') ?? Buffer.alloc(0))).toBe(
      true,
    );

    expect(await get('/api/library', 'u-northwind-1').then((r) => r.json())).toMatchObject({ items: [] });
    const published = await post('/api/kits/zero-trust-webinar/versions/1.0.0/publish', 'marketing');
    expect(published.status).toBe(200);
    expect((await published.json()).status).toBe('published');
  });

  it('keeps a published version immutable: the same version again is a conflict', async () => {
    const res = await upload(withFile(webinar, 'email/subject.hbs', () => 'Changed after publishing'));
    expect(res.status).toBe(409);
  });

  it('stores a draft with errors, shows its report, and refuses to publish it', async () => {
    const broken = withFile(bumped(webinar, '1.0.1'), 'email/body.html.hbs', (t) =>
      t.replace('<body', '{{{slots.headline}}}<body'),
    );
    const res = await upload(broken);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.report.ok).toBe(false);
    expect(body.report.errors).toEqual([
      expect.objectContaining({
        code: 'template-unescaped',
        file: 'email/body.html.hbs',
        line: expect.any(Number),
      }),
    ]);
    const publish = await post('/api/kits/zero-trust-webinar/versions/1.0.1/publish', 'marketing');
    expect(publish.status).toBe(409);
  });

  it('answers an unreadable kit with 422 and the report', async () => {
    const noManifest = new Map(webinar);
    noManifest.delete('kit.json');
    const res = await upload(noManifest);
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.report.errors).toEqual([expect.objectContaining({ code: 'manifest-missing' })]);
  });

  it('supersedes a version in the library with a newer one, and falls back when that is retired', async () => {
    const next = withManifest(bumped(webinar, '1.1.0'), (m) => {
      m.name = 'Zero Trust in 45 minutes (spring series)';
    });
    expect((await upload(next)).status).toBe(201);
    expect((await post('/api/kits/zero-trust-webinar/versions/1.1.0/publish', 'marketing')).status).toBe(200);
    const library = await (await get('/api/library', 'u-northwind-1')).json();
    expect(library.items.map((k: { id: string; version: string }) => `${k.id}@${k.version}`)).toEqual([
      'zero-trust-webinar@1.1.0',
    ]);

    expect((await post('/api/kits/zero-trust-webinar/versions/1.1.0/retire', 'marketing')).status).toBe(200);
    const after = await (await get('/api/library', 'u-northwind-1')).json();
    expect(after.items.map((k: { version: string }) => k.version)).toEqual(['1.0.0']);

    const kit = await (await get('/api/kits/zero-trust-webinar', 'auditor')).json();
    expect(kit.kit).toMatchObject({ latestVersion: '1.1.0', publishedVersion: '1.0.0' });
    expect(kit.versions.map((v: { version: string; status: string }) => `${v.version}:${v.status}`)).toEqual([
      '1.1.0:retired',
      '1.0.1:draft',
      '1.0.0:published',
    ]);
  });
});

describe('who may do what', () => {
  it('refuses uploads from partners and auditors, and publishing by auditors', async () => {
    expect((await upload(webinar, 'partner')).status).toBe(403);
    expect((await upload(webinar, 'auditor')).status).toBe(403);
    expect((await post('/api/kits/zero-trust-webinar/versions/1.0.0/retire', 'auditor')).status).toBe(403);
    expect((await get('/api/kits', 'auditor')).status).toBe(200);
    expect((await get('/api/kits', 'partner')).status).toBe(403);
  });

  it('hides a kit from a partner whose tier is not eligible, in the list, the detail and the preview', async () => {
    // zero-trust-webinar is for silver, gold and platinum: Initech is registered.
    expect((await (await get('/api/library', 'u-initech-1')).json()).items).toEqual([]);
    expect((await get('/api/library/zero-trust-webinar', 'u-initech-1')).status).toBe(404);
    expect((await post('/api/library/zero-trust-webinar/preview', 'u-initech-1', { slots: {} })).status).toBe(
      404,
    );
  });

  it('hides a kit from a partner outside its regions', async () => {
    const apacOnly = withManifest(bumped(webinar, '2.0.0'), (m) => {
      const tags = m.tags as Record<string, unknown>;
      tags.regions = ['APAC'];
    });
    await upload(apacOnly);
    await post('/api/kits/zero-trust-webinar/versions/2.0.0/publish', 'marketing');
    // Northwind (gold, NA) no longer sees the kit; Globex (silver, EMEA) neither.
    expect((await get('/api/library/zero-trust-webinar', 'u-northwind-1')).status).toBe(404);
    expect((await get('/api/library/zero-trust-webinar', 'u-globex-1')).status).toBe(404);
    await post('/api/kits/zero-trust-webinar/versions/2.0.0/retire', 'marketing');
    expect((await get('/api/library/zero-trust-webinar', 'u-northwind-1')).status).toBe(200);
  });
});

describe('library and preview', () => {
  it('filters by text, language and objective', async () => {
    const security = await loadSampleKit('security-assessment-offer');
    await upload(security);
    await post('/api/kits/security-assessment-offer/versions/1.0.0/publish', 'marketing');
    const all = await (await get('/api/library', 'u-northwind-1')).json();
    expect(all.items.map((k: { id: string }) => k.id).sort()).toEqual([
      'security-assessment-offer',
      'zero-trust-webinar',
    ]);
    expect(all.facets.objectives).toEqual(['event-registration', 'lead-generation']);
    const search = await (await get('/api/library?q=WEBINAR', 'u-northwind-1')).json();
    expect(search.items.map((k: { id: string }) => k.id)).toEqual(['zero-trust-webinar']);
    const objective = await (
      await get('/api/library?objective=lead-generation&language=en', 'u-northwind-1')
    ).json();
    expect(objective.items.map((k: { id: string }) => k.id)).toEqual(['security-assessment-offer']);
    expect((await get('/api/library?language=de', 'u-northwind-1').then((r) => r.json())).items).toEqual([]);
  });

  it('gives a partner the slots and form of an eligible kit', async () => {
    const detail = await (await get('/api/library/zero-trust-webinar', 'u-northwind-1')).json();
    expect(detail.slots.map((s: { key: string }) => s.key)).toContain('headline');
    expect(detail.formFields.map((f: { name: string }) => f.name)).toContain('email');
  });

  it('previews co-branded with the partner’s brand, escaping what the partner typed', async () => {
    const res = await post('/api/library/zero-trust-webinar/preview', 'u-northwind-1', {
      slots: { headline: '<img src=x onerror=alert(1)> Zero Trust live' },
    });
    expect(res.status).toBe(200);
    const preview = await res.json();
    expect(preview.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; Zero Trust live');
    expect(preview.html).not.toContain('<img src=x');
    expect(preview.html).toContain('https://northwind.example/logo.png');
    expect(preview.html).toContain('1200 Harbor Avenue');
    expect(preview.landing).toContain('name="email"');
    expect(preview.subject.length).toBeGreaterThan(0);
  });

  it('refuses slot values that break the kit’s limits, naming each field', async () => {
    const res = await post('/api/library/zero-trust-webinar/preview', 'u-northwind-1', {
      slots: { headline: 'short', accent_colour: 'red', nonsense: 'x' },
    });
    expect(res.status).toBe(422);
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['body.slots.accent_colour', 'body.slots.headline', 'body.slots.nonsense']);
  });
});

describe('upload limits', () => {
  it('answers a body that is not a zip with 415 and one over 4 MB with 413', async () => {
    const notZip = await api.request('/api/kits', {
      as: 'marketing',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notZip.status).toBe(415);
    const huge = await api.request('/api/kits', {
      as: 'marketing',
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body: new Uint8Array(4 * 1024 * 1024 + 1),
    });
    expect(huge.status).toBe(413);
  });
});
