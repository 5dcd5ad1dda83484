import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The product, its CLI, tests and CI run on Node.js 24:
 * the machines have an older Node that only bootstraps npm; the pinned npm
 * package `node` puts Node 24 in node_modules/.bin, which every npm script
 * (and so this test, run by `npm test`) uses. The Docker image and `engines`
 * name the same major version.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const major = (version: string) => Number(/^v?(\d+)\./.exec(version)?.[1]);

describe('the Node.js runtime', () => {
  it('is Node.js 24 when run through npm (the pinned package `node`)', () => {
    expect(major(process.versions.node + '.')).toBe(24);
    expect(packageJson.dependencies.node).toMatch(/^24\.\d+\.\d+$/); // pinned exactly
    expect(packageJson.allowScripts.node).toBe(true); // its install script fetches the binary
  });

  it('is what `engines` admits: Node 24 only', () => {
    expect(packageJson.engines.node).toBe('>=24 <25');
    expect(packageJson.devDependencies['@types/node']).toMatch(/^24\./);
  });

  it('is the major version of the Docker image', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'infra', 'docker', 'Dockerfile'), 'utf8');
    const image = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile)?.[1];
    expect(Number(image)).toBe(24);
  });

  it('is what CI uses for its own summary (no bare `node` of the machine)', () => {
    const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).not.toMatch(/^\s*node\s/m);
  });
});
