import type { Api } from "./types.js";
export type * from "./types.js";

declare const api: Api;
export default api;
export declare const run: Api["run"];
export declare const runJson: Api["runJson"];
export declare const tally: Api["tally"];
export declare const tallyMany: Api["tallyMany"];
export declare const tallyTotals: Api["tallyTotals"];
export declare const explain: Api["explain"];
export declare const deadline: Api["deadline"];
export declare const parseCsv: Api["parseCsv"];
export declare const rulebooks: Api["rulebooks"];
export declare const errorCodes: Api["errorCodes"];
export declare const version: string;
