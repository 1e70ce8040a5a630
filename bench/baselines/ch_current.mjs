// bench/ch_current.sh's second half: agentcost's ClickHouse statements run
// again on a current ClickHouse engine (chDB, ClickHouse as a library, from
// the npm registry; never a dependency of agentcost), and each answer
// compared with the one the ClickHouse 18.16 server gave.
//   node ch_current.mjs NODE_MODULES DDL_LOG QUERY_LOG SPAN_ROWBINARY STRUCTURE HTTP_PORT DB SESSION_DIR
// DDL_LOG and QUERY_LOG are AGENTCOST_CH_LOG files (statements separated by
// ";\n\n"). Prints the counts and every statement that failed or answered
// otherwise; exits 1 when one did.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';

const [mods, ddlLog, qLog, spanBin, structure, port, db, sessDir] = process.argv.slice(2);
const require = createRequire(mods + '/');
const { Session } = require('chdb');
const statements = (f) =>
  fs.readFileSync(f, 'utf8').split(';\n\n').map((s) => s.trim()).filter(Boolean);

function server(sql) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST',
        path: `/?database=${db}&max_query_size=100000000` },
      (r) => { let b = ''; r.on('data', (d) => (b += d)); r.on('end', () => resolve({ code: r.statusCode, body: b })); });
    req.on('error', (e) => resolve({ code: 0, body: String(e) }));
    req.end(sql);
  });
}

const s = new Session(sessDir);
const local = (sql) => {
  try { return { ok: true, body: s.query(sql, 'TabSeparated') }; } catch (e) { return { ok: false, body: String(e.message || e) }; }
};
const version = local('SELECT version()').body.trim();

// the schema as agentcost creates it (CREATE DATABASE, CREATE TABLE ...)
local(`CREATE DATABASE IF NOT EXISTS ${db}`);
local(`USE ${db}`);
let setup = 0;
const setupFail = [];
for (const q of statements(ddlLog)) {
  if (!/^(CREATE|SELECT)/i.test(q)) continue;
  setup++;
  const r = local(q.replace(/\nFORMAT TabSeparated$/, ''));
  if (!r.ok) setupFail.push(`${q.slice(0, 160)}\n    => ${r.body.slice(0, 300)}`);
}
const load = local(`INSERT INTO ${db}.span SELECT * FROM file('${spanBin}', 'RowBinary', '${structure}')`);
if (!load.ok) setupFail.push(`loading the spans => ${load.body.slice(0, 300)}`);

// numbers equal to 1e-9 relative; rows in any order when the statement has
// no ORDER BY
const rows = (t) => t.split('\n').filter(Boolean).map((l) => l.split('\t'));
const sameCell = (a, b) => {
  if (a === b) return true;
  const x = Number(a), y = Number(b);
  return a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y) &&
    Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
};
const sorted = (r) => r.map((x) => x.join('\t')).sort().map((x) => x.split('\t'));
function sameRows(ra, rb) {
  return ra.length === rb.length &&
    ra.every((r, i) => r.length === rb[i].length && r.every((v, j) => sameCell(v, rb[i][j])));
}
// 1: the same rows in the same order (any order without ORDER BY); 2: the
// same rows, rows whose ORDER BY keys tie in another order; 0: otherwise
function sameAnswer(q, a, b) {
  const ra = rows(a), rb = rows(b);
  if (!/ORDER BY/i.test(q)) return sameRows(sorted(ra), sorted(rb)) ? 1 : 0;
  if (sameRows(ra, rb)) return 1;
  return sameRows(sorted(ra), sorted(rb)) ? 2 : 0;
}

const seen = new Set();
let n = 0, same = 0, ties = 0;
const differ = [], failed = [];
for (const q of statements(qLog)) {
  if (!/^(SELECT|WITH)/i.test(q) || seen.has(q)) continue;
  seen.add(q);
  n++;
  const a = await server(q);
  const b = local(q);
  const head = q.replace(/\s+/g, ' ').slice(0, 200);
  let k;
  if (a.code !== 200) failed.push(`${head}\n    => ClickHouse 18.16: ${a.body.slice(0, 300)}`);
  else if (!b.ok) failed.push(`${head}\n    => ClickHouse ${version}: ${b.body.slice(0, 300)}`);
  else if (a.body === b.body) same++;
  else if ((k = sameAnswer(q, a.body, b.body)) === 1) same++;
  else if (k === 2) ties++;
  else differ.push(`${head}\n    18.16: ${a.body.slice(0, 300).replace(/\n/g, ' | ')}\n    ${version}: ${b.body.slice(0, 300).replace(/\n/g, ' | ')}`);
}
console.log(`ClickHouse ${version} (chDB): ${setup} set-up statements, ${setupFail.length} failed; ` +
  `${n} distinct read statements: ${same} answered as 18.16, ${ties} with the same rows but rows ` +
  `whose ORDER BY keys tie in another order, ${differ.length} otherwise, ${failed.length} failed`);
for (const x of setupFail) console.log(`SET-UP FAILED ${x}`);
for (const x of failed) console.log(`FAILED ${x}`);
for (const x of differ) console.log(`DIFFERS ${x}`);
process.exit(setupFail.length + failed.length + differ.length ? 1 : 0);
