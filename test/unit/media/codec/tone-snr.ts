/**
 * Test helper: signal-to-noise ratio of a received sine. Fits a·sin + b·cos + c at the known
 * frequency by least squares (so codec delay and phase do not matter) and compares the fitted
 * sine's power with the residual's.
 */
export function toneSnrDb(
  pcm: ArrayLike<number>,
  frequency: number,
  sampleRate: number,
  start = 0,
  end = pcm.length,
): number {
  const w = (2 * Math.PI * frequency) / sampleRate;
  // Normal equations for [sin, cos, 1].
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const v = [0, 0, 0];
  for (let i = start; i < end; i++) {
    const basis = [Math.sin(w * i), Math.cos(w * i), 1];
    for (let r = 0; r < 3; r++) {
      v[r]! += basis[r]! * pcm[i]!;
      for (let c = 0; c < 3; c++) m[r]![c]! += basis[r]! * basis[c]!;
    }
  }
  const [a, b, c] = solve3(m, v);
  let signal = 0;
  let noise = 0;
  for (let i = start; i < end; i++) {
    const fit = a * Math.sin(w * i) + b * Math.cos(w * i);
    signal += fit * fit;
    const e = pcm[i]! - fit - c;
    noise += e * e;
  }
  return 10 * Math.log10(signal / Math.max(noise, 1e-9));
}

function solve3(m: number[][], v: number[]): [number, number, number] {
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++)
      if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k < 4; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return [a[0]![3]! / a[0]![0]!, a[1]![3]! / a[1]![1]!, a[2]![3]! / a[2]![2]!];
}
