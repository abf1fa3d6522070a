import { MEDIA, Medium, isMedium } from './media.js';

describe('Medium', () => {
  it('has the agreed snake_case values with any last', () => {
    expect(MEDIA).toEqual(['print', 'online', 'broadcast_tv', 'radio', 'cinema', 'mobile', 'physical_media', 'live', 'any']);
  });

  it('recognises only exact values', () => {
    expect(isMedium(Medium.BroadcastTv)).toBe(true);
    expect(isMedium('TV')).toBe(false);
    expect(isMedium('Print')).toBe(false);
  });
});
