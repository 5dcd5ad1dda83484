import { sharedBuffersMegabytes } from './server-memory';

const GB = 1024 * 1024 * 1024;

describe("the embedded server's shared_buffers", () => {
  it('is a quarter of the machine, between 128 MB and 1 GB', () => {
    expect(sharedBuffersMegabytes(0.25 * GB)).toBe(128);
    expect(sharedBuffersMegabytes(2 * GB)).toBe(512);
    expect(sharedBuffersMegabytes(4 * GB)).toBe(1024);
    expect(sharedBuffersMegabytes(24 * GB)).toBe(1024);
  });
});
