// Browser entry point of the whole engine: `const yw = await load()` fetches
// and instantiates the .wasm next to this package (or the URL / bytes given),
// then returns the API. Pages that only check votes can load the smaller
// `yeweihui/quorum` instead.
import init, * as native from "../pkg/web/yeweihui_wasm.js";
import { loader } from "./api.js";

/** Loads the engine once; later calls return the same API. */
export const load = loader(init, native);
