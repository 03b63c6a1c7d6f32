#!/usr/bin/env node
// Entry point of the `loandesk` bin. The sources are TypeScript; tsx compiles
// them on load so that a clean clone runs with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli.ts');
