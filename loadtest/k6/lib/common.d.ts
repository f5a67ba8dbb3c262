export declare const BROWSER_HEADERS: Record<string, string>;
export declare function assertLoopback(base: string): string;
