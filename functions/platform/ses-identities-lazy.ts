import type { DomainIdentities } from '#functions/sending-domains/ports';
import type { SesIdentitiesOptions } from './ses-identities';

/**
 * The SES identity adapter with the SES client module loaded on first use: only the sending
 * domain routes need it, so an API cold start does not evaluate the client (as blobs-s3-lazy).
 */
export const lazySesIdentities = (
  client: { region: string; endpoint?: string | undefined },
  options: SesIdentitiesOptions = {},
): DomainIdentities => {
  let adapter: Promise<DomainIdentities> | undefined;
  const load = () => {
    adapter ??= Promise.all([import('./ses-mailer'), import('./ses-identities')]).then(
      ([{ createSesClient }, { sesIdentities }]) => sesIdentities(createSesClient(client), options),
    );
    return adapter;
  };
  return {
    createDomainIdentity: async (domain, owner) => (await load()).createDomainIdentity(domain, owner),
    getIdentityStatus: async (domain) => (await load()).getIdentityStatus(domain),
    deleteIdentity: async (domain) => (await load()).deleteIdentity(domain),
  };
};
