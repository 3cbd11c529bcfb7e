import { createRouter } from '#functions/http/router';
import { contactRoutesOnly } from './contact-routes';
import { type ContactDeps, contactFeature } from './deps';
import { listRoutes } from './list-routes';
import { suppressionRoutes } from './suppression-routes';

export { CONTACT_IMPORT_BYTES } from './contact-routes';
export type { ContactDeps } from './deps';

/** Contacts, imports, lists, exports and suppressions: mount with `.route('/api', contactRoutes(deps))`. */
export const contactRoutes = (deps: ContactDeps) => {
  const feature = contactFeature(deps);
  return createRouter()
    .route('/', contactRoutesOnly(feature))
    .route('/', listRoutes(feature))
    .route('/', suppressionRoutes(feature));
};
