/** Splits NUL-terminated output into byte buffers. */
export function splitNul(output: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = output.indexOf(0, start); i !== -1; i = output.indexOf(0, start)) {
    parts.push(output.subarray(start, i));
    start = i + 1;
  }
  if (start !== output.length)
    throw new Error(`output does not end with NUL: ${JSON.stringify(output.subarray(start).toString())}`);
  return parts;
}

/** Reads `env -0` output into a map of name -> raw bytes of the value. */
export function parseEnv0(output: Buffer): Map<string, Buffer> {
  const env = new Map<string, Buffer>();
  for (const entry of splitNul(output)) {
    const eq = entry.indexOf('=');
    env.set(entry.subarray(0, eq).toString('utf8'), entry.subarray(eq + 1));
  }
  return env;
}
