import zoneAliases from 'cldr-bcp47/bcp47/timezone.json' with { type: 'json' };
import windowsZoneData from 'cldr-core/supplemental/windowsZones.json' with { type: 'json' };

/**
 * Microsoft Graph takes a `dateTimeTimeZone`'s zone as a Windows zone name ("W. Europe Standard
 * Time"), or an IANA name only from its own short list; we store IANA names. Unicode CLDR keeps
 * the mapping (`windowsZones`, under CLDR's own ids such as `Asia/Calcutta`) and every id's
 * aliases (BCP 47 `timezone`: `Asia/Calcutta Asia/Kolkata`), both from the Unicode Consortium's
 * npm packages, updated with each CLDR release.
 */
const byCldrId = new Map<string, string>();
const MAIN_ZONE = new Map<string, string>();
for (const { mapZone } of windowsZoneData.supplemental.windowsZones.mapTimezones) {
  // Each zone is listed under its territory; the `001` row names a Windows zone's main IANA zone.
  for (const zone of mapZone._type.split(' ')) if (!byCldrId.has(zone)) byCldrId.set(zone, mapZone._other);
  if (mapZone._territory === '001') MAIN_ZONE.set(mapZone._other, mapZone._type);
}

const WINDOWS_ZONE = new Map<string, string>();
for (const entry of Object.values(zoneAliases.keyword.u.tz)) {
  if (typeof entry !== 'object' || entry === null || !('_alias' in entry) || typeof entry._alias !== 'string') continue;
  const names = entry._alias.split(' ');
  const windows = names.map((name) => byCldrId.get(name)).find((name) => name !== undefined);
  if (windows !== undefined) for (const name of names) WINDOWS_ZONE.set(name, windows);
}

/**
 * The Windows zone Graph accepts for an IANA zone (any of its aliases, old or new: `Asia/Kolkata`
 * and `Asia/Calcutta`, `Europe/Kyiv` and `Europe/Kiev`); null for the few CLDR maps to none
 * (`Antarctica/Troll`) or a name that is no zone.
 */
export function windowsZone(iana: string): string | null {
  const direct = WINDOWS_ZONE.get(iana);
  if (direct !== undefined) return direct;
  // A link CLDR does not list under that spelling: the runtime's own canonical name for it.
  try {
    return WINDOWS_ZONE.get(new Intl.DateTimeFormat('en', { timeZone: iana }).resolvedOptions().timeZone) ?? null;
  } catch {
    return null;
  }
}

/** The main IANA zone of a Windows zone Graph names (CLDR's `001` row: "W. Europe Standard Time" is Europe/Berlin); null for a name CLDR does not map. */
export function ianaZone(windows: string): string | null {
  return MAIN_ZONE.get(windows) ?? null;
}
