import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard of CRM webhooks. A marketer types the URL, and the platform then POSTs lead data
 * to it from inside AWS, so it must never reach what only the platform can reach: loopback (the
 * Lambda runtime API listens there), link-local (instance metadata), private and other reserved
 * ranges. Checked twice: when the URL is saved (its form: https, no credentials, no internal name,
 * no reserved IP literal) and when each attempt connects (every address the name resolves to, in
 * the socket's own lookup, so a name that re-resolves to 127.0.0.1 later is refused as well).
 *
 * `allowLoopbackHttp` is the embedded runtime's explicit flag for testing against a CRM on this
 * machine: http or https to 127.0.0.1, ::1 or localhost. Never set in AWS.
 */
export interface UrlPolicy {
  allowLoopbackHttp: boolean;
}

export const AWS_URL_POLICY: UrlPolicy = { allowLoopbackHttp: false };

const reserved = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  reserved.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID…)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: an IPv4 address in disguise
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  reserved.addSubnet(network, prefix, 'ipv6');
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const familyOf = (address: string): 'ipv4' | 'ipv6' | undefined => {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
};

/** A public unicast address: none of the reserved ranges above (IPv4-mapped IPv6 included). */
export const isPublicAddress = (address: string): boolean => {
  const family = familyOf(address);
  return family !== undefined && !reserved.check(address, family);
};

export const isLoopbackAddress = (address: string): boolean => {
  const family = familyOf(address);
  return family !== undefined && loopback.check(address, family);
};

const allowedAddress = (address: string, policy: UrlPolicy): boolean =>
  isPublicAddress(address) || (policy.allowLoopbackHttp && isLoopbackAddress(address));

/** Names that only mean something inside a network. */
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa', '.intranet'];
const isInternalName = (host: string): boolean =>
  host === 'localhost' || !host.includes('.') || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix));

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** The URL's form, as saved and before every attempt. */
export const checkWebhookUrl = (raw: string, policy: UrlPolicy): UrlCheck => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'credentials in the URL are not allowed; the signature authenticates us' };
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const local = policy.allowLoopbackHttp && LOOPBACK_NAMES.has(host);
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    return { ok: false, reason: 'the URL must use https' };
  }
  if (local) return { ok: true, url };
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(literal) !== 0) {
    return isPublicAddress(literal)
      ? { ok: true, url }
      : { ok: false, reason: `${literal} is a private, loopback or reserved address` };
  }
  if (isInternalName(host)) return { ok: false, reason: `${host} is not a public host name` };
  return { ok: true, url };
};

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'ERR_WEBHOOK_REFUSED_ADDRESS';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** The part of `dns.lookup` the guard uses: every address of a name. */
export type Resolver = (
  hostname: string,
  options: { all: true; verbatim: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for `http.request`: resolves every address of the name and refuses the connection
 * unless all are allowed, so DNS cannot point an accepted name at an internal address.
 */
export const guardedLookup =
  (policy: UrlPolicy, resolve: Resolver = dnsLookup) =>
  (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((a) => !allowedAddress(a.address, policy));
      if (refused || addresses.length === 0) {
        const what = refused ? `${refused.address}, a private, loopback or reserved address` : 'nothing';
        return callback(new RefusedAddressError(`${hostname} resolves to ${what}`), []);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return callback(null, first?.address ?? '', first?.family);
    });
  };
