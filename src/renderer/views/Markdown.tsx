// A small Markdown renderer for model cards: headings, paragraphs, lists, tables, code, **bold**, `code`.
// Builds React elements (never innerHTML), so a card cannot inject markup.
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(\*\*[^*]+\*\*|`[^`]+`)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    out.push(
      t.startsWith('**') ? (
        <strong key={m.index}>{t.slice(2, -2)}</strong>
      ) : (
        <code key={m.index}>{t.slice(1, -1)}</code>
      ),
    );
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

export function Markdown({ source }: { source: string }) {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const key = blocks.length;
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      i++;
    } else if (line.startsWith('```')) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
      i++;
      blocks.push(<pre key={key}>{body.join('\n')}</pre>);
    } else if (h) {
      const level = h[1]!.length;
      const content = inline(h[2]!);
      blocks.push(
        level <= 1 ? (
          <h3 key={key}>{content}</h3>
        ) : level === 2 ? (
          <h4 key={key}>{content}</h4>
        ) : (
          <h5 key={key}>{content}</h5>
        ),
      );
      i++;
    } else if (/^\s*\|/.test(line)) {
      const rows: string[][] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i]!); i++)
        if (!/^\s*\|?[\s:|-]+\|?\s*$/.test(lines[i]!)) rows.push(cells(lines[i]!));
      const [head, ...body] = rows;
      blocks.push(
        <table key={key}>
          {head ? (
            <thead>
              <tr>
                {head.map((c, j) => (
                  <th key={j}>{inline(c)}</th>
                ))}
              </tr>
            </thead>
          ) : null}
          <tbody>
            {body.map((r, k) => (
              <tr key={k}>
                {r.map((c, j) => (
                  <td key={j}>{inline(c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
    } else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const items: string[] = [];
      for (; i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i]!); i++)
        items.push(lines[i]!.replace(/^\s*([-*]|\d+\.)\s+/, ''));
      blocks.push(
        <ul key={key}>
          {items.map((t, j) => (
            <li key={j}>{inline(t)}</li>
          ))}
        </ul>,
      );
    } else {
      const para: string[] = [];
      for (
        ;
        i < lines.length &&
        lines[i]!.trim() !== '' &&
        !/^(#{1,4}\s|```|\s*\||\s*([-*]|\d+\.)\s)/.test(lines[i]!);
        i++
      )
        para.push(lines[i]!);
      if (para.length === 0) para.push(lines[i++]!);
      blocks.push(<p key={key}>{inline(para.join(' '))}</p>);
    }
  }
  return <div className="markdown">{blocks}</div>;
}
