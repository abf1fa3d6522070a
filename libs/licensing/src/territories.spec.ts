import { ISO_3166_ALPHA2, WORLD, isCountryCode } from './territories.js';

describe('territories', () => {
  it('holds the 249 assigned ISO 3166-1 alpha-2 codes, sorted and unique', () => {
    expect(ISO_3166_ALPHA2).toHaveLength(249);
    expect(new Set(ISO_3166_ALPHA2).size).toBe(249);
    expect([...ISO_3166_ALPHA2].sort()).toEqual(ISO_3166_ALPHA2);
    expect(ISO_3166_ALPHA2.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
  });

  it('accepts assigned codes and rejects reserved, lower-case and WORLD', () => {
    for (const code of ['CN', 'HK', 'MO', 'TW', 'US', 'GB', 'SS', 'BQ']) expect(isCountryCode(code)).toBe(true);
    for (const code of ['UK', 'EU', 'XK', 'ZZ', 'cn', 'CHN', WORLD, '']) expect(isCountryCode(code)).toBe(false);
  });
});
