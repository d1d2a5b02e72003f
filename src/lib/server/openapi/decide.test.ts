import { describe, expect, it } from 'vitest';
import { openApiDocument } from './index';

type Op = { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; oneOf?: { properties: Record<string, unknown> }[] } }> } };

describe('OpenAPI: deciding and meeting', () => {
  it('describes polls, decisions, events, RSVPs, agendas and minutes with the services’ schemas', () => {
    const doc = openApiDocument('http://localhost') as { paths: Record<string, Record<string, Op>> };
    for (const p of ['/polls', '/polls/decisions', '/polls/{id}', '/polls/{id}/answer', '/polls/{id}/vote', '/polls/{id}/respond', '/polls/{id}/close', '/events', '/events/{id}', '/events/{id}/rsvp', '/events/{id}/cancel', '/events/{id}/agenda', '/events/{id}/minutes'])
      expect(doc.paths[p], p).toBeDefined();
    const kinds = doc.paths['/polls'].post.requestBody!.content['application/json'].schema.oneOf!;
    expect(kinds.map((k) => Object.keys(k.properties))).toEqual([
      expect.arrayContaining(['kind', 'groupSlug', 'slots', 'timeZone', 'allowGuests']),
      expect.arrayContaining(['kind', 'options', 'multiple', 'anonymous', 'results']),
      expect.arrayContaining(['kind', 'quorum', 'quorumValue', 'deadlineDate']),
    ]);
    const rsvp = doc.paths['/events/{id}/rsvp'].post.requestBody!.content['application/json'].schema;
    expect(Object.keys(rsvp.properties ?? {})).toEqual(expect.arrayContaining(['answer', 'occurrence']));
    expect(Object.keys(rsvp.properties ?? {})).not.toContain('eventId');
  });
});
