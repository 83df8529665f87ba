import { DataQualityError } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { validation } from "../__fixtures__/activity-sleep-records.ts";
import { timedResult } from "./timed-result.ts";

const v = validation("StepsRecord", 3);

describe("timedResult", () => {
  test("a narrative becomes a successful result with the validation score", () => {
    const r = timedResult(v, () => ({ kind: "narrative", narrative: "Text 1.", insights: { n: 1 }, recordsProcessed: 3 }));
    expect(r).toMatchObject({ success: true, narrative: "Text 1.", recordsProcessed: 3, qualityScore: 0.95, clinicalInsights: { n: 1 } });
    expect(r.processingTimeSeconds).toBeGreaterThanOrEqual(0);
  });

  test("insufficient data is a failed result carrying the plain reason", () => {
    const r = timedResult(v, () => ({ kind: "insufficient", reason: "no step records to describe", insights: { days: [] }, recordsProcessed: 0 }));
    expect(r).toMatchObject({ success: false, errorMessage: "no step records to describe", recordsProcessed: 0 });
    expect(r.narrative).toBeUndefined();
  });

  test("a thrown error is returned without its message (which may quote record values)", () => {
    const r = timedResult(v, () => {
      throw new RangeError("value 187 bpm out of range");
    });
    expect(r.success).toBe(false);
    expect(r.errorMessage).toBe("processing failed (RangeError)");
    expect(r.errorMessage).not.toContain("187");
  });

  test("a DataQualityError propagates so the file is quarantined, as runProcessor does", () => {
    expect(() =>
      timedResult(v, () => {
        throw new DataQualityError("no plausible samples");
      }),
    ).toThrow(DataQualityError);
  });
});
