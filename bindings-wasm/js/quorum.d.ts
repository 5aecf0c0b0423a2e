import type { QuorumApi } from "./types.js";
export type * from "./types.js";

/** Loads the quorum module (the .wasm next to the package, or the URL / bytes / module given). */
export declare function load(moduleOrPath?: string | URL | Request | BufferSource | WebAssembly.Module): Promise<QuorumApi>;
