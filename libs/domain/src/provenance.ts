import type { Provenance } from '@cadence/contracts';

/** Who or what asked, without the fields nobody filled: how provenance is stored and shown. */
export function compactProvenance(provenance: Provenance): Record<string, string> {
  const named: Record<string, string> = {};
  for (const [field, value] of Object.entries<string | null>({ ...provenance }))
    if (value !== null) named[field] = value;
  return named;
}
