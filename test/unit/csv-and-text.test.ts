import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, neutralizeFormula } from '../../shared/rules/csv.ts';
import { escapeLike, fold } from '../../shared/rules/text.ts';

describe('CSV cells never run as formulas (OWASP CSV injection)', () => {
  it.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralizes %j', (v) => {
    expect(neutralizeFormula(v)).toBe(`'${v}`);
  });
  it('leaves ordinary text alone and quotes separators', () => {
    expect(csvCell('Contoso')).toBe('Contoso');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
  });
  it('writes a BOM and CRLF lines for Excel', () => {
    expect(csvDocument(['A', 'B'], [[1, '=2']])).toBe('\uFEFFA,B\r\n1,\'=2\r\n');
  });
});

describe('search folding', () => {
  it('ignores case and accents', () => {
    expect(fold('  São Paulo ')).toBe('sao paulo');
    expect(fold('FABRIKAM Logística')).toBe('fabrikam logistica');
  });
  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});
