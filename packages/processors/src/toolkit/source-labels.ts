/** Readable names of the Health Connect data origins seen in exports; package names are not identifiers of a person. */
export const SOURCE_LABELS: Readonly<Record<string, string>> = {
  "com.sec.android.app.shealth": "Samsung Health",
  "com.ouraring.oura": "Oura",
  "com.google.android.apps.fitness": "Google Fit",
  "com.fitbit.FitbitMobile": "Fitbit",
  "com.garmin.android.apps.connectmobile": "Garmin Connect",
  "com.withings.wiscale2": "Withings",
  "com.dexcom.stelo": "Dexcom Stelo",
  "com.dexcom.g7": "Dexcom G7",
  "com.whoop.android": "WHOOP",
  "com.polar.flow": "Polar Flow",
};

/** The readable name of a data origin (`com.ouraring.oura` → "Oura"); unknown packages are shown as their package name. */
export function sourceLabel(packageName: string): string {
  return SOURCE_LABELS[packageName] ?? packageName;
}

/** Readable names joined for a sentence: "Oura", "Oura and Samsung Health", "A, B and C". */
export function joinLabels(labels: readonly string[]): string {
  if (labels.length <= 1) return labels[0] ?? "";
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1] ?? ""}`;
}
