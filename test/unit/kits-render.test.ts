import { describe, expect, it } from 'vitest';
import { sortableVersion } from '#functions/kits/keys';
import { type KitManifest, manifestSchema } from '#functions/kits/manifest';
import { compileKit, renderKit } from '#functions/kits/render';
import { sampleRenderInput } from '#functions/kits/sample-values';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { ValidationError } from '#platform/errors';

const manifest: KitManifest = manifestSchema.parse({
  id: 'tiny-kit',
  version: '1.0.0',
  name: 'Tiny kit',
  summary: 'A kit small enough to read in a test.',
  objective: 'awareness',
  tags: { regions: ['NA'], language: 'en' },
  eligibility: { tiers: ['gold'] },
  mdf: { eligible: false },
  templates: {
    subject: 'email/subject.hbs',
    html: 'email/body.html.hbs',
    text: 'email/body.txt.hbs',
    landing: 'landing/page.html.hbs',
  },
  slots: [
    { key: 'headline', type: 'text', label: 'Headline', minLength: 5, maxLength: 40, default: 'Hello there' },
    { key: 'intro', type: 'multiline', label: 'Intro', maxLength: 200, default: 'Line one\nLine two' },
    { key: 'cta_url', type: 'url', label: 'Link', default: 'https://example.com/a?b=1&c=2' },
    { key: 'when', type: 'date', label: 'When', default: '2027-03-18', min: '2027-01-01' },
    {
      key: 'size',
      type: 'select',
      label: 'Size',
      options: [
        { value: 's', label: 'S' },
        { value: 'l', label: 'L' },
      ],
      default: 's',
    },
    { key: 'terms', type: 'text', label: 'Terms', maxLength: 60, locked: true, default: 'Terms apply.' },
  ],
  landing: {
    form: {
      fields: [{ name: 'email', type: 'email', label: 'Work email', required: true }],
      submitLabel: 'Send',
      consentText: 'I agree that {{brand.company_name}} and {{vendor.name}} may contact me.',
    },
  },
});

const sources = new Map([
  ['email/subject.hbs', '{{slots.headline}}, {{fallback recipient.first_name "there"}}'],
  [
    'email/body.html.hbs',
    '<h1>{{slots.headline}}</h1><p>{{slots.intro}}</p><a href="{{link slots.cta_url}}">Go</a><a href="{{link landing_url}}">Page</a><p>{{format_date slots.when "long"}}</p><p>{{postal_address}}</p><a href="{{unsubscribe_url}}">Unsubscribe</a>',
  ],
  ['email/body.txt.hbs', '{{slots.intro}}\n{{link slots.cta_url}}\n{{postal_address}}\n{{unsubscribe_url}}'],
  ['landing/page.html.hbs', '<h1>{{slots.headline}}</h1>{{lead_form}}'],
]);

const render = (slots: Record<string, string>) => {
  const input = sampleRenderInput(manifest);
  return renderKit(compileKit(manifest, sources), { ...input, slots: { ...input.slots, ...slots } });
};

