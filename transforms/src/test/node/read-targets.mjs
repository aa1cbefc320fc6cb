// Independent reader of the annotation columns of a Shardsmith Arrow shard (boxes, keypoints,
// mask): apache-arrow (JS) reads the IPC file; int64 values print as numbers.
// Usage: node read-targets.mjs FILE
import { readFileSync } from 'node:fs';
import { tableFromIPC, compressionRegistry, CompressionType } from 'apache-arrow';
import lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';

const codec = (decode) => ({
  decode: (bytes) => (bytes.length === 0 ? new Uint8Array(0) : decode(bytes)),
});
compressionRegistry.set(
  CompressionType.LZ4_FRAME,
  codec((bytes) => Uint8Array.from(lz4.decompress(bytes))),
);
compressionRegistry.set(CompressionType.ZSTD, codec((bytes) => zstdDecompress(bytes)));

const table = tableFromIPC(readFileSync(process.argv[2]));
const structs = (name) => {
  const col = table.getChild(name);
  const rows = [];
  for (let i = 0; i < table.numRows; i++) {
    rows.push(col ? [...col.get(i)].map((s) => JSON.parse(JSON.stringify(s.toJSON(),
      (k, v) => (typeof v === 'bigint' ? Number(v) : v)))) : null);
  }
  return rows;
};
const mask = table.getChild('mask');
const masks = [];
for (let i = 0; i < table.numRows; i++) {
  const v = mask ? mask.get(i) : null;
  masks.push(v === null ? null : [...v]);
}
console.log(JSON.stringify({ boxes: structs('boxes'), keypoints: structs('keypoints'), mask: masks }));
