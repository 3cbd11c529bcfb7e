import * as z from 'zod';
import type { Role } from '#functions/auth/principal';
import { roleSchema } from '#functions/auth/principal';
import { principalOf } from '#functions/http/env';
import { commonProblems, createRouter, secureRoute } from '#functions/http/router';
import { partnerSchema } from '#functions/partners/schema';
import type { PartnerStore } from '#functions/partners/store';
import type { Capability } from './capabilities';

const capabilitySchema = z.object({
  method: z.string(),
  path: z.string(),
  summary: z.string(),
  roles: z.array(roleSchema),
});

const meSchema = z
  .object({
    user: z.object({
      sub: z.string(),
      name: z.string(),
      email: z.string(),
      role: roleSchema,
      partnerId: z.string().nullable(),
    }),
    partner: partnerSchema.nullable(),
    capabilities: z.array(capabilitySchema),
  })
  .meta({ id: 'Me' });

export interface MeDeps {
  partners: PartnerStore;
  capabilities: (role: Role) => Capability[];
}

export const meRoutes = (deps: MeDeps) =>
  createRouter().openapi(
    secureRoute(['marketing', 'partner', 'auditor'], {
      method: 'get',
      path: '/me',
      tags: ['Session'],
      summary: 'Who I am, my partner, and what the API offers my role',
      responses: {
        200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } },
        ...commonProblems,
      },
    }),
    async (c) => {
      const { sub, name, email, role, partnerId } = principalOf(c);
      const partner = partnerId ? ((await deps.partners.get(partnerId)) ?? null) : null;
      return c.json(
        { user: { sub, name, email, role, partnerId }, partner, capabilities: deps.capabilities(role) },
        200,
      );
    },
  );
