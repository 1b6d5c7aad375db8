// FastF1's live-timing capture files (`fastf1.livetiming` SignalR client output): one Python-repr list
// `['Topic', data, 'utc']` per line, single-quoted strings, True/False/None. Read into the live feed's messages;
// a line that is not such a triple (cut off, empty, a bare string) is counted and skipped, naming its line.
import type { LiveMessage } from './feed.js';

/** A Python literal (lists, dicts, str, numbers, True/False/None) as JSON text; null when it cannot be one. */
export function pythonToJson(s: string): string | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      let str = '';
      let j = i + 1;
      for (; j < s.length && s[j] !== c; j++) {
        if (s[j] === '\\' && j + 1 < s.length) {
          const n = s[++j]!;
          str += n === "'" || n === '"' ? n : n === 'n' ? '\n' : n === 't' ? '\t' : n === '\\' ? '\\' : `\\${n}`;
        } else str += s[j];
      }
      if (j >= s.length) return null; // unterminated string
      out += JSON.stringify(str);
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      const w = /^[A-Za-z_]\w*/.exec(s.slice(i))![0];
      const lit = ({ True: 'true', False: 'false', None: 'null' } as Record<string, string>)[w];
      if (lit === undefined) return null;
      out += lit;
      i += w.length - 1;
    } else out += c;
  }
  return out;
}

export function readFastF1Capture(text: string, source: string): { messages: LiveMessage[]; skipped: { line: number; reason: string }[] } {
  const messages: LiveMessage[] = [];
  const skipped: { line: number; reason: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (l === '') return;
    const json = pythonToJson(l);
    let v: unknown;
    try {
      v = json === null ? undefined : JSON.parse(json);
    } catch {
      v = undefined;
    }
    if (Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[2] === 'string' && !Number.isNaN(Date.parse(v[2])))
      messages.push({ topic: v[0], data: v[1], utc: v[2] });
    else skipped.push({ line: i + 1, reason: `${source}, line ${i + 1}: not a [topic, data, utc] triple` });
  });
  return { messages, skipped };
}
