// TypeScript: a consumer file type-checks against the shipped declarations,
// and every conformance vector's real input and output is checked against
// the declared types (object literals: unknown keys are errors), so the
// declarations cannot drift from what the engine accepts and returns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yw from "../js/node.js";
import { ROOT, inputText, loadVectors } from "./vectors.mjs";

const OUTPUT_TYPES = {
  tally: "Outcome", tally_many: "TallyManyOutput", tally_totals: "TotalsOutcome", explain: "ExplainOutput",
  deadline: "DeadlineOutput", csv: "CsvOutput", rulebooks: "RulebooksOutput",
  assembly_notice: "Notice", requisition: "Requisition", disclosure_schedule: "Schedule", disclosure_audit: "Audit",
  committee_meeting: "MeetingOutcome", fund_route: "Route", fund_approval: "FundApproval", cost_split: "CostSplit", public_revenue: "RevenueSummary",
  election: "ElectionOutcome", term: "Term", removal: "Removal", vacancy: "Vacancies", offices: "Offices",
  rules_in_force: "RulesInForceOutput", parse_rulebook: "Rulebook",
};
const INPUT_TYPES = {
  tally: "TallyInput", tally_many: "TallyManyInput", tally_totals: "TotalsInput", deadline: "DeadlineInput", csv: "CsvInput",
  assembly_notice: "NoticeInput", requisition: "RequisitionInput", disclosure_schedule: "ScheduleInput", disclosure_audit: "AuditInput",
  committee_meeting: "CommitteeMeetingInput", fund_route: "FundRouteInput", fund_approval: "FundApprovalInput", cost_split: "CostSplitInput", public_revenue: "RevenueInput",
  election: "ElectionInput", term: "TermInput", removal: "RemovalInput", vacancy: "VacancyInput", offices: "OfficesInput",
  rules_in_force: "RulesInForceInput", parse_rulebook: "ParseRulebookInput",
};

test("declarations match real inputs and outputs; a consumer type-checks", () => {
  const dir = join(ROOT, "test-output", "ts");
  mkdirSync(dir, { recursive: true });
  const lines = ['import type * as Y from "yeweihui";'];
  let n = 0;
  for (const v of loadVectors()) {
    if ("error" in v.expect) continue;
    assert.ok(OUTPUT_TYPES[v.operation], `no declared output type for operation ${v.operation}`);
    const out = yw.runJson(v.operation, inputText(v));
    lines.push(`export const out${n}: Y.${OUTPUT_TYPES[v.operation]} = ${out}; // ${v.name}`);
    if (INPUT_TYPES[v.operation] && typeof v.input === "object") {
      lines.push(`export const in${n}: Y.${INPUT_TYPES[v.operation]} = ${JSON.stringify(v.input)};`);
    }
    n++;
  }
  writeFileSync(join(dir, "vectors.ts"), lines.join("\n") + "\n");
  writeFileSync(
    join(dir, "consumer.ts"),
    `import yw, { tally, explain, type Outcome, type YeweihuiError } from "yeweihui";
import { load } from "yeweihui/web";
import { load as loadQuorum } from "yeweihui/quorum";
const out: Outcome = tally({ rulebook: "cn-national", decided_on: "2026-05-01", matter: "rebuild", register: { units: [{ id: "1", area: "90" }] }, ballots: [{ unit: "1", choice: "agree" }] });
const text: string = explain(out, "en");
const spec = { rulebook: "cn-national", decided_on: "2026-05-01", matter: "rebuild" } as const;
const fromCsv: Outcome = yw.tallyCsv(spec, "id,area\\n1,90\\n", "unit,choice\\n1,agree\\n");
// @ts-expect-error the register comes as CSV text, not in the input
yw.tallyCsv({ ...spec, register: [] }, "id,area\\n", "unit,choice\\n");
void loadQuorum().then((q) => q.tallyCsv(spec, "", "").passed);
const short: string | undefined = out.checks["participation.area"]?.shortfall;
const due: string = yw.run("deadline", { start: "2026-05-01", period: { days: 15 } }).due;
try { yw.tally({} as never); } catch (e) { const code: string = (e as YeweihuiError).code; void code; }
void load().then((api) => api.rulebooks().presets.length);
void loadQuorum().then((q) => q.run("tally_totals", "{}").checks["approval.area"].met && q.tally({} as never).passed);
// @ts-expect-error the quorum module has no deadline
void loadQuorum().then((q) => q.deadline);
// @ts-expect-error nor runs it
void loadQuorum().then((q) => q.run("deadline", "{}"));
void text; void short; void due; void fromCsv;
`,
  );
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true, exactOptionalPropertyTypes: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext",
        target: "es2022", lib: ["es2022", "dom"], skipLibCheck: false, types: [],
        paths: {
          yeweihui: ["../../bindings-wasm/js/node.d.ts"],
          "yeweihui/web": ["../../bindings-wasm/js/web.d.ts"],
          "yeweihui/quorum": ["../../bindings-wasm/js/quorum.d.ts"],
        },
      },
      files: ["vectors.ts", "consumer.ts"],
    }),
  );
  const tsc = join(ROOT, "bindings-wasm", "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
  } catch (e) {
    assert.fail(`tsc found drift or type errors:\n${e.stdout}${e.stderr}`);
  }
});
