export declare const IDX_IMAGES_MAGIC: number;
export declare const IDX_LABELS_MAGIC: number;
export declare class IdxError extends Error {}
export declare function parseIdxImages(buf: Buffer, name?: string): { count: number; rows: number; cols: number; pixels: Uint8Array };
export declare function parseIdxLabels(buf: Buffer, name?: string): { count: number; labels: Uint8Array };
export declare function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Buffer;
