// The one place the portal learns the API's shape (type-only: nothing from functions/ is bundled).
export type { AppType } from '../../../functions/app.ts';
