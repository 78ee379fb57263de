#!/usr/bin/env node
// The `latentflow` command. The sources are TypeScript; tsx's loader runs them without a build.
import { register } from 'tsx/esm/api';

register();
const { main, exitOnUnhandledRejection } = await import('../src/cli/main.ts');
exitOnUnhandledRejection();
process.exitCode = await main(process.argv.slice(2));
