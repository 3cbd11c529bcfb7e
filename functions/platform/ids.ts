import { monotonicFactory } from 'ulidx';

/** ULIDs: sortable by creation time, safe in keys and URLs. */
export const newId: () => string = monotonicFactory();
