// Types of what eslint.config.js exports besides the config: the floor plan, read by tests/architecture.test.ts.
export declare const FLOORS: Record<string, readonly string[]>;
export declare function floorOf(path: string): string | null;
declare const config: unknown[];
export default config;
