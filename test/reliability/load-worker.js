// One load process of the reliability tests: registers organizations over HTTP and reports what was acknowledged.
// Env: BASE_URL, TOKEN, COUNT, CONCURRENCY, PREFIX, IDEMPOTENCY (1 = send an Idempotency-Key), STOP_ON_REFUSED (0)
// Prints one JSON line at the end: { sent, acknowledged: [{registrationNumber, id, version, position, key}], failed: {status: n} }
const { randomUUID } = require('node:crypto');

const baseUrl = process.env.BASE_URL;
const token = process.env.TOKEN;
const count = Number(process.env.COUNT ?? 100);
const concurrency = Number(process.env.CONCURRENCY ?? 8);
const prefix = process.env.PREFIX ?? `W${process.pid}`;
const idempotency = process.env.IDEMPOTENCY === '1';

const acknowledged = [];
const failed = {};
let sent = 0;
let next = 0;
let stop = false;
process.on('SIGTERM', () => (stop = true));
// Never outlive a test run: stop sending after MAX_SECONDS (default 120).
setTimeout(() => (stop = true), Number(process.env.MAX_SECONDS ?? 120) * 1000).unref();

async function one(i) {
  const registrationNumber = `${prefix}-${i}`.toUpperCase();
  const id = randomUUID();
  const key = idempotency ? `load-${prefix}-${i}-${randomUUID()}` : undefined;
  const body = {
    id,
    kind: 'cooperative',
    name: `Hợp tác xã tải ${prefix} ${i}`,
    registrationNumber,
    provinceCode: i % 2 ? '91' : '15',
    sector: 'agriculture',
    registeredOn: '2020-03-01',
    memberCount: 7 + (i % 50),
  };
  sent += 1;
  try {
    const response = await fetch(`${baseUrl}/api/organizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) {
      const answer = JSON.parse(text);
      acknowledged.push({ registrationNumber, id: answer.id, version: answer.version, position: answer.position, key });
    } else {
      failed[response.status] = (failed[response.status] ?? 0) + 1;
    }
  } catch {
    // The api is gone (killed, or stopping): stop sending; the lanes in flight finish.
    failed.network = (failed.network ?? 0) + 1;
    stop = true;
  }
}

async function lane() {
  while (!stop && next < count) await one(next++);
}

Promise.all(Array.from({ length: concurrency }, lane)).then(() => {
  process.stdout.write(JSON.stringify({ sent, acknowledged, failed }) + '\n');
  process.exit(0);
});
