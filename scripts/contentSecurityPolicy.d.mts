import type { Plugin } from 'vite';
export declare const CONTENT_SECURITY_POLICY: string;
export declare const CONTENT_SECURITY_POLICY_META: string;
export declare function contentSecurityPolicyMeta(): Plugin;
