// Types of tools/check-references.mjs for its test.
export declare const OUTSIDE: readonly { pattern: RegExp; what: string }[];
export declare function findOutsideReferences(path: string, text: string): string[];
