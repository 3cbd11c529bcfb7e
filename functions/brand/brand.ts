import { createHash } from 'node:crypto';
import type { Principal } from '#functions/auth/principal';
import { partnerIdInScope } from '#functions/auth/tenancy';
import { type BlobStore, publicUrl } from '#platform/blobs';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  ValidationError,
} from '#platform/errors';
import { contrastWarnings } from './contrast';
import type { Brand, BrandInput } from './schema';
import type { BrandStore } from './store';

export interface BrandDeps {
  brands: BrandStore;
  clock: () => Date;
  blobs: BlobStore;
  /** The public origin logos are served from (CloudFront in AWS): logo URLs must be on it. */
  publicBaseUrl: string;
}

/** A partner's brand profile as the caller may see it (partner users: only their own). */
export const getBrand = async (
  { brands }: BrandDeps,
  principal: Principal,
  partnerId: string,
): Promise<Brand> => {
  const brand = await brands.get(partnerIdInScope(principal, partnerId));
  if (!brand) throw new NotFoundError('no brand profile yet');
  return brand;
};

/** Where a partner's logos live in the blob store (public: email clients fetch them). */
export const logoFolder = (partnerId: string) => `assets/brands/${partnerId}/`;

/** Content-addressed, so a stored logo never changes and can be cached for a year. */
export const logoKey = (partnerId: string, bytes: Uint8Array, ext: string) =>
  `${logoFolder(partnerId)}logo-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${ext}`;

/** The public URL of a stored logo, in the canonical form a profile keeps. */
export const logoUrlOf = (publicBaseUrl: string, key: string) => new URL(publicUrl(publicBaseUrl, key)).href;

const LOGO_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * A profile's logo is one of the partner's own stored logos or none: never another partner's
 * asset, nor an arbitrary (tracking) URL that every recipient's mail client would fetch.
 */
export const isOwnLogoUrl = (publicBaseUrl: string, partnerId: string, logoUrl: string): boolean => {
  let url: URL;
  try {
    url = new URL(logoUrl);
  } catch {
    return false;
  }
  const folder = logoUrlOf(publicBaseUrl, logoFolder(partnerId));
  // Only the canonical form: no `..` segments, userinfo, query or fragment to play with.
  if (url.href !== logoUrl || !logoUrl.startsWith(folder) || url.search !== '' || url.hash !== '')
    return false;
  const file = logoUrl.slice(folder.length);
  return LOGO_FILE.test(file) && !file.includes('..');
};

const checkLogoUrl = (deps: BrandDeps, partnerId: string, logoUrl: string | null) => {
  if (logoUrl === null || isOwnLogoUrl(deps.publicBaseUrl, partnerId, logoUrl)) return;
  const message = `upload the logo (POST /api/brand/logo) and use the URL it answers, under ${logoUrlOf(deps.publicBaseUrl, logoFolder(partnerId))}, or null`;
  throw new ValidationError(message, [{ path: 'body.logoUrl', message }]);
};

/**
 * Creates or replaces the caller's brand profile. Replacing needs the version read before
 * (If-Match), so two editors cannot silently overwrite each other.
 */
export const saveBrand = async (
  deps: BrandDeps,
  partnerId: string,
  input: BrandInput,
  expectedVersion: number | undefined,
) => {
  const { brands, clock } = deps;
  checkLogoUrl(deps, partnerId, input.logoUrl);
  const current = await brands.get(partnerId);
  const updatedAt = clock().toISOString();
  let brand: Brand;
  if (!current) {
    brand = { ...input, updatedAt, version: 1 };
    await brands.create(partnerId, brand);
  } else {
    if (expectedVersion === undefined)
      throw new PreconditionRequiredError('send If-Match with the ETag you read');
    brand = await brands.replace(partnerId, expectedVersion, { ...input, updatedAt });
  }
  return { brand, warnings: contrastWarnings(brand) };
};

/**
 * Points the profile at a logo (or none), touching only `logoUrl`: it writes at the version it
 * just read and, when another edit got in between, reads again and retries. So a concurrent
 * profile edit is never lost, and that editor's stale If-Match answers 412 instead of putting
 * the old logo back. Undefined when there is no profile yet.
 */
export const setLogo = async (
  { brands, clock }: BrandDeps,
  partnerId: string,
  logoUrl: string | null,
): Promise<Brand | undefined> => {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await brands.get(partnerId);
    if (!current) return undefined;
    if (current.logoUrl === logoUrl) return current;
    try {
      return await brands.setLogo(partnerId, current.version, logoUrl, clock().toISOString());
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
  }
  throw new ConflictError('the brand profile kept changing while the logo was set; try again');
};

/**
 * Stores an uploaded logo that passed the content checks, content-addressed in the partner's
 * public folder, and shows it on the profile. Without a profile yet, the logo is stored and
 * its URL answered, for the profile the partner is about to create (PUT /api/brand).
 * Earlier logos stay stored: emails already sent still show them.
 */
export const uploadLogo = async (
  deps: BrandDeps,
  partnerId: string,
  bytes: Uint8Array,
  contentTypeHeader: string | undefined,
) => {
  // Loaded on the first upload only: the image-sniffing code is not needed by other requests.
  const { checkLogo } = await import('./logo');
  const logo = await checkLogo(bytes, contentTypeHeader);
  const key = logoKey(partnerId, bytes, logo.ext);
  await deps.blobs.put(key, bytes, logo.contentType);
  const logoUrl = logoUrlOf(deps.publicBaseUrl, key);
  const brand = await setLogo(deps, partnerId, logoUrl);
  return {
    logoUrl,
    contentType: logo.contentType,
    width: logo.width,
    height: logo.height,
    bytes: bytes.byteLength,
    brand: brand ?? null,
  };
};

/** Takes the logo off the profile (the stored file stays: emails already sent show it). */
export const removeLogo = async (deps: BrandDeps, partnerId: string): Promise<Brand> => {
  const brand = await setLogo(deps, partnerId, null);
  if (!brand) throw new NotFoundError('no brand profile yet');
  return brand;
};
