/** Types of make-bad-corpus.js for the tests that import it. */
export declare const ACCEPTED: Record<string, string>;
export declare const SKIPPED: Record<string, string>;
export declare const CAPTIONS: Record<string, string>;
export declare function makeBadCorpus(dir: string): Promise<string>;
