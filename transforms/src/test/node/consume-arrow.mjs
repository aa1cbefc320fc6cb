// Read a Shardsmith Arrow shard in JavaScript (npm apache-arrow). docs/consuming.md shows this
// file; ShardLayoutTest runs it.  Usage: node consume-arrow.mjs OUT/train/part-00000-of-00004.arrow
import { readFileSync } from 'node:fs';
import { tableFromIPC, compressionRegistry, CompressionType } from 'apache-arrow';
import lz4 from 'lz4js';
import { decompress as zstd } from 'fzstd';

// apache-arrow decodes compressed buffers only through registered codecs (shards default to lz4).
const codec = (decode) => ({
  decode: (bytes) => (bytes.length === 0 ? new Uint8Array(0) : decode(bytes)),
});
compressionRegistry.set(CompressionType.LZ4_FRAME, codec((b) => Uint8Array.from(lz4.decompress(b))));
compressionRegistry.set(CompressionType.ZSTD, codec((b) => zstd(b)));

const table = tableFromIPC(readFileSync(process.argv[2]));
const image = table.schema.fields.find((f) => f.name === 'image');
// The canonical arrow.fixed_shape_tensor extension: storage FixedSizeList<uint8>, shape in metadata.
const { shape } = JSON.parse(image.metadata.get('ARROW:extension:metadata'));
const labels = JSON.parse(table.schema.metadata.get('shardsmith.labels'));

const first = table.get(0);
const pixels = first.image.toArray(); // Uint8Array of H*W*C, row-major HWC, RGB
let sum = 0;
for (const p of pixels) sum += p;
console.log(
  JSON.stringify({
    rows: table.numRows,
    extension: image.metadata.get('ARROW:extension:name'),
    shape,
    firstId: first.id,
    firstLabel: labels[first.label],
    firstMean: sum / pixels.length,
  }),
);
