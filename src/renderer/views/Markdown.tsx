// Model cards as Markdown, rendered by react-markdown with GFM tables. Safe by default: raw HTML in a card is shown
// as text, never parsed into elements, so a card cannot inject markup. Card headings sit below the view's own.
import type { ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** remark plugin: raw HTML nodes become literal text. */
function htmlAsText() {
  const walk = (n: MdNode): void => {
    if (n.type === 'html') n.type = 'text';
    n.children?.forEach(walk);
  };
  return (tree: MdNode) => walk(tree);
}

const heading =
  (Tag: 'h3' | 'h4' | 'h5') =>
  ({ children }: { children?: ReactNode }) => <Tag>{children}</Tag>;

const COMPONENTS: Components = { h1: heading('h3'), h2: heading('h4'), h3: heading('h5'), h4: heading('h5') };

export function Markdown({ source }: { source: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm, htmlAsText]} components={COMPONENTS}>
        {source}
      </ReactMarkdown>
    </div>
  );
}
