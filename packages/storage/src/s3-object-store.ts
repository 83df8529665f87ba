import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandOutput,
} from "@aws-sdk/client-s3";
import { EtlError, FileTooLargeError, ProcessingError, classifyError, fromUnknown } from "@narrative-engine/errors";
import type { GetOptions, ObjectInfo, ObjectLocation, ObjectStore, PutOptions, RequestOptions } from "./object-store.ts";
import { readBounded } from "./read-bounded.ts";
import { normalizeUserMetadata } from "./user-metadata.ts";

/** `x-amz-copy-source` of an object: "bucket/key" with the key URL-encoded segment by segment ("/" kept). */
export function copySource(source: ObjectLocation): string {
  return `${source.bucket}/${source.key.split("/").map(encodeURIComponent).join("/")}`;
}

/** Options of {@link S3ObjectStore}. */
export interface S3ObjectStoreOptions {
  /** AWS region (any value for s3rver / MinIO, e.g. "us-east-1"). */
  readonly region: string;
  /** Endpoint URL for S3-compatible servers (MinIO, s3rver); omit for AWS. */
  readonly endpoint?: string;
  /** Path-style URLs (`http://host/bucket/key`); needed by s3rver and most MinIO setups. */
  readonly forcePathStyle?: boolean;
  /** Static credentials; omitted, the SDK's default provider chain is used (env, profile, IAM role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Socket inactivity limit of a request, ms (default 30,000). */
  readonly requestTimeoutMs?: number;
  /** Limit for establishing a connection, ms (default 5,000). */
  readonly connectionTimeoutMs?: number;
  /** Keep-alive sockets per host (default 64). */
  readonly maxSockets?: number;
  /** SDK attempts per request, including the first (default 2: callers do their own retries). */
  readonly maxAttempts?: number;
  /** Largest `Readable` body `put` buffers before uploading (default 512 MiB). */
  readonly maxStreamPutBytes?: number;
  /** Keys per `list` page (default 1,000, the S3 maximum). */
  readonly listPageSize?: number;
}

const DEFAULT_MAX_STREAM_PUT_BYTES = 512 * 1024 * 1024;

/**
 * {@link ObjectStore} on S3 and S3-compatible servers (MinIO, s3rver) with `@aws-sdk/client-s3`.
 * Bodies are always consumed or destroyed; every error is mapped through `classifyError`.
 */
export class S3ObjectStore implements ObjectStore {
  readonly #client: S3Client;
  readonly #maxStreamPutBytes: number;
  readonly #listPageSize: number;
  #closed = false;

  constructor(options: S3ObjectStoreOptions) {
    const maxSockets = Math.max(64, options.maxSockets ?? 64);
    this.#maxStreamPutBytes = options.maxStreamPutBytes ?? DEFAULT_MAX_STREAM_PUT_BYTES;
    this.#listPageSize = options.listPageSize ?? 1000;
    this.#client = new S3Client({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      maxAttempts: options.maxAttempts ?? 2,
      // Without these the SDK adds CRC checksums that corrupt streamed uploads to non-AWS servers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      requestHandler: {
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        throwOnRequestTimeout: true,
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      },
    });
  }

  async get(bucket: string, key: string, options: GetOptions = {}): Promise<Buffer> {
    const { maxBytes, signal } = options;
    const response = await this.#send("get", bucket, key, signal, (abortSignal) =>
      this.#client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
    );
    const body = response.Body as Readable | undefined;
    if (body === undefined) return Buffer.alloc(0);
    const announced = response.ContentLength;
    if (maxBytes !== undefined && announced !== undefined && announced > maxBytes) {
      body.destroy();
      throw new FileTooLargeError(maxBytes, { actualBytes: announced });
    }
    try {
      return await readBounded(body, maxBytes, signal, announced);
    } catch (error) {
      throw this.#mapError("get", bucket, key, error);
    }
  }

  async head(bucket: string, key: string, options: RequestOptions = {}): Promise<ObjectInfo> {
    const response = await this.#send("head", bucket, key, options.signal, (abortSignal) =>
      this.#client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
    );
    return {
      key,
      size: response.ContentLength ?? 0,
      lastModified: response.LastModified,
      etag: response.ETag,
      contentType: response.ContentType,
      metadata: { ...response.Metadata },
    };
  }

  async put(bucket: string, key: string, body: Uint8Array | string | Readable, options: PutOptions = {}): Promise<void> {
    const metadata = normalizeUserMetadata(options.metadata);
    let payload: Uint8Array | string;
    if (body instanceof Readable) {
      // PutObject needs a length; buffering (bounded) keeps one code path for S3, MinIO and s3rver.
      try {
        payload = await readBounded(body, this.#maxStreamPutBytes, options.signal);
      } catch (error) {
        throw this.#mapError("put", bucket, key, error);
      }
    } else {
      payload = body;
    }
    const length = typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
    await this.#send("put", bucket, key, options.signal, (abortSignal) =>
      this.#client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: payload,
          ContentLength: length,
          ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
          Metadata: metadata,
        }),
        { abortSignal },
      ),
    );
  }

  async exists(bucket: string, key: string, options: RequestOptions = {}): Promise<boolean> {
    try {
      await this.head(bucket, key, options);
      return true;
    } catch (error) {
      if (error instanceof EtlError && error.errorType === "not_found") return false;
      throw error;
    }
  }

  async copy(source: ObjectLocation, target: ObjectLocation, options: RequestOptions = {}): Promise<void> {
    await this.#send("copy", source.bucket, source.key, options.signal, (abortSignal) =>
      this.#client.send(new CopyObjectCommand({ Bucket: target.bucket, Key: target.key, CopySource: copySource(source) }), { abortSignal }),
    );
  }

  async *list(bucket: string, prefix: string, options: RequestOptions = {}): AsyncGenerator<ObjectInfo> {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.#send("list", bucket, prefix, options.signal, (abortSignal) =>
        this.#client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            MaxKeys: this.#listPageSize,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
          { abortSignal },
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        yield { key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified, etag: item.ETag, contentType: undefined, metadata: {} };
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.destroy();
    await Promise.resolve();
  }

  async #send<R>(
    operation: string,
    bucket: string,
    key: string,
    signal: AbortSignal | undefined,
    run: (abortSignal: AbortSignal | undefined) => Promise<R>,
  ): Promise<R> {
    if (this.#closed) throw new ProcessingError(`S3ObjectStore is closed (${operation} ${bucket}/${key})`);
    try {
      signal?.throwIfAborted();
      return await run(signal);
    } catch (error) {
      throw this.#mapError(operation, bucket, key, error);
    }
  }

  #mapError(operation: string, bucket: string, key: string, error: unknown): EtlError {
    if (error instanceof EtlError) return error;
    const classified = classifyError(error);
    return fromUnknown(error, classified.errorType, `S3 ${operation} ${bucket}/${key} failed: ${classified.message}`);
  }
}
