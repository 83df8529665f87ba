/** Options of {@link runChaos}; every field has a default (the full run). */
export interface ChaosOptions {
  readonly messages?: number;
  readonly workers?: number;
  readonly badRatio?: number;
  readonly generatedUsers?: number;
  readonly publishWindowMs?: number;
  readonly killEveryMs?: number;
  readonly maxKills?: number;
  readonly redisRestartAtMs?: number;
  readonly redisDownMs?: number;
  readonly connectionCloseAtMs?: number;
  readonly s3OutageAtMs?: number;
  readonly s3DownMs?: number;
  readonly brokerRestart?: boolean;
  readonly brokerRestartAtMs?: number;
  readonly prefetch?: number;
  readonly leaseSeconds?: number;
  readonly retryDelays?: string;
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly rabbitUrl?: string;
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

/** What a chaos run found. */
export interface ChaosReport {
  readonly ok: boolean;
  readonly failures: readonly string[];
  readonly prefix: string;
  readonly work: string;
  readonly messages: { total: number; good: number; goodFromSamples: number; bad: number; expectDlq: number; expectQuarantine: number };
  readonly faults: { kills: number; started: number; redisRestarts: number; connectionCloses: number; closedConnections: number; s3Outages: number; brokerRestarts: number };
  readonly events: readonly { at: string; what: string }[];
  readonly trainingObjects: number;
  readonly quarantined: number;
  readonly deadLetters: { distinct: number; copies: number };
  readonly quarantineReasons: Readonly<Record<string, number>>;
  readonly dlqReasons: Readonly<Record<string, number>>;
  readonly finalQueues: Readonly<Record<string, number>>;
  readonly dedup: Readonly<Record<string, number>> | null;
  readonly expectedDedup: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly latencyMs: { p50: number; p95: number; max: number };
  readonly wallSeconds: number;
  readonly throughputPerSecond: number;
}

/** Runs the chaos scenario against the built CLI; resolves with the report (`ok` false when an invariant failed). */
export function runChaos(options?: ChaosOptions): Promise<ChaosReport>;
/** The report as text. */
export function formatReport(report: ChaosReport): string;
/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number>;
