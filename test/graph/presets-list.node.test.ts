// The hard-coded preset list the browser tests use (test/helpers/presets.ts) is exactly graphs/*.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { presetFiles } from '../helpers/presets';

test('test/helpers/presets.ts lists every file in graphs/ and nothing else', async () => {
  const onDisk = (await readdir(new URL('../../graphs/', import.meta.url))).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual([...presetFiles].sort(), onDisk);
});
