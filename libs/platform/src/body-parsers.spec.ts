import { AppError, ErrorCode } from '#errors';
import { parseJsonBody } from './body-parsers.js';

function refusal(text: string, contentType = 'application/json'): string | undefined {
  try {
    parseJsonBody(text, contentType);
    return undefined;
  } catch (error) {
    return (error as AppError).code;
  }
}

describe('parseJsonBody', () => {
  it('parses objects and arrays', () => {
    expect(parseJsonBody('{"title":"富春山居图","n":[1,2]}', 'application/json')).toEqual({ title: '富春山居图', n: [1, 2] });
    expect(parseJsonBody('[1]', 'application/json; charset=utf-8')).toEqual([1]);
    expect(parseJsonBody('{}', 'application/json; charset="UTF-8"')).toEqual({});
  });

  it('takes an empty body as an empty object (a call without a body may still say it sends JSON)', () => {
    expect(parseJsonBody('', 'application/json')).toEqual({});
  });

  it('refuses what is not JSON, or not an object or array, as INVALID_JSON', () => {
    expect(refusal('{"title":')).toBe(ErrorCode.InvalidJson);
    expect(refusal('not json')).toBe(ErrorCode.InvalidJson);
    expect(refusal('"a string"')).toBe(ErrorCode.InvalidJson);
    expect(refusal('42')).toBe(ErrorCode.InvalidJson);
    expect(refusal('null')).toBe(ErrorCode.InvalidJson);
  });

  it('refuses another charset than UTF-8 as UNSUPPORTED_MEDIA_TYPE', () => {
    expect(refusal('{}', 'application/json; charset=latin1')).toBe(ErrorCode.UnsupportedMediaType);
    expect(refusal('{}', 'application/json; charset=utf-16')).toBe(ErrorCode.UnsupportedMediaType);
    expect(refusal('{}', 'application/json; charset=utf8')).toBeUndefined();
  });

  it('keeps a "__proto__" key as an own property (input hygiene refuses it later), never as a prototype', () => {
    const value = parseJsonBody('{"__proto__":{"polluted":true}}', 'application/json') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
