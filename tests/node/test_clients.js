// The extension loaded into Node through better-sqlite3 (db.loadExtension), a client
// with its own SQLite compiled in: the three queries of tests/fixtures/clients/queries.json
// (an audit_events query, an iocs() join, an ip_enrichment lookup with local data) give
// their rows; an SQL error is a thrown SqliteError with sqlhunt's message.
//
//   SQLHUNT_EXTENSION=build/sqlhunt.so node tests/node/test_clients.js
//
// better-sqlite3 is installed by scripts/setup (scripts/fetch-node-modules: `npm ci` into
// tests/node/node_modules from the committed package-lock.json). Exit 77 (skipped) when
// Node or the module is missing, saying which.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const SKIP = 77;
const source = process.env.SQLHUNT_SOURCE_DIR || path.resolve(__dirname, '..', '..');
const extension = path.resolve(process.env.SQLHUNT_EXTENSION || path.join(source, 'build', 'sqlhunt.so'));

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  console.log(`SKIP: better-sqlite3 12 needs Node.js 20 or later; this is ${process.version}`);
  process.exit(SKIP);
}
let Database;
try {
  Database = require('better-sqlite3');
} catch (e) {
  console.log(`SKIP: better-sqlite3 is not installed in tests/node (scripts/setup runs scripts/fetch-node-modules): ${e.message.split('\n')[0]}`);
  process.exit(SKIP);
}

// The clients run from the source tree's root, offline, without touching the user's cache.
process.chdir(source);
process.env.SQLHUNT_OFFLINE = '1';
process.env.SQLHUNT_CACHE = 'off';
const spec = JSON.parse(fs.readFileSync(path.join(source, 'tests', 'fixtures', 'clients', 'queries.json'), 'utf8'));

let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    fn();
    console.log(`ok: ${name}`);
    passed++;
  } catch (e) {
    console.log(`FAILED: ${name}\n${e.stack}`);
    failed++;
  }
}

const db = new Database(':memory:');
check('loadExtension', () => {
  db.loadExtension(extension);
  const version = db.prepare('SELECT sqlhunt_version()').pluck().get();
  assert.match(version, /^\d+\.\d+\.\d+$/);
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get();
  console.log(`  sqlhunt ${version} in better-sqlite3 ${require('better-sqlite3/package.json').version} ` +
              `(SQLite ${sqlite}), Node ${process.version}`);
});

for (const q of spec.queries) {
  check(q.name, () => assert.deepStrictEqual(db.prepare(q.sql).raw().all(), q.rows));
}

const geoipFiles = db.prepare("SELECT value FROM sqlhunt_settings WHERE key IN ('geoip.city_v4', 'geoip.asn_v4')").pluck().all();
if (geoipFiles.every((f) => f && fs.existsSync(f))) {
  check(spec.geoip.name, () => assert.deepStrictEqual(db.prepare(spec.geoip.sql).raw().all(), spec.geoip.rows));
} else {
  console.log(`SKIP (GeoIP): no GeoIP/ASN data at ${geoipFiles.join(', ')}; checking the class column only`);
  check(spec.geoip_absent.name,
        () => assert.deepStrictEqual(db.prepare(spec.geoip_absent.sql).raw().all(), spec.geoip_absent.rows));
}

check('an SQL error is a thrown SqliteError with the message', () => {
  assert.throws(() => db.prepare("SELECT * FROM audit_events('no/such/file.log')").all(),
                (e) => e.name === 'SqliteError' && /audit_events: cannot open 'no\/such\/file\.log'/.test(e.message));
});

check('parameters bind to table arguments', () => {
  const rows = db.prepare('SELECT count(*) FROM audit_events(?) WHERE addr = ?').pluck()
                 .all('tests/fixtures/audit/sample.log', '203.0.113.9');
  assert.deepStrictEqual(rows, [2]);
});

db.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
