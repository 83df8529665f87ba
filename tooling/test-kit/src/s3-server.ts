// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module declaration has no import form
/// <reference path="./s3rver.d.ts" />
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

/** Credentials s3rver accepts. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** A real S3 HTTP server (s3rver) on a free port with its own temp folder. */
export interface TestS3Server {
  /** `http://127.0.0.1:<port>`, for a path-style S3 client. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Folder holding the server's objects. */
  readonly directory: string;
  /** Stops listening but keeps the objects (for outage tests); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  /** Starts listening again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes its folder. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 with the given buckets created. */
export async function startS3Server(options: { buckets?: readonly string[]; port?: number } = {}): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), "ne-s3rver-"));
  const buckets = options.buckets ?? ["health-data"];
  let port = options.port ?? 0;
  let server: S3rver | undefined;
  let closed = false;

  const start = async (): Promise<void> => {
    if (server) return;
    const instance = new S3rver({
      address: "127.0.0.1",
      port,
      silent: true,
      directory,
      configureBuckets: buckets.map((name) => ({ name })),
    });
    const address = await instance.run();
    port = address.port;
    server = instance;
  };
  const stop = async (): Promise<void> => {
    const instance = server;
    server = undefined;
    if (instance) await instance.close();
  };
  await start();
  return {
    get endpoint() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    region: "us-east-1",
    credentials: S3RVER_CREDENTIALS,
    directory,
    stop,
    start,
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
