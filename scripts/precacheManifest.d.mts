import type { Plugin } from 'vite';
export declare const PLACEHOLDER: string;
export declare const EXCLUDE: RegExp[];
export interface PrecacheEntry {
  url: string;
  sha256: string;
  bytes: number;
}
export declare function buildManifest(outDir: string, exclude?: RegExp[]): Promise<{ version: string; entries: PrecacheEntry[] }>;
export declare function checkDataHashes(outDir: string, entries: PrecacheEntry[]): Promise<void>;
export declare const DEV_SW_RESET: string;
export declare function precacheManifest(): Plugin[];
