import type { Api } from "./types.js";
export type * from "./types.js";

/** Loads the engine (the .wasm next to the package, or the URL / bytes / module given). */
export declare function load(moduleOrPath?: string | URL | Request | BufferSource | WebAssembly.Module): Promise<Api>;
