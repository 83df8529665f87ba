import { describeWithSamples } from "@narrative-engine/test-kit";
import { expect, test } from "vitest";
import { formatReport, runChaos } from "../../../tooling/chaos/chaos.mjs";
import { requireBuiltCli } from "./cli-process.ts";

requireBuiltCli();

// The shortened chaos run (tooling/chaos/chaos.mjs has the full one): two worker processes with
// Redis dedup on a private redis-server, ~250 messages (real samples, generated files, ~5 % bad),
// one SIGKILL, one Redis restart, one close of the workers' own broker connections and one S3
// outage. No RabbitMQ application restart here: the broker is shared with other tests.
describeWithSamples("chaos (shortened)", () => {
  test(
    "nothing is lost or doubled: one training object per good message, every bad one dead-lettered or quarantined with its reason, queues empty, dedup counts match",
    async () => {
      const lines: string[] = [];
      const report = await runChaos({
        messages: 250,
        workers: 2,
        generatedUsers: 10,
        publishWindowMs: 10_000,
        maxKills: 1,
        killEveryMs: 4_000,
        redisRestartAtMs: 6_000,
        connectionCloseAtMs: 10_000,
        s3OutageAtMs: 14_000,
        s3DownMs: 3_000,
        brokerRestart: false,
        timeoutMs: 240_000,
        log: (line) => lines.push(line),
      });
      console.info(formatReport(report));
      expect(report.failures, lines.join("\n")).toEqual([]);
      expect(report.faults).toMatchObject({ kills: 1, redisRestarts: 1, connectionCloses: 1, s3Outages: 1, brokerRestarts: 0 });
      expect(report.trainingObjects).toBe(report.messages.good);
      expect(report.ok).toBe(true);
    },
    420_000,
  );
});
