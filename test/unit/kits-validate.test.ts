import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KitFiles } from '#functions/kits/archive';
import type { Problem } from '#functions/kits/template-check';
import { validateKit } from '#functions/kits/validate';
import { FIXTURES, loadSampleKit, sampleKitIds, withFile, withManifest } from '#test/support/kit-fixtures';

let base: KitFiles;
beforeAll(async () => {
  base = await loadSampleKit('zero-trust-webinar');
});

const errorsOf = async (files: KitFiles): Promise<Problem[]> => (await validateKit(files)).report.errors;
const html = 'email/body.html.hbs';
const text = 'email/body.txt.hbs';
const landing = 'landing/page.html.hbs';

/** Where a snippet starts in a file, 1-based, to check that reports point at the right line. */
const lineOf = (files: KitFiles, path: string, snippet: string) => {
  const source = files.get(path)?.toString('utf8') ?? '';
  return source.slice(0, source.indexOf(snippet)).split('\n').length;
};

/** Inserts markup right after the <body ...> tag. */
const intoBody = (markup: string) => (source: string) => source.replace(/(<body[^>]*>)/, `$1${markup}`);

describe('the sample kits', () => {
  it.each(sampleKitIds)('%s validates with no errors and no warnings', async (id) => {
    const { report, kit } = await validateKit(await loadSampleKit(id));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(kit?.manifest.id).toBe(id);
    expect(report.measured?.htmlBytes).toBeLessThan(102 * 1024);
  });
});

describe('kit.yaml', () => {
  it('is accepted in place of kit.json, and its problems have lines too', async () => {
    const files = new Map(base);
    const manifest = JSON.parse(files.get('kit.json')?.toString('utf8') ?? '{}');
    files.delete('kit.json');
    files.set('kit.yaml', Buffer.from(stringify(manifest)));
    expect((await validateKit(files)).report.errors).toEqual([]);
    files.set('kit.yaml', Buffer.from(stringify({ ...manifest, objective: 'world-domination' })));
    const [error] = (await validateKit(files)).report.errors;
    expect(error).toMatchObject({
      code: 'manifest-schema',
      file: 'kit.yaml',
      line: lineOf(files, 'kit.yaml', 'objective:'),
    });
  });
});

