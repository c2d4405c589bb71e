#!/usr/bin/env node
// `node examples/recall-list/src/main.ts --url http://127.0.0.1:3000 --clinic 2 > recall.csv`
import { runRecallList } from "./cli.ts";

process.exitCode = await runRecallList({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
