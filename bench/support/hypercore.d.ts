// Just the part of hypercore's API the benchmark uses (it ships no types).
declare module 'hypercore' {
  export default class Hypercore {
    constructor(storage: string);
    readonly length: number;
    ready(): Promise<void>;
    append(blocks: Buffer | Buffer[]): Promise<{ length: number }>;
    close(): Promise<void>;
  }
}
