export * from "./toolkit/index.ts";
