/**
 * Resizing a set of typed columns in one step, for the column classes of the analysis (packets,
 * streams, flows, probes, evidence). Each typed-array property of the holder has `perRow` values
 * a row (its length ÷ the old capacity): all are re-made for the new capacity, copying only the
 * filled rows. Untouched pages of a reserved column cost no resident memory, and on a VM a first
 * write to a fresh page is the expensive part — so the analysis reserves once from its projection
 * instead of doubling (and copying) its way up.
 */

type Column = Float64Array | Uint32Array | Int32Array | Uint16Array | Int8Array | Uint8Array;

export function resizeColumns(holder: object, oldCapacity: number, newCapacity: number, filledRows: number): void {
  const columns = holder as Record<string, unknown>;
  for (const [key, value] of Object.entries(columns)) {
    if (!ArrayBuffer.isView(value) || value instanceof DataView) continue;
    const column = value as Column;
    const perRow = oldCapacity === 0 ? 1 : column.length / oldCapacity;
    const next = new (column.constructor as new (length: number) => Column)(Math.ceil(newCapacity * perRow));
    next.set(column.subarray(0, filledRows * perRow));
    columns[key] = next;
  }
}

/** The capacity to reserve for `wanted` rows, or `current` when that is enough (growth by at least `minimumGrowth`). */
export function reservedCapacity(current: number, wanted: number, minimumGrowth = 1.25): number {
  if (wanted <= current) return current;
  return Math.ceil(Math.max(wanted, current * minimumGrowth));
}
