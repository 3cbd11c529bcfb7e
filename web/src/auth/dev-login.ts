// The embedded runtime's dev login (not present in AWS): pick a demo user, get a token.
import { z } from 'zod';
import { getPublicJson } from './config.ts';
import type { Session } from './session.ts';

const DevUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['marketing', 'partner', 'auditor']),
  partnerId: z.string().nullable(),
  partnerName: z.string().nullable(),
});

export type DevUser = z.infer<typeof DevUserSchema>;

const DevUsersSchema = z.object({ users: z.array(DevUserSchema) });

const DevTokenSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
});

export async function listDevUsers(signal?: AbortSignal): Promise<DevUser[]> {
  const body = await getPublicJson('/dev/users', DevUsersSchema, { signal: signal ?? null });
  return body.users;
}

export async function devLogin(userId: string): Promise<Session> {
  return getPublicJson('/dev/login', DevTokenSchema, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
}
