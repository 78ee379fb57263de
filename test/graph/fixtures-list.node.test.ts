// Every fixture file is asserted somewhere: a file dropped into test/fixtures/ without an
// expectation would otherwise be silently ignored (browsers cannot list directories).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';

const where: Record<string, string> = {
  'broken': 'fixtures.shared.test.ts',
  'v0': 'migrations.shared.test.ts',
};

for (const [dir, testFile] of Object.entries(where)) {
  test(`every file in test/fixtures/${dir}/ is named in test/graph/${testFile}`, async () => {
    const files = await readdir(new URL(`../fixtures/${dir}/`, import.meta.url));
    const source = await readFile(new URL(`./${testFile}`, import.meta.url), 'utf8');
    assert.ok(files.length > 0);
    assert.deepEqual(files.filter((f) => !source.includes(`'${f}'`) && !source.includes(`${dir}/${f}'`)), []);
  });
}
