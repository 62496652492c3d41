import type { DataManifest } from '../src/shared/dataManifest';
export declare const DATA_FORMAT_VERSION: number;
export declare const MAX_SPRITE_ROWS: number;
export declare function prepareData(opts?: { srcDir?: string; outDir?: string }): DataManifest;
export declare function isCurrent(outDir?: string): boolean;