describe('renderKit', () => {
  it('renders every part with tracked links in order and the untracked unsubscribe link', () => {
    const out = render({});
    expect(out.subject).toBe('Hello there, Alex');
    expect(out.html).toBe(
      '<h1>Hello there</h1><p>Line one<br>Line two</p>' +
        '<a href="https://t.channelkit.invalid/c/0">Go</a><a href="https://t.channelkit.invalid/c/1">Page</a>' +
        '<p>Thursday, March 18, 2027</p>' +
        '<p>Northwind Networks Inc.<br>1200 Harbor Avenue, Suite 400<br>Seattle, WA 98101<br>United States</p>' +
        '<a href="https://u.channelkit.invalid/u/preview">Unsubscribe</a>',
    );
    expect(out.text).toBe(
      'Line one\nLine two\nhttps://t.channelkit.invalid/c/2\nNorthwind Networks Inc.\n1200 Harbor Avenue, Suite 400\nSeattle, WA 98101\nUnited States\nhttps://u.channelkit.invalid/u/preview',
    );
    expect(out.links).toEqual([
      'https://example.com/a?b=1&c=2',
      'https://p.channelkit.invalid/p/preview',
      'https://example.com/a?b=1&c=2',
    ]);
  });

  it('escapes partner values everywhere, multiline included', () => {
    const out = render({ headline: '<script>alert(1)</script>', intro: '<b>bold</b>\n"quoted"' });
    expect(out.html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(out.html).toContain('<p>&lt;b&gt;bold&lt;/b&gt;<br>&quot;quoted&quot;</p>');
    expect(out.landing).not.toContain('<script>');
  });

  it('builds the lead form with consent, a honeypot and the declared fields', () => {
    const out = render({});
    expect(out.landing).toContain(
      '<input type="email" id="ck-email" name="email" autocomplete="email" required>',
    );
    expect(out.landing).toContain('name="website_url" tabindex="-1"');
    expect(out.landing).toContain('I agree that Northwind Networks and Vendor may contact me.');
    expect(out.landing).toContain('<button type="submit">Send</button>');
  });

  it('tracks https links, and plain http only to this machine; other schemes render empty', () => {
    const links = new Map(sources);
    links.set('email/body.txt.hbs', '{{link slots.cta_url}}|{{postal_address}}{{unsubscribe_url}}');
    const render = (url: string) => {
      const input = sampleRenderInput(manifest);
      return renderKit(compileKit(manifest, links), { ...input, slots: { ...input.slots, cta_url: url } })
        .links;
    };
    expect(render('http://localhost:3000/p/spring')).toContain('http://localhost:3000/p/spring');
    expect(render('http://evil.example/x')).not.toContain('http://evil.example/x');
    expect(render('javascript:alert(1)')).not.toContain('javascript:alert(1)');
  });

  it('does not let a template reach prototypes', () => {
    const evil = new Map(sources);
    evil.set('email/subject.hbs', '{{slots.constructor}}{{slots.__proto__}}');
    const out = renderKit(compileKit(manifest, evil), sampleRenderInput(manifest));
    expect(out.subject).toBe('');
  });
});

describe('resolveSlotValues', () => {
  const fails = (input: Record<string, string>) => {
    try {
      resolveSlotValues(manifest, input, { forPreview: false });
    } catch (error) {
      if (error instanceof ValidationError) return error.errors;
    }
    return undefined;
  };

  it('fills unset slots from defaults and keeps locked ones', () => {
    expect(resolveSlotValues(manifest, { headline: 'Welcome all' }, { forPreview: false })).toEqual({
      headline: 'Welcome all',
      intro: 'Line one\nLine two',
      cta_url: 'https://example.com/a?b=1&c=2',
      when: '2027-03-18',
      size: 's',
      terms: 'Terms apply.',
    });
  });

  it('names each field that breaks its limits', () => {
    expect(
      fails({
        headline: 'Hi',
        intro: 'x'.repeat(201),
        cta_url: 'http://insecure.example',
        when: '2026-12-31',
        size: 'xl',
        terms: 'No terms',
        extra: 'y',
      }),
    ).toEqual([
      { path: 'body.slots.extra', message: 'this kit has no such slot' },
      { path: 'body.slots.headline', message: 'must be at least 5 characters' },
      { path: 'body.slots.intro', message: 'must be at most 200 characters' },
      { path: 'body.slots.cta_url', message: 'must be an https:// URL' },
      { path: 'body.slots.when', message: 'must be on or after 2027-01-01' },
      { path: 'body.slots.size', message: 'must be one of s, l' },
      { path: 'body.slots.terms', message: 'this slot is locked by the kit' },
    ]);
  });

  it('refuses a newline in a one-line text slot (no header or subject injection)', () => {
    expect(fails({ headline: 'Hello\r\nBcc: x@y.example' })).toEqual([
      { path: 'body.slots.headline', message: 'must be a single line' },
    ]);
  });
});

describe('sortableVersion', () => {
  it('orders semantic versions as strings, a release after its pre-releases', () => {
    const versions = ['1.10.0', '1.2.0', '1.2.0-rc.1', '2.0.0', '1.2.10'];
    expect([...versions].sort((a, b) => sortableVersion(a).localeCompare(sortableVersion(b)))).toEqual([
      '1.2.0-rc.1',
      '1.2.0',
      '1.2.10',
      '1.10.0',
      '2.0.0',
    ]);
  });
});
