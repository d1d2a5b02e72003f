import { describe, expect, it } from 'vitest';
import { openApiDocument } from './index';

describe('OpenAPI: discussions', () => {
  it('describes every discussions endpoint with request schemas from the services', () => {
    const doc = openApiDocument('http://localhost') as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> };
    for (const p of ['/discussions', '/discussions/{id}', '/discussions/{id}/comments', '/discussions/{id}/read', '/discussions/reactions', '/discussions/read-all', '/drafts/{key}', '/search', '/preview', '/groups/{slug}/mention-candidates'])
      expect(doc.paths[p], p).toBeDefined();
    const create = doc.paths['/discussions'].post.requestBody!.content['application/json'].schema;
    expect(Object.keys(create.properties ?? {})).toEqual(expect.arrayContaining(['groupSlug', 'title', 'body', 'fileIds']));
    expect(JSON.stringify(doc)).toContain('🎉');
  });
});
