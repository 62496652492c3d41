export declare const KERNEL_SOURCE_DIR: string;
export declare const KERNEL_WASM: string;
export declare const ASC_FLAGS: string[];
export declare function kernelIsCurrent(): Promise<boolean>;
export declare function buildKernel(): Promise<number>;
export declare function ensureKernel(force?: boolean): Promise<boolean>;
