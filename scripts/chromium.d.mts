// Types of scripts/chromium.mjs for the TypeScript tests.
import type { BrowserContext, Page } from 'playwright-core';

export declare const CHROMIUM: string;
export declare const VIEWPORT: { width: number; height: number };
export declare const CHROMIUM_ARGS: string[];

export interface Chromium {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, as text. */
  errors: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

export declare function launchChromium(): Promise<Chromium>;
