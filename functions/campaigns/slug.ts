import { randomInt } from 'node:crypto';

/** Crockford-ish lower-case alphabet without look-alikes (no i, l, o, u). */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const SUFFIX_LENGTH = 6;
const MAX_BASE = 40;

/** Six random characters (32^6 ≈ 10^9): with the name, a collision is rare and simply retried. */
export const randomSuffix = (): string =>
  Array.from({ length: SUFFIX_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** The readable part of a slug: lower-case ASCII words from the name, joined by dashes. */
export const slugBase = (name: string): string => {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = words.slice(0, MAX_BASE).replace(/-+$/, '');
  return cut || 'campaign';
};

/**
 * A campaign's public landing-page slug (`/p/{slug}`): URL-safe, readable, unguessable
 * enough that slugs cannot be enumerated by name, e.g. `zero-trust-spring-7k2m9x`.
 */
export const campaignSlug = (name: string, suffix: () => string = randomSuffix): string =>
  `${slugBase(name)}-${suffix()}`;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
