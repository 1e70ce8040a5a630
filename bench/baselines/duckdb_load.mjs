// DuckDB loading OTLP JSON lines into a table (bench/baselines/duckdb_extract.sql),
// with 2 threads, timed: the baseline `make bench` sets beside agentcost ingest.
//   node duckdb_load.mjs NODE_MODULES_DIR FILE.jsonl DB [THREADS]
// Prints one line: "<seconds> <rows>". The engine comes from the npm package
// @duckdb/node-api, installed by bench/run.sh into NODE_MODULES_DIR's parent.
import { createRequire } from 'node:module';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [modules, file, db, threads = '2'] = process.argv.slice(2);
if (!modules || !file || !db) {
  console.error('usage: node duckdb_load.mjs NODE_MODULES_DIR FILE DB [THREADS]');
  process.exit(2);
}
const require = createRequire(join(modules, 'noop.js'));
const { DuckDBInstance } = require('@duckdb/node-api');
const here = dirname(fileURLToPath(import.meta.url));
const sql = readFileSync(join(here, 'duckdb_extract.sql'), 'utf8').replaceAll('@FILE@', file.replaceAll("'", "''"));

for (const p of [db, db + '.wal']) rmSync(p, { force: true });
const instance = await DuckDBInstance.create(db);
const conn = await instance.connect();
await conn.run(`SET threads = ${Number(threads)}`);
const t0 = performance.now();
await conn.run(sql);
await conn.run('CHECKPOINT');
const secs = (performance.now() - t0) / 1000;
const rows = (await conn.runAndReadAll('SELECT count(*) FROM span')).getRows()[0][0];
console.log(`${secs.toFixed(2)} ${rows}`);
conn.closeSync();
instance.closeSync();
