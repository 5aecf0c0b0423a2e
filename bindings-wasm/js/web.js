// Browser entry point: `const yw = await load()` fetches and instantiates the
// .wasm next to this package (or the URL / bytes given), then returns the API.
import init, * as native from "../pkg/web/yeweihui_wasm.js";
import { bind } from "./api.js";

let loaded;

/** Loads the engine once; later calls return the same API. */
export function load(moduleOrPath) {
  loaded ??= init(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(() => bind(native));
  return loaded;
}