describe('one report per class of error, with file and line', () => {
  it('manifest: a schema violation names the field and its line', async () => {
    const files = withManifest(base, (m) => {
      m.version = 'one';
    });
    const [error] = await errorsOf(files);
    expect(error).toMatchObject({
      code: 'manifest-schema',
      file: 'kit.json',
      line: lineOf(files, 'kit.json', '"version"'),
    });
    expect(error?.message).toMatch(/^version: a semantic version/);
  });

  it('manifest: JSON syntax errors have a line', async () => {
    const files = withFile(base, 'kit.json', (t) => t.replace('"name":', '"name" ::'));
    const [error] = await errorsOf(files);
    expect(error).toMatchObject({
      code: 'manifest-syntax',
      file: 'kit.json',
      line: lineOf(files, 'kit.json', '"name" ::'),
    });
  });

  it('manifest: too large to be a manifest', async () => {
    const files = withManifest(base, (m) => {
      m.summary = 'x'.repeat(70 * 1024);
    });
    expect((await errorsOf(files)).map((e) => e.code)).toEqual(['manifest-too-large']);
  });

  it('template: does not compile', async () => {
    const files = withFile(base, html, intoBody('{{#if slots.headline}}unclosed'));
    const [error] = await errorsOf(files);
    expect(error).toMatchObject({ code: 'template-syntax', file: html });
  });

  it('template: an undeclared variable', async () => {
    const files = withFile(base, html, intoBody('<p>{{slots.discount_code}}</p>'));
    expect(await errorsOf(files)).toEqual([
      expect.objectContaining({
        code: 'template-unknown-slot',
        file: html,
        line: lineOf(files, html, '{{slots.discount_code}}'),
      }),
    ]);
  });

  it('template: a value outside the vocabulary and a helper that is not ours', async () => {
    const files = withFile(base, html, intoBody('<p>{{constructor.name}} {{lookup "x"}}</p>'));
    expect((await errorsOf(files)).map((e) => e.code)).toEqual([
      'template-unknown-variable',
      'template-unknown-helper',
    ]);
  });

  it('template: triple-stash, partials and parent paths are refused', async () => {
    const files = withFile(base, html, intoBody('{{{slots.headline}}}{{> footer}}{{../secret}}'));
    expect((await errorsOf(files)).map((e) => e.code)).toEqual([
      'template-unescaped',
      'template-partial',
      'template-context-path',
    ]);
  });

  it('slots: a required slot no template uses', async () => {
    const files = withManifest(base, (m) => {
      const slots = m.slots as Record<string, unknown>[];
      slots.push({ key: 'unused_slot', type: 'text', label: 'Unused', maxLength: 20, default: 'x' });
    });
    expect(await errorsOf(files)).toEqual([
      expect.objectContaining({
        code: 'slot-unused',
        file: 'kit.json',
        line: lineOf(files, 'kit.json', 'unused_slot'),
        message: expect.stringContaining('unused_slot'),
      }),
    ]);
  });

  it('compliance: no unsubscribe link in the HTML email', async () => {
    const files = withFile(base, html, (t) =>
      t.replaceAll('{{unsubscribe_url}}', 'mailto:unsubscribe@vendor.example'),
    );
    expect((await errorsOf(files)).map((e) => e.code)).toEqual(['email-no-unsubscribe-url']);
  });

  it('compliance: no postal address in the text email', async () => {
    const files = withFile(base, text, (t) => t.replaceAll('{{postal_address}}', ''));
    expect(await errorsOf(files)).toEqual([
      expect.objectContaining({ code: 'email-no-postal-address', file: text }),
    ]);
  });

  it('email safety: script and form are refused where they are', async () => {
    const files = withFile(
      base,
      html,
      intoBody('<script>track()</script><form action="https://x.example"></form>'),
    );
    const errors = await errorsOf(files);
    expect(errors.map((e) => e.code)).toEqual(['email-unsafe-tag', 'email-unsafe-tag']);
    expect(errors[0]?.line).toBe(lineOf(files, html, '<script>'));
  });

  it('email safety: external CSS', async () => {
    const files = withFile(base, html, (t) =>
      t.replace('</head>', '<link rel="stylesheet" href="https://cdn.example/x.css"></head>'),
    );
    expect((await errorsOf(files)).map((e) => e.code)).toEqual(['html-external-css']);
  });

  it('email safety: an image without alt text', async () => {
    const files = withFile(base, html, intoBody(`<img src="{{asset 'hero.png'}}" width="10">`));
    expect(await errorsOf(files)).toEqual([expect.objectContaining({ code: 'html-img-alt', file: html })]);
  });

  it('email safety: a link that is not tracked', async () => {
    const files = withFile(base, html, intoBody('<a href="https://evil.example">x</a>'));
    expect((await errorsOf(files)).map((e) => e.code)).toEqual(['email-untracked-link']);
  });

  it('email size: over Gmail’s 102 KB clipping limit when rendered with the defaults', async () => {
    const files = withFile(base, html, intoBody(`<p>${'All work and no play. '.repeat(5000)}</p>`));
    expect(await errorsOf(files)).toEqual([expect.objectContaining({ code: 'email-too-large', file: html })]);
  });

  it('landing page: no lead form', async () => {
    const files = withFile(base, landing, (t) => t.replace('{{lead_form}}', ''));
    expect((await errorsOf(files)).map((e) => e.code)).toEqual(['landing-lead-form']);
  });

  it('landing page: a hand-written form instead of the lead form', async () => {
    const files = withFile(base, landing, intoBody('<form method="post"><input name="email"></form>'));
    expect((await errorsOf(files)).map((e) => e.code)).toContain('landing-unsafe-tag');
  });

  it('assets: a referenced image that does not exist', async () => {
    const files = withFile(base, html, intoBody(`<img src="{{asset 'missing.png'}}" alt="x" width="10">`));
    expect(await errorsOf(files)).toEqual([
      expect.objectContaining({
        code: 'asset-missing',
        file: html,
        message: expect.stringContaining('missing.png'),
      }),
    ]);
  });

  it('assets: a file named .png that is not an image by its content', async () => {
    const files = new Map(base);
    files.set('assets/hero.png', readFileSync(join(FIXTURES, 'not-an-image.png')));
    expect(await errorsOf(files)).toEqual([
      expect.objectContaining({ code: 'asset-not-image', file: 'assets/hero.png' }),
    ]);
  });

  it('assets: an image over 1 MB', async () => {
    const hero = base.get('assets/hero.png') ?? Buffer.alloc(0);
    const files = new Map(base);
    files.set('assets/hero.png', Buffer.concat([hero, Buffer.alloc(1024 * 1024)]));
    expect((await errorsOf(files)).map((e) => e.code)).toEqual(['asset-too-large']);
  });

  it('warnings do not block: a kit without a preheader is valid with a warning', async () => {
    const files = withManifest(base, (m) => {
      const templates = m.templates as Record<string, unknown>;
      delete templates.preheader;
    });
    files.delete('email/preheader.hbs');
    const { report } = await validateKit(files);
    expect(report.ok).toBe(true);
    expect(report.warnings.map((w) => w.code)).toEqual(['no-preheader']);
  });
});
