import { principalOf } from '#functions/http/env';
import { etagOf, ifMatchHeaders, versionFromIfMatch } from '#functions/http/etag';
import {
  commonProblems,
  conflictProblem,
  createRouter,
  json,
  jsonBody,
  notFoundProblem,
  preconditionProblems,
  secureRoute,
} from '#functions/http/router';
import type { ContactFeature } from './deps';
import { addMembers, createList, getList, removeMember, renameList } from './lists';
import { listParams, ownPartner } from './routes-shared';
import {
  addMembersResultSchema,
  addMembersSchema,
  contactIdSchema,
  createListSchema,
  listPageSchema,
  listSchema,
  memberPageSchema,
  pageQuerySchema,
  renameListSchema,
} from './schema';

const tags = ['Contact lists'];

export const listRoutes = (deps: ContactFeature) =>
  createRouter()
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/lists',
        tags,
        summary: 'My contact lists, oldest first, with member counts',
        request: { query: pageQuerySchema },
        responses: { 200: json(listPageSchema, 'A page of lists'), ...commonProblems },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        return c.json(await deps.lists.page(ownPartner(principalOf(c)), limit, cursor), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/lists',
        tags,
        summary: 'Create a contact list',
        request: { body: jsonBody(createListSchema) },
        responses: { 201: json(listSchema, 'The list'), ...commonProblems, ...conflictProblem },
      }),
      async (c) => {
        const list = await createList(deps, ownPartner(principalOf(c)), c.req.valid('json').name);
        c.header('etag', etagOf(list.version));
        c.header('location', `/api/lists/${list.id}`);
        return c.json(list, 201);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/lists/{listId}',
        tags,
        summary: 'One list',
        request: { params: listParams },
        responses: { 200: json(listSchema, 'The list'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const list = await getList(deps, ownPartner(principalOf(c)), c.req.valid('param').listId);
        c.header('etag', etagOf(list.version));
        return c.json(list, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'patch',
        path: '/lists/{listId}',
        tags,
        summary: 'Rename a list (If-Match)',
        request: {
          params: listParams,
          headers: ifMatchHeaders,
          body: jsonBody(renameListSchema),
        },
        responses: {
          200: json(listSchema, 'The list'),
          ...commonProblems,
          ...notFoundProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const partnerId = ownPartner(principalOf(c));
        const list = await renameList(
          deps,
          partnerId,
          c.req.valid('param').listId,
          expected,
          c.req.valid('json').name,
        );
        c.header('etag', etagOf(list.version));
        return c.json(list, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/lists/{listId}/members',
        tags,
        summary: 'A page of a list’s members',
        request: { params: listParams, query: pageQuerySchema },
        responses: {
          200: json(memberPageSchema, 'A page of members'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const partnerId = ownPartner(principalOf(c));
        const { listId } = c.req.valid('param');
        const { limit, cursor } = c.req.valid('query');
        await getList(deps, partnerId, listId);
        return c.json(await deps.lists.members(partnerId, listId, limit, cursor), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/lists/{listId}/members',
        tags,
        summary: 'Add my contacts to a list (up to 100 per call)',
        request: { params: listParams, body: jsonBody(addMembersSchema) },
        responses: {
          200: json(addMembersResultSchema, 'What was added'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const partnerId = ownPartner(principalOf(c));
        const result = await addMembers(
          deps,
          partnerId,
          c.req.valid('param').listId,
          c.req.valid('json').contactIds,
        );
        return c.json(result, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'delete',
        path: '/lists/{listId}/members/{contactId}',
        tags,
        summary: 'Take one of my contacts off a list (the contact stays; idempotent)',
        request: { params: listParams.extend({ contactId: contactIdSchema }) },
        responses: {
          200: json(listSchema, 'The list after the change'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const { listId, contactId } = c.req.valid('param');
        const list = await removeMember(deps, ownPartner(principalOf(c)), listId, contactId);
        c.header('etag', etagOf(list.version));
        return c.json(list, 200);
      },
    );
