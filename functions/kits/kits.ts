import { createHash } from 'node:crypto';
import type { Principal } from '#functions/auth/principal';
import { brandValues } from '#functions/brand/brand-values';
import type { BrandStore } from '#functions/brand/store';
import { tiers } from '#functions/partners/schema';
import type { PartnerStore } from '#functions/partners/store';
import { type BlobStore, publicUrl } from '#platform/blobs';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#platform/errors';
import type { CompileCache } from './compile-cache';
import { sortableVersion } from './keys';
import { renderKit } from './render';
import { sampleBrand, sampleRecipient } from './sample-values';
import type { KitHead, KitVersion, LibraryQuery, LibrarySummary } from './schema';
import { resolveSlotValues } from './slot-values';
import type { KitStore } from './store';

export interface KitDeps {
  kits: KitStore;
  blobs: BlobStore;
  partners: PartnerStore;
  brands: BrandStore;
  compiled: CompileCache;
  clock: () => Date;
  /** The public origin kit assets and landing pages are served from. */
  publicBaseUrl: string;
  vendor: { name: string; website: string };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A problem report that could not become a stored draft (no readable manifest): 422 with it. */
export class KitRejectedError extends ValidationError {
  constructor(readonly report: KitVersion['report']) {
    super('the kit cannot be read; see the report', [], { report });
  }
}

const assetKey = (kitId: string, semver: string, name: string) => `assets/kits/${kitId}/${semver}/${name}`;

/**
 * Upload: read the archive safely, validate it, and store it as a draft version with its
 * report (errors included: a draft with errors is kept so marketing can see why, but cannot
 * be published). A published or retired version is immutable: bump the version instead.
 */
export const uploadKit = async (deps: KitDeps, principal: Principal, zip: Uint8Array) => {
  // Loaded on the first upload only: the zip, YAML, HTML and image-sniffing code is a third of
  // the bundle and no other request needs it, so cold starts don't evaluate it.
  const [{ ArchiveError, readKitZip }, { validateKit }] = await Promise.all([
    import('./archive'),
    import('./validate'),
  ]);
  let files: Awaited<ReturnType<typeof readKitZip>>;
  try {
    files = await readKitZip(Buffer.from(zip));
  } catch (error) {
    if (error instanceof ArchiveError)
      throw new KitRejectedError({ ok: false, errors: [error.problem], warnings: [] });
    throw error;
  }
  const { report, kit } = await validateKit(files);
  const manifest = report.manifest;
  const stored: KitVersion['report'] = {
    ok: report.ok,
    errors: report.errors,
    warnings: report.warnings,
    ...(report.measured ? { measured: report.measured } : {}),
  };
  if (!manifest) throw new KitRejectedError(stored);

  const existing = await deps.kits.getVersion(manifest.id, manifest.version);
  if (existing && existing.status !== 'draft') {
    throw new ConflictError(
      `${manifest.id}@${manifest.version} is ${existing.status} and immutable: upload it as a new version`,
    );
  }
  const archiveKey = `kits/${manifest.id}/${manifest.version}/kit-${sha256(zip).slice(0, 16)}.zip`;
  await deps.blobs.put(archiveKey, zip, 'application/zip');
  const assets: KitVersion['assets'] = [];
  for (const [name, asset] of kit?.assets ?? []) {
    const key = assetKey(manifest.id, manifest.version, name);
    await deps.blobs.put(key, asset.bytes, asset.contentType);
    assets.push({
      name,
      contentType: asset.contentType,
      bytes: asset.bytes.length,
      sha256: sha256(asset.bytes),
      url: publicUrl(deps.publicBaseUrl, key),
    });
  }
  const templates = Object.fromEntries(
    [...files]
      .filter(([path]) => path.endsWith('.hbs'))
      .map(([path, bytes]) => [path, bytes.toString('utf8')]),
  );
  const now = deps.clock().toISOString();
  const version: KitVersion = {
    kitId: manifest.id,
    semver: manifest.version,
    status: 'draft',
    manifest,
    templates,
    assets,
    report: stored,
    archive: { key: archiveKey, sha256: sha256(zip), bytes: zip.length },
    uploadedAt: now,
    uploadedBy: principal.email,
    version: existing ? existing.version + 1 : 1,
  };
  await deps.kits.putDraft(version, existing);
  await refreshLibrary(deps, manifest.id);
  return version;
};

const summaryOf = (kit: KitVersion): LibrarySummary => ({
  id: kit.kitId,
  version: kit.semver,
  name: kit.manifest.name,
  summary: kit.manifest.summary,
  objective: kit.manifest.objective,
  products: kit.manifest.tags.products,
  verticals: kit.manifest.tags.verticals,
  regions: kit.manifest.tags.regions,
  language: kit.manifest.tags.language,
  tiers: kit.manifest.eligibility.tiers,
  mdfEligible: kit.manifest.mdf.eligible,
  suggestedBudget: kit.manifest.mdf.suggestedBudget ?? null,
  approvalRequired: kit.manifest.approvalRequired,
  heroUrl: kit.assets.find((a) => /^hero\./.test(a.name))?.url ?? kit.assets[0]?.url ?? null,
  publishedAt: kit.publishedAt ?? kit.uploadedAt,
});

const newest = (versions: KitVersion[]) =>
  [...versions].sort((a, b) => sortableVersion(b.semver).localeCompare(sortableVersion(a.semver)))[0];

/**
 * The library shows a kit's highest published version: a new version supersedes the old one,
 * retiring it falls back to the next published one (or hides the kit).
 */
export const refreshLibrary = async (deps: KitDeps, kitId: string): Promise<void> => {
  const versions = await deps.kits.versions(kitId);
  const latest = newest(versions);
  if (!latest) return;
  const current = newest(versions.filter((v) => v.status === 'published'));
  const library = current ? summaryOf(current) : undefined;
  const stale = tiers.filter((tier) => !library?.tiers.includes(tier));
  const head: KitHead = {
    id: kitId,
    name: (current ?? latest).manifest.name,
    latestVersion: latest.semver,
    latestStatus: latest.status,
    publishedVersion: current?.semver ?? null,
    updatedAt: deps.clock().toISOString(),
  };
  await deps.kits.writeHeadAndLibrary(head, library, stale);
};

const requireVersion = async (deps: KitDeps, kitId: string, version: string) => {
  const kit = await deps.kits.getVersion(kitId, version);
  if (!kit) throw new NotFoundError(`no version ${version} of kit ${kitId}`);
  return kit;
};

export const publishKit = async (deps: KitDeps, kitId: string, version: string) => {
  const kit = await requireVersion(deps, kitId, version);
  if (kit.status === 'published') return kit;
  if (kit.status !== 'draft')
    throw new ConflictError(`${kitId}@${version} is ${kit.status}; only a draft can be published`);
  if (!kit.report.ok)
    throw new ConflictError(
      `${kitId}@${version} has ${kit.report.errors.length} validation error(s); fix them and upload again`,
    );
  const published = await deps.kits.setStatus(kit, {
    status: 'published',
    publishedAt: deps.clock().toISOString(),
  });
  await refreshLibrary(deps, kitId);
  return published;
};

export const retireKit = async (deps: KitDeps, kitId: string, version: string) => {
  const kit = await requireVersion(deps, kitId, version);
  if (kit.status === 'retired') return kit;
  if (kit.status !== 'published')
    throw new ConflictError(`${kitId}@${version} is a draft; only published versions are retired`);
  const retired = await deps.kits.setStatus(kit, {
    status: 'retired',
    retiredAt: deps.clock().toISOString(),
  });
  await refreshLibrary(deps, kitId);
  return retired;
};

export const getKitVersion = requireVersion;

/** The calling partner's tier and region: the library is scoped by them, from the token's partner. */
const partnerOf = async (deps: KitDeps, principal: Principal) => {
  if (principal.role !== 'partner') throw new ForbiddenError('the library is for partner users');
  const partner = await deps.partners.get(principal.partnerId);
  if (!partner) throw new NotFoundError('your partner record is missing');
  return partner;
};

const matches = (kit: LibrarySummary, query: LibraryQuery) => {
  const q = query.q?.toLowerCase();
  return (
    (!q || `${kit.name} ${kit.summary}`.toLowerCase().includes(q)) &&
    (!query.language || kit.language === query.language || kit.language.startsWith(`${query.language}-`)) &&
    (!query.product || kit.products.includes(query.product)) &&
    (!query.vertical || kit.verticals.includes(query.vertical)) &&
    (!query.objective || kit.objective === query.objective)
  );
};

/** Kits the partner is eligible for (its tier and region), filtered by tags, language and text. */
export const library = async (deps: KitDeps, principal: Principal, query: LibraryQuery) => {
  const partner = await partnerOf(deps, principal);
  const eligible = (await deps.kits.library(partner.tier)).filter((kit) =>
    kit.regions.includes(partner.region),
  );
  return { items: eligible.filter((kit) => matches(kit, query)), facets: facetsOf(eligible) };
};

const facetsOf = (kits: LibrarySummary[]) => ({
  languages: [...new Set(kits.map((k) => k.language))].sort(),
  products: [...new Set(kits.flatMap((k) => k.products))].sort(),
  verticals: [...new Set(kits.flatMap((k) => k.verticals))].sort(),
  objectives: [...new Set(kits.map((k) => k.objective))].sort(),
});

/** The partner's view of one kit; a kit it is not eligible for answers 404, as if absent. */
export const libraryKit = async (deps: KitDeps, principal: Principal) => {
  const partner = await partnerOf(deps, principal);
  return async (kitId: string) => {
    const entry = await deps.kits.libraryEntry(kitId, partner.tier);
    if (!entry?.regions.includes(partner.region)) throw new NotFoundError('not found');
    const kit = await requireVersion(deps, kitId, entry.version);
    return { partner, entry, kit };
  };
};

export const libraryKitDetail = async (deps: KitDeps, principal: Principal, kitId: string) => {
  const { entry, kit } = await (await libraryKit(deps, principal))(kitId);
  return { ...entry, slots: kit.manifest.slots, formFields: kit.manifest.landing.form.fields };
};

const assetUrlFor = (deps: KitDeps, kit: KitVersion) => (name: string) =>
  kit.assets.find((a) => a.name === name)?.url ??
  publicUrl(deps.publicBaseUrl, assetKey(kit.kitId, kit.semver, name));

const render = (
  deps: KitDeps,
  kit: KitVersion,
  slots: Record<string, string>,
  brand: Parameters<typeof renderKit>[1]['brand'],
) => {
  const compiled = deps.compiled.get(kit);
  const base = deps.publicBaseUrl.replace(/\/$/, '');
  const rendered = renderKit(compiled, {
    slots,
    brand,
    vendor: deps.vendor,
    recipient: sampleRecipient,
    unsubscribeUrl: `${base}/u/preview`,
    landingUrl: `${base}/p/preview`,
    // Previews link straight to the targets; sends rewrite them into signed tracking links.
    trackLink: (url) => url,
    assetUrl: assetUrlFor(deps, kit),
    formAction: `${base}/p/preview`,
  });
  return { kitId: kit.kitId, version: kit.semver, ...rendered, slots };
};

/** Preview for the calling partner's brand with the given slot values (validated per field). */
export const previewForPartner = async (
  deps: KitDeps,
  principal: Principal,
  kitId: string,
  input: Record<string, string>,
) => {
  const { partner, kit } = await (await libraryKit(deps, principal))(kitId);
  const slots = resolveSlotValues(kit.manifest, input, { forPreview: true });
  return render(deps, kit, slots, brandValues(partner, await deps.brands.get(partner.id)));
};

/** A "Partner logo" placeholder for marketing's previews: no partner brand applies there. */
const PLACEHOLDER_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="56"><rect width="200" height="56" rx="8" fill="#e5e7eb"/><text x="100" y="35" font-family="Arial,sans-serif" font-size="16" fill="#4b5563" text-anchor="middle">Partner logo</text></svg>',
)}`;

/** Marketing's preview of any version (drafts included) with a sample partner brand. */
export const previewForMarketing = async (
  deps: KitDeps,
  kitId: string,
  version: string,
  input: Record<string, string>,
) => {
  const kit = await requireVersion(deps, kitId, version);
  if (!kit.report.ok)
    throw new ConflictError('a kit with validation errors cannot be previewed; see its report');
  const slots = resolveSlotValues(kit.manifest, input, { forPreview: true });
  return render(deps, kit, slots, { ...sampleBrand, logo_url: PLACEHOLDER_LOGO });
};
