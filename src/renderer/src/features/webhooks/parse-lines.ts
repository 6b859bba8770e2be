/** Form text → contract values: `k=v` lines and `Name: value` lines. */
export function parseKv(
  text: string,
  sep: '=' | ':',
): { value: Record<string, string>; error?: string } {
  const value: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf(sep);
    if (at <= 0)
      return {
        value,
        error: `expected ${sep === '=' ? 'name=value' : '"Name: value"'}, got "${line.slice(0, 60)}"`,
      };
    value[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { value };
}
