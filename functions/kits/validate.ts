import { fileTypeFromBuffer } from 'file-type';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { type KitFiles, LIMITS } from './archive';
import { checkEmailHtml, checkLandingHtml, formControlNames, linkAndTextStats } from './html-check';
import { type KitManifest, manifestSchema } from './manifest';
import { type CompiledKit, compileKit, type RenderedKit, renderKit } from './render';
import { MARKERS, sampleRenderInput } from './sample-values';
import { checkTemplate, type Problem, type TemplateUsage } from './template-check';
import type { TemplateKind } from './vocabulary';

export const GMAIL_CLIP_BYTES = 102 * 1024;
const ASSET_BYTES = 1024 * 1024;
const ASSET_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif']);

export interface ValidationReport {
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
  /** Present when the manifest parsed. */
  manifest?: KitManifest;
  /** Figures from rendering with the defaults, when it got that far. */
  measured?: { htmlBytes: number; textBytes: number; subject: string };
}

export interface ValidKit {
  report: ValidationReport;
  manifest: KitManifest;
  compiled: CompiledKit;
  sources: Map<string, string>;
  assets: Map<string, { bytes: Buffer; contentType: string }>;
}

const error = (code: string, file: string, message: string, line?: number): Problem => ({
  severity: 'error',
  code,
  file,
  line,
  message,
});
const warning = (code: string, file: string, message: string, line?: number): Problem => ({
  severity: 'warning',
  code,
  file,
  line,
  message,
});

/** Parses kit.json or kit.yaml with positions, so schema problems point at a line. */
const readManifest = (
  files: KitFiles,
  problems: Problem[],
): { manifest: KitManifest; file: string } | undefined => {
  const file = ['kit.json', 'kit.yaml', 'kit.yml'].find((name) => files.has(name));
  if (!file) {
    problems.push(
      error('manifest-missing', 'kit.json', 'the kit has no kit.json (or kit.yaml) at its top level'),
    );
    return undefined;
  }
  const bytes = files.get(file) ?? Buffer.alloc(0);
  if (bytes.length > LIMITS.manifestBytes) {
    problems.push(
      error('manifest-too-large', file, `the manifest is larger than ${LIMITS.manifestBytes / 1024} KB`),
    );
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.push(
        error(
          'manifest-syntax',
          file,
          e.message.split('\n')[0] ?? 'syntax error',
          lines.linePos(e.pos[0]).line,
        ),
      );
    }
    return undefined;
  }
  const parsed = manifestSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(manifestProblem(file, issue, doc, lines));
    return undefined;
  }
  return { manifest: parsed.data, file };
};

const manifestProblem = (
  file: string,
  issue: z.core.$ZodIssue,
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
): Problem => {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // The deepest node of the path that exists gives the line.
  let line: number | undefined;
  for (let depth = path.length; depth >= 0 && line === undefined; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth), true);
    const range = node && typeof node === 'object' && 'range' in node ? node.range : undefined;
    if (Array.isArray(range) && typeof range[0] === 'number') line = lines.linePos(range[0]).line;
    else if (depth === 0) {
      const contents = doc.contents;
      if ((isMap(contents) || isSeq(contents)) && contents.range)
        line = lines.linePos(contents.range[0]).line;
    }
  }
  const where = path.length ? `${path.join('.')}: ` : '';
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  return error('manifest-schema', file, `${where}${issue.message}${keys}`, line);
};

const templateEntries = (manifest: KitManifest): [TemplateKind, string][] => {
  const t = manifest.templates;
  return [
    ['subject', t.subject],
    ...(t.preheader ? ([['preheader', t.preheader]] as [TemplateKind, string][]) : []),
    ['html', t.html],
    ['text', t.text],
    ['landing', t.landing],
    ...Object.values(t.social).map((path): [TemplateKind, string] => ['social', path]),
  ];
};

