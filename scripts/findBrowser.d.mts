export declare const ENV_FILES: string[];
export declare class BrowserNotFoundError extends Error {}
export declare function parseEnvFile(text: string): Record<string, string>;
export declare function systemCandidates(platform: string, env?: Record<string, string | undefined>): string[];
export declare function installAdvice(platform: string): string;
export interface BrowserDeps {
  env: Record<string, string | undefined>;
  platform: string;
  exists: (path: string) => boolean;
  readEnvFile: (name: string) => string | null;
  playwrightChromium: () => string | null;
}
export declare function findBrowser(deps: BrowserDeps): {
  path: string;
  source: 'the environment' | '.env.local' | '.env' | 'Playwright' | 'system';
};
export declare function browserPath(): string;
