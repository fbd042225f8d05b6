// bench/clickupjs.mjs: the peer, clickup.js 4.0.2 on Node.js, started by
// bench/run.lua:
//
//   node bench/clickupjs.mjs MODULE_DIR PREFIX_URL N EXPECT
//
// MODULE_DIR  the folder holding node_modules/clickup.js (build/bench)
// PREFIX_URL  the client's prefixUrl, e.g. http://127.0.0.1:PORT/n100/api/
//             (clickup.js builds `new URL("v2/team/<id>/time_entries", prefixUrl)`,
//             so it ends with "api/" and the "v2/" comes from the library)
// N, EXPECT   as bench/worker.lua: N timed calls after one untimed warm-up;
//             every answer checked to hold EXPECT entries on warm-up and last
//
// How clickup.js is used (read from node_modules/clickup.js/dist/index.mjs):
// the package is ESM-only and exports createClickup(options) -> Clickup;
// client.team.timeEntries(teamId, query) does GET
// {prefixUrl}v2/team/{teamId}/time_entries through ofetch (Node's fetch,
// undici, keep-alive) inside a p-queue, and resolves to the parsed JSON
// body ({data: [...]}, no mapping). The options are
// { token, request: { prefixUrl }, rateLimit: { requests, interval } }.
// Its default rate limit is a p-queue of 100 requests per 60 s interval
// (options.rateLimit?.interval ?? 6e4), which would throttle a benchmark, so
// it is lifted here: rateLimit { requests: Infinity, interval: 0 }. Calls
// are awaited one after the other (sequential, as the blocking Lua client).
import { pathToFileURL } from "node:url";
import { join, resolve } from "node:path";

const [moduleDir, prefixUrl, nArg, expectArg] = process.argv.slice(2);
const n = Number(nArg), expect = Number(expectArg);
if (!moduleDir || !prefixUrl || !(n > 0) || !(expect >= 0)) {
  console.error("usage: clickupjs.mjs MODULE_DIR PREFIX_URL N EXPECT");
  process.exit(2);
}
const entry = join(resolve(moduleDir), "node_modules", "clickup.js", "dist", "index.mjs");
const { createClickup } = await import(pathToFileURL(entry).href);

const client = createClickup({
  token: "pk_1_BENCH",
  request: { prefixUrl },
  rateLimit: { requests: Infinity, interval: 0 },
});

function check(what, body) {
  const got = body && Array.isArray(body.data) ? body.data.length : String(body);
  if (got !== expect) {
    console.error(`clickupjs: ${what}: expected ${expect} entries, got ${got}`);
    process.exit(1);
  }
}

check("warm-up", await client.team.timeEntries("9012345"));
let last;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) last = await client.team.timeEntries("9012345");
const t1 = process.hrtime.bigint();
check("last", last);
console.log(`RESULT seconds=${(Number(t1 - t0) / 1e9).toFixed(9)} n=${n}`);
process.exit(0);
