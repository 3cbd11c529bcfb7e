import type { EmailHeader } from './mailer';

/**
 * Message headers built by pure functions with exact-output tests (Dittofeed's
 * `constructUnsubscribeHeaders`). Nothing from a partner, a kit or a recipient reaches a header
 * without passing `headerValue`, which refuses CR, LF and every other control character, so no
 * value can start a header of its own (header injection).
 */
export class HeaderInjectionError extends Error {
  override name = 'HeaderInjectionError';
}

/** C0 controls (CR, LF, TAB, NUL…), DEL, C1 controls, and Unicode line/paragraph separators. */
export const isControl = (code: number): boolean =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

export const headerValue = (field: string, value: string): string => {
  for (let i = 0; i < value.length; i += 1) {
    if (isControl(value.charCodeAt(i)))
      throw new HeaderInjectionError(`${field} contains a control character`);
  }
  return value;
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** An ASCII addr-spec with a dot-atom local part: all SES accepts without SMTPUTF8. */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const isPlainAddress = (address: string): boolean =>
  address.length <= 254 && ADDRESS.test(address) && (address.split('@')[0]?.length ?? 0) <= 64;

export const addressValue = (field: string, address: string): string => {
  headerValue(field, address);
  if (!isPlainAddress(address)) throw new HeaderInjectionError(`${field} is not a plain email address`);
  return address;
};

/** Longest UTF-8 chunk whose base64 fits an encoded-word of ≤ 75 chars (`=?UTF-8?B?` + 60 + `?=`). */
const MAX_CHUNK_BYTES = 45;

/** RFC 2047 `B` encoded-words, split between characters (never inside a UTF-8 sequence). */
export const encodedWords = (text: string): string => {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > MAX_CHUNK_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
};

/**
 * A display name as RFC 5322 allows it in a From or Reply-To: an ASCII name as a quoted-string
 * (`\` and `"` escaped), anything else as RFC 2047 encoded-words (SES asks for this).
 */
export const displayName = (name: string): string => {
  headerValue('display name', name);
  const trimmed = name.trim().replace(/ {2,}/g, ' ');
  if (PRINTABLE_ASCII.test(trimmed)) return `"${trimmed.replace(/["\\]/g, '\\$&')}"`;
  return encodedWords(trimmed);
};

/**
 * `"Partner Name via Vendor" <local@mail.vendor.example>`: the partner on whose behalf, the vendor
 * that sends. Without a vendor name (the partner's own verified domain): `"Partner Name" <news@partner.example>`.
 */
export const fromHeader = (sender: {
  partnerName: string;
  vendorName?: string | undefined;
  address: string;
}): string =>
  `${displayName(sender.vendorName === undefined ? sender.partnerName : `${sender.partnerName} via ${sender.vendorName}`)} <${addressValue('From', sender.address)}>`;

const isLoopback = (host: string) => ['localhost', '127.0.0.1', '[::1]'].includes(host);

/**
 * RFC 8058 one-click unsubscribe: exactly one HTTPS URI (plain http only on loopback, for the
 * embedded runtime) and a mailto fallback. The token rides in the mailto's `subject`, not in the
 * local part: a signed token is longer than the 64 octets RFC 5321 allows a local part.
 */
export const listUnsubscribeHeaders = (input: {
  url: string;
  mailtoAddress: string;
  token: string;
}): EmailHeader[] => {
  const url = new URL(headerValue('List-Unsubscribe URL', input.url));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new HeaderInjectionError('the List-Unsubscribe URL must be https');
  }
  if (!/^[A-Za-z0-9._~-]+$/.test(input.token)) throw new HeaderInjectionError('the token is not URL-safe');
  const mailto = `mailto:${addressValue('List-Unsubscribe mailto', input.mailtoAddress)}?subject=unsubscribe-${input.token}`;
  return [
    { name: 'List-Unsubscribe', value: `<${url.href}>, <${mailto}>` },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ];
};
