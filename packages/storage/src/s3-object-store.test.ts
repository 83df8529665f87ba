import { createServer as createHttpServer, type Server } from "node:http";
import { createServer, connect, type Server as NetServer, type Socket } from "node:net";
import { AuthError, FileTooLargeError, NetworkError, RateLimitError } from "@narrative-engine/errors";
import { closedPort, startS3Server, type TestS3Server } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { describeObjectStoreConformance } from "./__fixtures__/object-store-conformance.ts";
import { createObjectStore } from "./create-object-store.ts";
import { S3ObjectStore, copySource } from "./s3-object-store.ts";

/** A TCP proxy in front of s3rver that counts the bytes the server sends. */
async function countingProxy(targetPort: number): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    upstream.on("data", (chunk: Buffer) => (received += chunk.length));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    received: () => received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A tiny HTTP server answering every request with `respond`. */
async function fakeS3(respond: Parameters<typeof createHttpServer>[1]): Promise<{ endpoint: string; server: Server; close: () => Promise<void> }> {
  const server = createHttpServer(respond);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const storeAt = (endpoint: string) =>
  new S3ObjectStore({ region: "us-east-1", endpoint, forcePathStyle: true, credentials, connectionTimeoutMs: 2_000, requestTimeoutMs: 10_000 });

describeObjectStoreConformance("S3ObjectStore on s3rver", async () => {
  const s3 = await startS3Server({ buckets: ["health-data"] });
  const proxy = await countingProxy(s3.port);
  return {
    store: createObjectStore({ kind: "s3", ...storeOptions(`http://127.0.0.1:${proxy.port}`) }),
    bucket: "health-data",
    bytesTransferred: proxy.received,
    cleanup: async () => {
      await proxy.close();
      await s3.close();
    },
  };
});

function storeOptions(endpoint: string) {
  return { region: "us-east-1", endpoint, forcePathStyle: true, credentials };
}

describe("S3ObjectStore error mapping", () => {
  const errorXml = (code: string, message: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>test</RequestId></Error>`;

  test("503 SlowDown is a retriable rate_limit", async () => {
    const fake = await fakeS3((_req, res) => {
      res.writeHead(503, { "content-type": "application/xml" }).end(errorXml("SlowDown", "Please reduce your request rate."));
    });
    const store = storeAt(fake.endpoint);
    try {
      const error = await store.get("health-data", "k").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retriable).toBe(true);
      expect((error as Error).message).toMatch(/^S3 get health-data\/k failed: /);
      expect(await store.put("health-data", "k", "x").catch((e: unknown) => e)).toBeInstanceOf(RateLimitError);
    } finally {
      await store.close();
      await fake.close();
    }
  });

  test("403 AccessDenied is a permanent auth_error, also for exists", async () => {
    const fake = await fakeS3((req, res) => {
      // HEAD answers carry no body; the status alone must still map to auth_error.
      res.writeHead(403, { "content-type": "application/xml" }).end(req.method === "HEAD" ? undefined : errorXml("AccessDenied", "Access Denied"));
    });
    const store = storeAt(fake.endpoint);
    try {
      const error = await store.get("health-data", "k").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).retriable).toBe(false);
      expect(await store.exists("health-data", "k").catch((e: unknown) => e)).toBeInstanceOf(AuthError);
      const listing = await (async () => {
        for await (const item of store.list("health-data", "")) expect(item).toBeUndefined();
      })().catch((e: unknown) => e);
      expect(listing).toBeInstanceOf(AuthError);
    } finally {
      await store.close();
      await fake.close();
    }
  });

  test("a closed port is a network_error", async () => {
    const store = storeAt(`http://127.0.0.1:${await closedPort()}`);
    try {
      const error = await store.get("health-data", "k").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).errorType).toBe("network_error");
    } finally {
      await store.close();
    }
  });

  test("an endless body without Content-Length stops at maxBytes and the connection is dropped", async () => {
    let sent = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const fake = await fakeS3((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(16 * 1024, 1);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once("drain", pump);
      };
      res.on("close", closed);
      pump();
    });
    const store = storeAt(fake.endpoint);
    try {
      const error = await store.get("health-data", "endless", { maxBytes: 64 * 1024 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileTooLargeError);
      expect((error as FileTooLargeError).limitBytes).toBe(65536);
      await connectionClosed;
      // Only what fits in the socket buffers was ever written, never an endless stream.
      expect(sent).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await store.close();
      await fake.close();
    }
  });

  test("an announced Content-Length over maxBytes is refused before reading", async () => {
    let bodyWritten = false;
    const fake = await fakeS3((_req, res) => {
      res.writeHead(200, { "content-length": String(10 * 1024 * 1024) });
      res.flushHeaders();
      setTimeout(() => {
        bodyWritten = !res.destroyed;
        res.destroy();
      }, 200);
    });
    const store = storeAt(fake.endpoint);
    try {
      const error = await store.get("health-data", "big", { maxBytes: 1024 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileTooLargeError);
      expect((error as FileTooLargeError).actualBytes).toBe(10 * 1024 * 1024);
      expect(bodyWritten).toBe(false);
    } finally {
      await store.close();
      await fake.close();
    }
  });
});

test.each([
  ["plain/key.avro", "b/plain/key.avro"],
  ["dir with space/ü ✓.avro", "b/dir%20with%20space/%C3%BC%20%E2%9C%93.avro"],
  ["a+b&c=d?e#f%g.avro", "b/a%2Bb%26c%3Dd%3Fe%23f%25g.avro"],
])("copySource encodes %j", (key, expected) => {
  expect(copySource({ bucket: "b", key })).toBe(expected);
});

describe("S3ObjectStore lifecycle", () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ["health-data"] });
  });
  afterAll(async () => s3.close());

  test("close is idempotent and later calls fail clearly", async () => {
    const store = storeAt(s3.endpoint);
    await store.put("health-data", "k", "v");
    await store.close();
    await store.close();
    await expect(store.get("health-data", "k")).rejects.toThrow(/S3ObjectStore is closed/);
  });

  test("a server outage is a network_error and the store recovers when it returns", async () => {
    const store = storeAt(s3.endpoint);
    try {
      await store.put("health-data", "outage", "v");
      await s3.stop();
      expect(await store.get("health-data", "outage").catch((e: unknown) => e)).toBeInstanceOf(NetworkError);
      await s3.start();
      expect((await store.get("health-data", "outage")).toString()).toBe("v");
    } finally {
      await store.close();
    }
  });
});
