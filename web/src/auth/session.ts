import { z } from 'zod';

const SESSION_KEY = 'channelkit.session';
const RETURN_TO_KEY = 'channelkit.returnTo';

const SessionSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
});

export type Session = z.infer<typeof SessionSchema>;

/** The stored session, or null when there is none or it has expired. */
export function readSession(now = Date.now()): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  const parsed = SessionSchema.safeParse(value);
  if (!parsed.success || Date.parse(parsed.data.expiresAt) <= now) {
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }
  return parsed.data;
}

export function writeSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Remembers where a signed-out user was heading, so login can take them back there. */
export function rememberReturnTo(path: string): void {
  if (path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/login')) {
    sessionStorage.setItem(RETURN_TO_KEY, path);
  }
}

export function takeReturnTo(): string {
  const path = sessionStorage.getItem(RETURN_TO_KEY);
  sessionStorage.removeItem(RETURN_TO_KEY);
  return path?.startsWith('/') && !path.startsWith('//') ? path : '/';
}
