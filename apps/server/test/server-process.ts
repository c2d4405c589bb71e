// The real server as a process of its own (`node src/main.ts`), as `npm start` runs it.
import type { ChildProcess } from "node:child_process";

/** Resolves with the first match of `pattern` in what the process printed; rejects if it exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) resolve(match);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) =>
      reject(new Error(`server exited with ${code} before printing ${pattern}:\n${output}`)),
    );
  });
}
