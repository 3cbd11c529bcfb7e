import { hkdfSync } from 'node:crypto';
import type { AccountKeys } from './account-keys';
import type { EmailClasses } from './email-classes';
import type { FindAccountMatches } from './eql';
import type { PublishLeadEvent } from './lead-events';

/** What leads take from outside the table: built by wiring.ts for the Lambda and the runtime. */
export interface LeadPorts {
  publish: PublishLeadEvent;
  /** Signs the landing form's render time (derived from the tracking secret). */
  formKey: string;
  emailClasses: () => Promise<EmailClasses>;
  accountKeys: AccountKeys;
  findMatches: FindAccountMatches;
}

/** The landing form's signing key, derived from the tracking secret (its own HKDF label). */
export const leadFormKey = (trackingSecret: string): string =>
  Buffer.from(hkdfSync('sha256', trackingSecret, 'channelkit', 'lead-form/v1', 32)).toString('base64url');
