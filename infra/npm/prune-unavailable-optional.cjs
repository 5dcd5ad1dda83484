#!/usr/bin/env node
// The npm registry reachable from our machines serves only some platforms'
// binary packages (for example @swc/core-darwin-arm64 answers 404). `npm
// install` then leaves those optional dependencies out of package-lock.json,
// and `npm ci` refuses the lock ("Missing: …@ from lock file"). The packages
// cannot be installed here anyway, so this removes, from every lock entry's
// `optionalDependencies`, the names the lock holds no package for.
// Run it after every `npm install` that changes the lock: `npm run lock:prune`.
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((key) => key.replace(/^.*node_modules\//, '')));
let pruned = 0;
for (const entry of Object.values(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!present.has(name)) {
      delete entry.optionalDependencies[name];
      pruned += 1;
    }
  }
  if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`pruned ${pruned} optional dependencies this registry does not serve\n`);
