import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SealedSecret } from './schema';

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key derived from the platform's root
 * secret (the tracking secret) through HKDF with its own label, so a leaked table holds no
 * usable secret and one secret is managed. The webhook's id is the additional data: a sealed
 * secret copied onto another webhook does not open. `kid` names the key for a later rotation.
 */
export interface SecretBox {
  seal(secret: string, webhookId: string): SealedSecret;
  open(sealed: SealedSecret, webhookId: string): string;
}

const KID = 'w1';

export const webhookSecretBox = (rootSecret: string): SecretBox => {
  if (rootSecret.length < 32) throw new Error('the root secret must be at least 32 characters');
  const key = Buffer.from(hkdfSync('sha256', rootSecret, 'channelkit', `webhook-secrets/${KID}`, 32));
  return {
    seal(secret, webhookId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(webhookId, 'utf8'));
      const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return {
        kid: KID,
        iv: iv.toString('base64url'),
        data: data.toString('base64url'),
        tag: cipher.getAuthTag().toString('base64url'),
      };
    },
    open(sealed, webhookId) {
      if (sealed.kid !== KID) throw new Error(`no key ${sealed.kid} for webhook secrets`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
      decipher.setAAD(Buffer.from(webhookId, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
};

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** What the API shows of a secret after creation: enough to tell two apart, nothing to sign with. */
export const secretHint = (secret: string): string => `whsec_…${secret.slice(-4)}`;
