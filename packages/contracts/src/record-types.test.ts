import { describe, expect, test } from "vitest";
import { HEALTH_DOMAIN_BY_RECORD_TYPE, RECORD_TYPES, normalizeRecordType, parseRecordType } from "./index.ts";

describe("record types", () => {
  test.each(RECORD_TYPES.map((t) => [t]))("%s is accepted plain, Avro-prefixed and fully qualified", (type) => {
    expect(parseRecordType(type)).toBe(type);
    expect(parseRecordType(`Avro${type}`)).toBe(type);
    expect(parseRecordType(`io.github.hitoshura25.healthsyncapp.data.avro.Avro${type}`)).toBe(type);
    expect(HEALTH_DOMAIN_BY_RECORD_TYPE[type]).toBeTruthy();
  });

  test.each([["WeightRecord"], ["bloodglucoserecord"], ["AvroAvroBloodGlucoseRecord"], [""], [42], [null], [undefined]])(
    "%j is rejected",
    (value) => {
      expect(parseRecordType(value)).toBeUndefined();
      expect(() => normalizeRecordType(value)).toThrow(/unknown record type/);
    },
  );
});
