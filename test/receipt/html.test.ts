import { describe, expect, it } from 'vitest';
import { buildReceipt, escapeHtml, renderHtml } from '../../src/receipt/index.js';
import { sampleInput } from './fixture.js';

describe('renderHtml', () => {
  const html = renderHtml(
    buildReceipt(
      sampleInput({
        company: {
          name: 'Evil <script>alert(1)</script> & Co',
          taxId: '"quoted"',
          address: ["O'Hara's <b>Lane</b>"],
        },
        cashier: { id: 'C1', name: '<img src=x onerror=alert(1)>' },
      }),
    ),
  );

  it('escapes every piece of receipt text', () => {
    expect(html).not.toMatch(/<script>|<b>|<img/);
    expect(html).toContain('Evil &#60;script&#62;alert(1)&#60;/script&#62; &#38; Co');
    expect(html).toContain('Dish Soap &#60;Lemon&#62; &#38; Lime');
    expect(html).toContain('O&#39;Hara&#39;s &#60;b&#62;Lane&#60;/b&#62;');
    expect(html).toContain('Tax ID: &#34;quoted&#34;');
    expect(escapeHtml(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
  });

  it('is self-contained: inline CSS and SVG, no external resources', () => {
    const html = renderHtml(buildReceipt(sampleInput()));
    expect(html).toContain('@page { size: 80mm auto; margin: 0 }');
    expect(html).toContain('width: 80mm');
    expect(html).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(html).not.toMatch(/<link|<script|src=|url\(|@import/);
    expect(html.match(/https?:\/\/[^"]+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('carries the legal fields', () => {
    for (const s of ['S01-T03-2026-000417', '1042', '46.47', 'A 20%', 'Change', 'Tax ID']) {
      expect(html).toContain(s);
    }
  });
});
