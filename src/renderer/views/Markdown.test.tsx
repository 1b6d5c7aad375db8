// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Markdown } from './Markdown.js';

afterEach(cleanup);

describe('Markdown', () => {
  it('renders headings, lists, tables, code and emphasis as elements, never as raw HTML', () => {
    const { container } = render(
      <Markdown
        source={
          '# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n| k | v |\n|---|---|\n| mae | 0.4 |\n\n<img src=x onerror=alert(1)>'
        }
      />,
    );
    expect(container.querySelector('h3')?.textContent).toBe('Title');
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('code')?.textContent).toBe('code');
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(container.querySelectorAll('td')[1]?.textContent).toBe('0.4');
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