const checkAssets = async (
  files: KitFiles,
  referenced: Map<string, { file: string; line?: number | undefined }>,
  problems: Problem[],
) => {
  const assets = new Map<string, { bytes: Buffer; contentType: string }>();
  for (const [path, bytes] of files) {
    if (!path.startsWith('assets/')) continue;
    const name = path.slice('assets/'.length);
    const type = await fileTypeFromBuffer(bytes);
    if (!type || !ASSET_TYPES.has(type.mime)) {
      problems.push(
        error(
          'asset-not-image',
          path,
          `not a PNG, JPEG or GIF image by its content${type ? ` (it is ${type.mime})` : ''}`,
        ),
      );
      continue;
    }
    if (bytes.length > ASSET_BYTES)
      problems.push(
        error('asset-too-large', path, `${Math.round(bytes.length / 1024)} KB; images may be at most 1 MB`),
      );
    const extension = name.split('.').pop()?.toLowerCase();
    const expected = type.ext === 'jpg' ? ['jpg', 'jpeg'] : [type.ext];
    if (!extension || !expected.includes(extension))
      problems.push(warning('asset-extension', path, `the file is ${type.mime} but named .${extension}`));
    assets.set(name, { bytes, contentType: type.mime });
    if (!referenced.has(name)) problems.push(warning('asset-unused', path, 'no template uses this image'));
  }
  for (const [name, where] of referenced) {
    if (!files.has(`assets/${name}`))
      problems.push(
        error('asset-missing', where.file, `{{asset "${name}"}}: there is no assets/${name}`, where.line),
      );
  }
  return assets;
};

const checkRendered = (rendered: RenderedKit, manifest: KitManifest, problems: Problem[]) => {
  const t = manifest.templates;
  const htmlBytes = Buffer.byteLength(rendered.html);
  if (htmlBytes > GMAIL_CLIP_BYTES) {
    problems.push(
      error(
        'email-too-large',
        t.html,
        `renders to ${(htmlBytes / 1024).toFixed(1)} KB with the defaults; Gmail clips past 102 KB, hiding the unsubscribe link`,
      ),
    );
  } else if (htmlBytes > 80 * 1024) {
    problems.push(
      warning(
        'email-near-clip',
        t.html,
        `renders to ${(htmlBytes / 1024).toFixed(1)} KB; Gmail clips at 102 KB`,
      ),
    );
  }
  const stats = linkAndTextStats(rendered.html);
  if (!stats.hrefs.includes(MARKERS.unsubscribe)) {
    problems.push(
      error(
        'email-no-unsubscribe-link',
        t.html,
        'the HTML email needs a visible link: <a href="{{unsubscribe_url}}">Unsubscribe</a>',
      ),
    );
  }
  if (stats.images > 0 && stats.textLength / stats.images < 150) {
    problems.push(
      warning(
        'email-image-heavy',
        t.html,
        `${stats.images} images for ${stats.textLength} characters of text: image-heavy mail is a spam signal`,
      ),
    );
  }
  if (!rendered.text.includes(MARKERS.unsubscribe)) {
    problems.push(error('text-no-unsubscribe-link', t.text, 'the text email needs {{unsubscribe_url}}'));
  }
  if (!rendered.subject)
    problems.push(error('subject-empty', t.subject, 'the subject renders empty with the defaults'));
  else if (rendered.subject.length > 78)
    problems.push(
      warning(
        'subject-long',
        t.subject,
        `the subject is ${rendered.subject.length} characters; inboxes show about 60`,
      ),
    );
  const controls = new Set(formControlNames(rendered.landing));
  for (const field of manifest.landing.form.fields) {
    if (!controls.has(field.name))
      problems.push(
        error(
          'landing-form-field',
          t.landing,
          `the landing page form lacks the declared field ${field.name}`,
        ),
      );
  }
  return { htmlBytes, textBytes: Buffer.byteLength(rendered.text), subject: rendered.subject };
};

/**
 * The validation report marketing sees at upload: every problem with file and line. A kit
 * with errors cannot be published; warnings can.
 */
