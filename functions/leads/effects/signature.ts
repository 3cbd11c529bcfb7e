import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, Stripe's scheme: `ChannelKit-Signature: t=<unix seconds>,v1=<hex>` where
 * the hex is HMAC-SHA256(secret, `${t}.${body}`) over the exact bytes sent. The timestamp is
 * signed with the body, so a receiver that refuses old timestamps refuses replays; every attempt
 * is signed afresh. `ChannelKit-Delivery-Id` is the same across a delivery's retries.
 */
export const SIGNATURE_HEADER = 'ChannelKit-Signature';
export const DELIVERY_ID_HEADER = 'ChannelKit-Delivery-Id';

/** How old a signature a receiver should accept (what verifySignature defaults to). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const mac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

export const signatureHeader = (secret: string, body: string, at: Date): string => {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
};

/**
 * What a receiver does (and the portal documents): parse `t` and every `v1`, refuse a timestamp
 * outside the tolerance, compare in constant time.
 */
export const verifySignature = (
  secret: string,
  body: string,
  header: string,
  now: Date,
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): boolean => {
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isSafeInteger(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  return parts
    .filter(([name, value]) => name === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value))
    .some(([, value]) => timingSafeEqual(Buffer.from(value ?? '', 'hex'), expected));
};
