import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import { ChecklistAddInput, ChecklistEditInput, ColumnCreateInput, ColumnEditInput, CommentInput, CreateTaskInput, EditTaskInput, LabelCreateInput, LabelEditInput, MoveInput, PRIORITIES, SORTS } from '../domain/tasks/schemas';
import { ReactInput } from '../domain/discussions/schemas';

const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const ok = (description: string, ref?: string) => ({ description, content: { 'application/json': { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: 'object' } } } });
const path = (name: string, description: string, format?: string) => ({ name, in: 'path', required: true, schema: { type: 'string', ...(format ? { format } : {}) }, description });
const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', schema, description });
const taskId = path('id', 'Task id', 'uuid');
const slug = path('slug', 'Group slug');
const tags = ['tasks'];
const conflict = { '409': { description: 'The task changed meanwhile (`task_changed`), or was taken (`task_taken`) or deleted (`task_deleted`): the body carries the task’s current state in `current`', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } };

const person = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, handle: { type: 'string' } } };
const due = { type: ['object', 'null'], properties: { at: { type: 'string', format: 'date-time' }, hasTime: { type: 'boolean' }, date: { type: 'string', description: 'YYYY-MM-DD in the group’s time zone' }, time: { type: ['string', 'null'], description: 'HH:MM in the group’s time zone' }, overdue: { type: 'boolean' } } };
const label = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, color: { type: 'string' } } };
const column = { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'], description: 'null: a default column, named after its preset' }, preset: { type: ['string', 'null'], enum: ['todo', 'doing', 'done', null] }, position: { type: 'integer' }, isDone: { type: 'boolean' } } };
const card = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    priority: { type: 'string', enum: [...PRIORITIES] },
    due,
    assignees: { type: 'array', items: person },
    labels: { type: 'array', items: label },
    checklist: { type: 'object', properties: { total: { type: 'integer' }, done: { type: 'integer' } } },
    commentCount: { type: 'integer' },
    columnId: { type: 'string' },
    position: { type: 'integer' },
    done: { type: 'boolean' },
    recurring: { type: 'boolean' },
    version: { type: 'integer', description: 'Send it back with edits and moves' },
  },
};