export const validateKit = async (files: KitFiles): Promise<{ report: ValidationReport; kit?: ValidKit }> => {
  const problems: Problem[] = [];
  const finish = (extra: Partial<ValidationReport> = {}): ValidationReport => {
    const errors = problems.filter((p) => p.severity === 'error');
    return {
      ok: errors.length === 0,
      errors,
      warnings: problems.filter((p) => p.severity === 'warning'),
      ...extra,
    };
  };
  const read = readManifest(files, problems);
  if (!read) return { report: finish() };
  const { manifest } = read;
  // The manifest line where a value first appears, for problems about a declared slot or path.
  const manifestText = files.get(read.file)?.toString('utf8') ?? '';
  const manifestLine = (value: string) => {
    const at = manifestText.indexOf(value);
    return at < 0 ? undefined : manifestText.slice(0, at).split('\n').length;
  };

  const sources = new Map<string, string>();
  const usages: { kind: TemplateKind; path: string; usage: TemplateUsage }[] = [];
  for (const [kind, path] of templateEntries(manifest)) {
    const bytes = files.get(path);
    if (!bytes) {
      problems.push(
        error(
          'template-missing',
          read.file,
          `templates name ${path}, which is not in the kit`,
          manifestLine(path),
        ),
      );
      continue;
    }
    const source = bytes.toString('utf8');
    sources.set(path, source);
    const usage = checkTemplate(source, path, kind, manifest);
    problems.push(...usage.problems);
    usages.push({ kind, path, usage });
    if (kind === 'html') problems.push(...checkEmailHtml(source, path));
    if (kind === 'landing') {
      problems.push(...checkLandingHtml(source, path));
      const forms = source.match(/\{\{\s*lead_form\s*\}\}/g)?.length ?? 0;
      if (forms !== 1)
        problems.push(
          error(
            'landing-lead-form',
            path,
            `the landing page must contain {{lead_form}} exactly once (found ${forms})`,
          ),
        );
    }
    if ((kind === 'subject' || kind === 'preheader') && source.trim().includes('\n')) {
      problems.push(error('template-multiline', path, `the ${kind} must be one line`));
    }
  }
  const consent = checkTemplate(
    manifest.landing.form.consentText,
    `${read.file} (landing.form.consentText)`,
    'consent',
    manifest,
  );
  problems.push(...consent.problems);
  if (!manifest.templates.preheader)
    problems.push(
      warning(
        'no-preheader',
        read.file,
        'no preheader: inboxes will show the first words of the body instead',
      ),
    );

  for (const kind of ['html', 'text'] as const) {
    const found = usages.find((u) => u.kind === kind);
    if (!found) continue;
    for (const name of ['unsubscribe_url', 'postal_address']) {
      if (!found.usage.names.has(name)) {
        problems.push(
          error(
            `email-no-${name.replace('_', '-')}`,
            found.path,
            `the ${kind} email must use {{${name}}} (CAN-SPAM, RFC 8058)`,
          ),
        );
      }
    }
  }
  const used = new Set(usages.flatMap((u) => [...u.usage.slots]).concat([...consent.slots]));
  for (const slot of manifest.slots) {
    if (used.has(slot.key)) continue;
    const line = manifestLine(slot.key);
    if (slot.required)
      problems.push(
        error('slot-unused', read.file, `the required slot ${slot.key} is not used by any template`, line),
      );
    else
      problems.push(
        warning('slot-unused', read.file, `the slot ${slot.key} is not used by any template`, line),
      );
  }
  const referenced = new Map<string, { file: string; line?: number | undefined }>();
  for (const { path, usage } of usages)
    for (const [name, at] of usage.assets) referenced.set(name, { file: path, line: at.line });
  const assets = await checkAssets(files, referenced, problems);
  const known = new Set([read.file, ...sources.keys()]);
  for (const path of files.keys()) {
    if (!known.has(path) && !path.startsWith('assets/') && !/^(README|LICENSE)/i.test(path)) {
      problems.push(warning('unexpected-file', path, 'not referenced by the manifest; it will be ignored'));
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { report: finish({ manifest }) };

  let compiled: CompiledKit;
  let rendered: RenderedKit;
  try {
    compiled = compileKit(manifest, sources);
    rendered = renderKit(compiled, sampleRenderInput(manifest));
  } catch (e) {
    problems.push(
      error(
        'template-render',
        read.file,
        `rendering with the defaults failed: ${e instanceof Error ? e.message : String(e)}`,
      ),
    );
    return { report: finish({ manifest }) };
  }
  const measured = checkRendered(rendered, manifest, problems);
  const report = finish({ manifest, measured });
  return report.ok ? { report, kit: { report, manifest, compiled, sources, assets } } : { report };
};
