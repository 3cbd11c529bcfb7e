import { createContext, useContext } from 'react';
import type { Me } from './api/types.ts';

/** Who is signed in, as `/api/me` describes them; provided by the signed-in shell. */
export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (me === null) throw new Error('useMe must be used inside a signed-in page');
  return me;
}
