/** s3rver (an S3-compatible HTTP server, for tests of the S3 storage) ships no types: what the tests use. */
declare module 's3rver' {
  export default class S3rver {
    constructor(options: {
      readonly port?: number;
      readonly address?: string;
      readonly silent?: boolean;
      readonly directory: string;
      readonly configureBuckets?: readonly { readonly name: string }[];
    });
    run(): Promise<{ readonly address: string; readonly port: number }>;
    close(): Promise<void>;
  }
}
