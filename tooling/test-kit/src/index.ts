export { describeWithSamples, readSample, sampleFiles, samplesAvailable, samplesDir, type SampleFile } from "./samples.ts";
export { closedPort, freePort } from "./ports.ts";
export { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from "./s3-server.ts";
export { deleteTopology, drainQueue, queueDepth, rabbitUrl, uniquePrefix } from "./rabbit.ts";
export { deleteRedisPrefix, redisKeyPrefix, redisUrl } from "./redis.ts";
export { seededRandom } from "./random.ts";