/** Tasks: boards, columns, labels, the list view, my tasks, moves, "I'll take it", checklists and comments. Hidden things answer 404. */
const fragment: Fragment = {
  paths: {
    '/tasks': {
      get: { tags, summary: 'My tasks, across my groups', description: 'Overdue first, then by due date and priority; keyset-paged (`next` as `after`).', parameters: [q('done', 'Include done tasks', { type: 'string', enum: ['1', '0'] }), q('after', 'Cursor from `next`'), q('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 200 })], responses: { '200': ok('`{ done, items, next }`'), ...errorResponses } },
      post: { tags, summary: 'Create a task (members of the group)', description: 'Due dates are read in the group’s time zone; assignees must be members; `from` (`comment:<id>`…) links back to what it was made from.', requestBody: body(CreateTaskInput.omit({ fileIds: true })), responses: { '201': ok('The task', 'Task'), ...errorResponses } },
    },
    '/tasks/{id}': {
      parameters: [taskId],
      get: { tags, summary: 'A task with its checklist', responses: { '200': ok('The task', 'Task'), ...errorResponses } },
      patch: { tags, summary: 'Change fields (members), based on `version`', requestBody: body(EditTaskInput.omit({ taskId: true })), responses: { '200': ok('The task', 'Task'), ...errorResponses, ...conflict } },
      delete: { tags, summary: 'Delete (its author or a group admin)', responses: { '200': ok('`{ groupSlug }`'), ...errorResponses, ...conflict } },
    },
    '/tasks/{id}/move': { parameters: [taskId], post: { tags, summary: 'Move the card to a column and place, based on `version`', requestBody: body(MoveInput.omit({ taskId: true })), responses: { '200': ok('`{ id, version, columnId, position }`'), ...errorResponses, ...conflict } } },
    '/tasks/{id}/take': { parameters: [taskId], post: { tags, summary: '“I’ll take it”: become the assignee of an unassigned task', responses: { '200': ok('`{ id, version }`'), ...errorResponses, ...conflict } } },
    '/tasks/{id}/complete': { parameters: [taskId], post: { tags, summary: 'Mark the task done', responses: { '200': ok('`{ id, version, already }`'), ...errorResponses, ...conflict } } },
    '/tasks/{id}/checklist': { parameters: [taskId], post: { tags, summary: 'Add checklist lines (at most 200 in a checklist)', requestBody: body(ChecklistAddInput.omit({ taskId: true })), responses: { '201': ok('`{ ids }`'), ...errorResponses } } },
    '/tasks/{id}/checklist/{itemId}': {
      parameters: [taskId, path('itemId', 'Checklist line id', 'uuid')],
      patch: { tags, summary: 'Tick, rename, assign or date a line', requestBody: body(ChecklistEditInput.omit({ taskId: true, itemId: true })), responses: { '200': ok('`{ id }`'), ...errorResponses } },
      delete: { tags, summary: 'Remove a line', responses: { '200': ok('`{ ok }`'), ...errorResponses } },
    },
    '/tasks/{id}/comments': {
      parameters: [taskId],
      get: { tags, summary: 'The task’s comments', responses: { '200': ok('`{ comments }`'), ...errorResponses } },
      post: { tags, summary: 'Comment (members); @handle mentions', requestBody: body(CommentInput.omit({ taskId: true })), responses: { '201': ok('`{ id, taskId }`'), ...errorResponses } },
    },
    '/tasks/{id}/activity': { parameters: [taskId], get: { tags, summary: 'The task’s history', responses: { '200': ok('`{ activity }`'), ...errorResponses } } },
    '/tasks/comments/{commentId}': { parameters: [path('commentId', 'Task comment id', 'uuid')], delete: { tags, summary: 'Delete a comment (its author or a group admin)', responses: { '200': ok('`{ taskId }`'), ...errorResponses } } },
    '/tasks/reactions': { post: { tags, summary: 'Toggle a reaction on a task comment', requestBody: body(ReactInput), responses: { '200': ok('`{ targetId, taskId, added, reactions }`'), ...errorResponses } } },
    '/tasks/boards/{slug}': { parameters: [slug], get: { tags, summary: 'A group’s board: columns in order with their cards in order', responses: { '200': ok('`{ group, columns: [{ …column, count, cards }], labels, can }`', 'Board'), ...errorResponses } } },
    '/tasks/boards/{slug}/list': {
      parameters: [slug],
      get: {
        tags,
        summary: 'The list view, filtered and sorted',
        parameters: [q('assignee', '`me`, `nobody` or a member id'), q('priority', 'Priority', { type: 'string', enum: [...PRIORITIES] }), q('label', 'Label id'), q('due', 'Due', { type: 'string', enum: ['overdue', 'week', 'none'] }), q('status', '`open`, `done` or a column id'), q('sort', 'Sort', { type: 'string', enum: [...SORTS] }), q('after', 'Cursor from `next`'), q('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 200 })],
        responses: { '200': ok('`{ group, filters, items, total, next, columns, labels, members, can }`'), ...errorResponses },
      },
    },
    '/tasks/boards/{slug}/columns': { parameters: [slug], post: { tags, summary: 'Add a column (group admins)', requestBody: body(ColumnCreateInput.omit({ groupSlug: true })), responses: { '201': ok('The column'), ...errorResponses } } },
    '/tasks/boards/{slug}/columns/{id}': {
      parameters: [slug, path('id', 'Column id', 'uuid')],
      patch: { tags, summary: 'Rename, move or make it the done column (group admins)', requestBody: body(ColumnEditInput.omit({ groupSlug: true, columnId: true })), responses: { '200': ok('The columns'), ...errorResponses } },
      delete: { tags, summary: 'Remove an empty column (group admins)', responses: { '200': ok('The columns'), ...errorResponses } },
    },
    '/tasks/boards/{slug}/labels': {
      parameters: [slug],
      get: { tags, summary: 'The group’s labels', responses: { '200': ok('Labels'), ...errorResponses } },
      post: { tags, summary: 'Add a label (members)', requestBody: body(LabelCreateInput.omit({ groupSlug: true })), responses: { '201': ok('The label'), ...errorResponses } },
    },
    '/tasks/boards/{slug}/labels/{id}': {
      parameters: [slug, path('id', 'Label id', 'uuid')],
      patch: { tags, summary: 'Rename or recolour a label (members)', requestBody: body(LabelEditInput.omit({ groupSlug: true, labelId: true })), responses: { '200': ok('The label'), ...errorResponses } },
      delete: { tags, summary: 'Remove a label (members)', responses: { '200': ok('`{ ok }`'), ...errorResponses } },
    },
  },
  schemas: {
    Task: {
      type: 'object',
      properties: {
        ...card.properties,
        group: { type: 'object', properties: { id: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, timeZone: { type: 'string' } } },
        description: { type: 'string' },
        descriptionHtml: { type: 'string' },
        column,
        author: person,
        completedAt: { type: ['string', 'null'] },
        origin: { type: ['object', 'null'], properties: { kind: { type: 'string', enum: ['discussion', 'comment', 'chat'] }, id: { type: 'string' }, url: { type: 'string' } } },
        recurrence: { type: ['object', 'null'], properties: { rule: { type: 'string' }, preset: { type: 'string' } } },
        checklistItems: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, text: { type: 'string' }, done: { type: 'boolean' }, assignee: { anyOf: [person, { type: 'null' }] }, due } } },
      },
    },
    Board: { type: 'object', properties: { columns: { type: 'array', items: { type: 'object', properties: { ...column.properties, count: { type: 'integer' }, cards: { type: 'array', items: card } } } }, labels: { type: 'array', items: label } } },
  },
};
export default fragment;
