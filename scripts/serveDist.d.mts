import type { Server } from 'node:http';
export declare const CONTENT_TYPES: Record<string, string>;
export declare function contentType(file: string): string;
export declare function serveDist(root: string, port: number): Promise<Server>;
