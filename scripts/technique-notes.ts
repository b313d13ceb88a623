/** The hand-written findings under the techniques tables (docs/validation.md), kept next to the script that writes them. */
export const TECHNIQUE_NOTES: readonly string[] = ['_(diagnosis pending)_'];
