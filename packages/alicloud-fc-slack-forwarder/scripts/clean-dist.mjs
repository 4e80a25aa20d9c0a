#!/usr/bin/env node
// Empties dist/ before a build (both tsup configs build into it in parallel with `clean: false`).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

rmSync(fileURLToPath(new URL('../dist', import.meta.url)), { recursive: true, force: true });
