import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import { readKitFolder } from '#functions/kits/archive';
import { CompileCache } from '#functions/kits/compile-cache';
import { renderKit } from '#functions/kits/render';
import { sampleRenderInput } from '#functions/kits/sample-values';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { validateKit } from '#functions/kits/validate';
import { measure, printVersusFloor } from './harness';

/*
 * `npm run bench -- preview`: a partner preview of a sample kit (slot validation + subject,
 * preheader, HTML, text, landing page, consent and social posts) once its templates are
 * compiled and cached, next to the floor: a bare Handlebars render of the same templates with
 * the same values (helpers as no-ops). Each run renders in a loop; the median per render is shown.
 */
const LOOP = 2000;

const perRender = (render: () => void) => () => {
  const started = performance.now();
  for (let i = 0; i < LOOP; i += 1) render();
  return ((performance.now() - started) / LOOP) * 1000;
};

export const previewBench = async (): Promise<void> => {
  const files = await readKitFolder(resolve('campaigns/zero-trust-webinar'));
  const { kit } = await validateKit(files);
  if (!kit) throw new Error('the sample kit does not validate');
  const stored = {
    kitId: kit.manifest.id,
    semver: kit.manifest.version,
    archive: { sha256: 'bench', key: 'bench', bytes: 0 },
    manifest: kit.manifest,
    templates: Object.fromEntries(kit.sources),
  };
  const input = sampleRenderInput(kit.manifest);
  const slots = { headline: 'Zero Trust for hybrid teams, live in 45 minutes' };

  const cache = new CompileCache();
  const preview = () => {
    const values = resolveSlotValues(kit.manifest, slots, { forPreview: true });
    return renderKit(cache.get(stored), { ...input, slots: values });
  };
  // Handlebars compiles lazily: the first preview pays for compiling every template.
  const coldStart = performance.now();
  preview();
  const firstPreviewMs = performance.now() - coldStart;

  // The floor: the same HTML template in a plain Handlebars environment, helpers as no-ops.
  const bare = Handlebars.create();
  for (const name of ['link', 'asset', 'format_date', 'fallback', 'postal_address']) {
    bare.registerHelper(name, (value: unknown) => (typeof value === 'string' ? value : ''));
  }
  const bareTemplates = [...kit.sources.values(), kit.manifest.landing.form.consentText].map((source) =>
    bare.compile(source),
  );
  const context = {
    slots: { ...input.slots, ...slots },
    brand: input.brand,
    vendor: input.vendor,
    recipient: input.recipient,
    unsubscribe_url: input.unsubscribeUrl,
    landing_url: input.landingUrl,
  };
  const floor = await measure(
    'bare Handlebars, same templates',
    perRender(() => {
      for (const template of bareTemplates) template(context);
    }),
    { unit: 'µs', runs: 9 },
  );
  const subject = await measure('partner preview (all parts, cached)', perRender(preview), {
    unit: 'µs',
    runs: 9,
  });
  console.log(
    `\nfirst preview, compiling the kit's ${bareTemplates.length} templates (once per kit version): ${firstPreviewMs.toFixed(2)} ms`,
  );
  console.log(
    `per preview after that (subject, preheader, HTML, text, landing page, social posts), median of 9 runs of ${LOOP}:`,
  );
  printVersusFloor(subject, floor, 'a few ms');
};
