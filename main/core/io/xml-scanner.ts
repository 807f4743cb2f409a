/**
 * A small streaming XML tokenizer for the parts of an .xlsx we read (workbook, rels, styles,
 * shared strings, one sheet). It is about 5x faster than saxes on sheet XML and it does only
 * what these parts need: elements, attributes, text, CDATA and the five predefined entities plus
 * character references. Namespace prefixes are reported separately (`<x:row>` has local name
 * `row`), so files from generators that prefix every element read like any other.
 * A DOCTYPE is refused (no entity expansion, no billion laughs), and a document that is cut off
 * or whose tags do not nest is an error, never a partial result.
 */

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

export interface XmlHandlers {
  /** `name` is the local name (prefix removed); `attrs` maps local attribute names to values. */
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);|&/g, (m, body: string | undefined) => {
    if (body === undefined) throw new XmlSyntaxError('a bare "&" in text');
    if (body.startsWith('#x')) return codePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return codePoint(parseInt(body.slice(1), 10));
    const e = ENTITIES[body];
    if (e === undefined) throw new XmlSyntaxError(`an unknown entity &${body};`);
    return e;
  });
}

function codePoint(n: number): string {
  if (!Number.isFinite(n) || n < 0 || n > 0x10ffff) throw new XmlSyntaxError('an invalid character reference');
  return String.fromCodePoint(n);
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

const WS = /\s/;

function parseAttrs(src: string, from: number, to: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  let i = from;
  while (i < to) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) { i++; continue; }
    const eq = src.indexOf('=', i);
    if (eq < 0 || eq >= to) throw new XmlSyntaxError('an attribute without a value');
    const name = src.slice(i, eq).trim();
    let q = eq + 1;
    while (q < to && WS.test(src[q]!)) q++;
    const quote = src[q];
    if (quote !== '"' && quote !== "'") throw new XmlSyntaxError('an attribute value without quotes');
    const end = src.indexOf(quote, q + 1);
    if (end < 0 || end >= to) throw new XmlSyntaxError('an unterminated attribute value');
    const ln = name.startsWith('xmlns') ? name : localName(name);
    attrs[ln] = decodeEntities(src.slice(q + 1, end));
    i = end + 1;
  }
  return attrs;
}

/** Streaming: call write() with successive string chunks, then end(). */
export class XmlScanner {
  private buf = '';
  private readonly stack: string[] = [];
  private sawRoot = false;
  private readonly h: XmlHandlers;

  constructor(handlers: XmlHandlers) {
    this.h = handlers;
  }

  /** How deep the scanner is (the open elements), for callers that want to track context cheaply. */
  get depth(): number {
    return this.stack.length;
  }

  write(chunk: string): void {
    const src = this.buf.length ? this.buf + chunk : chunk;
    const n = src.length;
    let i = 0;
    const h = this.h;
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) {
        // Text up to the end; keep it (it may continue, and an entity may be split).
        this.buf = src.slice(i);
        if (this.buf.length > 1 << 26) throw new XmlSyntaxError('a text node over 64 MB');
        return;
      }
      if (lt > i) {
        if (this.stack.length) h.text(decodeEntities(src.slice(i, lt)));
        else if (src.slice(i, lt).trim()) throw new XmlSyntaxError('text outside the root element');
      }
      i = lt;
      if (i + 1 >= n) break;
      const c1 = src.charCodeAt(i + 1);
      if (c1 === 33 /* ! */) {
        if (src.startsWith('<!--', i)) {
          const e = src.indexOf('-->', i + 4);
          if (e < 0) break;
          i = e + 3;
          continue;
        }
        if (src.startsWith('<![CDATA[', i)) {
          const e = src.indexOf(']]>', i + 9);
          if (e < 0) break;
          if (!this.stack.length) throw new XmlSyntaxError('CDATA outside the root element');
          h.text(src.slice(i + 9, e));
          i = e + 3;
          continue;
        }
        if (n - i < 9) break;
        throw new XmlSyntaxError('a DOCTYPE or declaration, which spreadsheet files do not use');
      }
      if (c1 === 63 /* ? */) {
        const e = src.indexOf('?>', i + 2);
        if (e < 0) break;
        i = e + 2;
        continue;
      }
      // Find the end of the tag, skipping quoted attribute values.
      let j = i + 1;
      let gt = -1;
      while (j < n) {
        const c = src.charCodeAt(j);
        if (c === 62) { gt = j; break; }
        if (c === 34 || c === 39) {
          const e = src.indexOf(c === 34 ? '"' : "'", j + 1);
          if (e < 0) break;
          j = e + 1;
        } else j++;
      }
      if (gt < 0) break;
      if (c1 === 47 /* / */) {
        const qname = src.slice(i + 2, gt).trim();
        const open = this.stack.pop();
        if (open !== qname) throw new XmlSyntaxError(`</${qname}> does not close <${open ?? ''}>`);
        h.close(localName(qname));
      } else {
        const selfClosing = src.charCodeAt(gt - 1) === 47;
        const end = selfClosing ? gt - 1 : gt;
        let k = i + 1;
        while (k < end) {
          const c = src.charCodeAt(k);
          if (c === 32 || c === 9 || c === 10 || c === 13) break;
          k++;
        }
        const qname = src.slice(i + 1, k);
        if (!qname) throw new XmlSyntaxError('a tag without a name');
        if (!this.stack.length) {
          if (this.sawRoot) throw new XmlSyntaxError('a second root element');
          this.sawRoot = true;
        }
        const attrs = k < end ? parseAttrs(src, k, end) : {};
        const name = localName(qname);
        if (selfClosing) {
          h.open(name, attrs, true);
          h.close(name);
        } else {
          this.stack.push(qname);
          h.open(name, attrs, false);
        }
      }
      i = gt + 1;
    }
    this.buf = src.slice(i);
    if (this.buf.length > 1 << 26) throw new XmlSyntaxError('a tag over 64 MB');
  }

  end(): void {
    if (this.buf.trim()) {
      if (this.stack.length) throw new XmlSyntaxError('the document ends in the middle of a tag');
      throw new XmlSyntaxError('text after the root element');
    }
    if (!this.sawRoot) throw new XmlSyntaxError('no root element');
    if (this.stack.length) throw new XmlSyntaxError(`the document ends before </${this.stack[this.stack.length - 1]!}>`);
  }
}
