import { describe, expect, it } from 'vitest';
import { extractMentions, renderMarkdown } from './markdown';

describe('markdown', () => {
  it('renders and strips scripts, handlers and javascript: links', () => {
    const html = renderMarkdown('**hi** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>');
    expect(html).toContain('<strong>hi</strong>');
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain("&lt;script&gt;");
  });
  it('links known mentions only, never inside code', () => {
    const html = renderMarkdown('hello @Anne and @ghost, `@anne`', { knownHandles: new Set(['anne']) });
    expect(html).toContain('<a class="mention" href="/u/anne">@Anne</a>');
    expect(html).toContain('@ghost');
    expect(html).toContain('<code>@anne</code>');
  });
  it('links a mention that opens a paragraph, a list item or an emphasis, not an address or a path', () => {
    const html = renderMarkdown('@anne tu viens ?\n\n- @anne\n- **@anne**\n\nmail x@anne.org or see /@anne', { knownHandles: new Set(['anne']) });
    expect(html.match(/<a class="mention" href="\/u\/anne">@anne<\/a>/g)).toHaveLength(3);
    expect(html).toContain('<p><a class="mention" href="/u/anne">@anne</a> tu viens ?</p>');
    expect(html).toContain('x@anne.org');
    expect(html).toContain('/@anne');
  });
  it('extracts mentions, not emails', () => {
    expect(extractMentions('cc @anne_p @Bob mail me at x@y.org ```@code```')).toEqual(['anne_p', 'bob']);
  });
});
