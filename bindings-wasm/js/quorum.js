// Browser entry point for quorum pages: `const yw = await load()` fetches a
// module less than half the size of `yeweihui/web`'s that runs the
// operations a vote check needs (tally, tallyCsv, tallyTotals, explain,
// parseCsv, rulebooks, and run / runJson for those); any other operation is
// `unknown_operation` here and needs `yeweihui/web`.
import init, * as native from "../pkg/quorum/yeweihui_quorum.js";
import { loader } from "./api.js";

/** Loads the module once; later calls return the same API. */
export const load = loader(init, native);
