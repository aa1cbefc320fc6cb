package dev.shardsmith.benchmarks;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.shard.ArrowShardFile;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile;
import dev.shardsmith.transforms.kernels.shard.ShardSink;
import dev.shardsmith.transforms.kernels.shard.WrittenFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code benchmarks/run shards}, our side: the shard sinks alone, on one thread, writing rows held
 * in memory to a folder in {@code /dev/shm} (the page cache; {@code /tmp} when there is none), in
 * raw payload MB/s (10^6 bytes of pixels, or of encoded PNG bytes for {@code parquet_bytes}, per
 * second; median of the timed passes). The shard's files are deleted before each pass, untimed.
 *
 * <p>Rows without hashing ({@code withSha256(false)}), which the runner compares with {@code
 * numpy.save}: {@code npy}, {@code arrow} (no compression), {@code parquet_tensor} (fixed-size
 * tensor column, no compression), {@code parquet_bytes} (PNG bytes column, no compression). For
 * information, without a peer: each again with sha256 computed in the same pass ({@code
 * <row>_sha256}), and the compressed variants {@code arrow_zstd}, {@code arrow_lz4}, {@code
 * parquet_tensor_zstd}. Read row {@code read_npy_mmap}: {@link NpyShardFile#readNpy}
 * (memory-mapped) of a written {@code x.npy} and a sum of every byte, against numpy's {@code
 * np.load(mmap_mode='r')} and sum.
 *
 * <p>Data: {@code DIR/x.npy} (N x H x W x C uint8) and {@code DIR/png/*.png}, made by {@code
 * benchmarks/data/images224.py}.
 *
 * <p>{@code java -cp ... dev.shardsmith.benchmarks.ShardsBenchmark DIR [WARMUP_PASSES PASSES]}
 */
public final class ShardsBenchmark {
  private static final LabelMap LABELS = LabelMap.declared(List.of("a", "b", "c", "d"));
  private static final String BASE = "part-00000-of-00001";

  private ShardsBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 3) {
      System.err.println("usage: ShardsBenchmark DIR [WARMUP_PASSES PASSES]");
      System.exit(2);
    }
    int warmup = args.length == 3 ? Integer.parseInt(args[1]) : 1;
    int passes = args.length == 3 ? Integer.parseInt(args[2]) : 5;
    Path data = Path.of(args[0]);
    NpyShardFile.NpyArray x = NpyShardFile.readNpy(data.resolve("x.npy"));
    List<Sample> raw = rawRows(x);
    List<Sample> png = pngRows(data.resolve("png"));
    long rawBytes = payloadBytes(raw);
    long pngBytes = payloadBytes(png);
    String only = System.getProperty("shards.rows", "");

    Path out = outDir();
    try {
      Bench b = new Bench(out, warmup, passes, only);
      String api = " (Shardsmith, one thread, page cache)";
      // Rows compared with numpy.save: the writers' own cost, no hashing.
      // One untimed write of every row first, so that no row runs on code the JIT has not
      // compiled yet (the Parquet rows share most of their code).
      for (boolean warming : new boolean[] {true, false}) {
        b.warming = warming;
        b.write("npy", NpyShardFile.sink(npy(false)), raw, rawBytes, "NpyShardFile" + api);
        b.write(
            "arrow",
            ArrowShardFile.sink(arrow(ArrowShardFile.Compression.NONE, false)),
            raw,
            rawBytes,
            "ArrowShardFile, no compression" + api);
        b.write(
            "parquet_tensor",
            ParquetShardFile.sink(parquet(ParquetShardFile.Compression.NONE, false)),
            raw,
            rawBytes,
            "ParquetShardFile fixed-size tensor column, no compression" + api);
        b.write(
            "parquet_bytes",
            ParquetShardFile.sink(parquet(ParquetShardFile.Compression.NONE, false)),
            png,
            pngBytes,
            "ParquetShardFile PNG bytes column, no compression, MB/s of PNG bytes" + api);
        // The same with sha256 computed in the same pass: information, no peer.
        b.write(
            "npy_sha256",
            NpyShardFile.sink(npy(true)),
            raw,
            rawBytes,
            "NpyShardFile + sha256" + api);
        b.write(
            "arrow_sha256",
            ArrowShardFile.sink(arrow(ArrowShardFile.Compression.NONE, true)),
            raw,
            rawBytes,
            "ArrowShardFile, no compression, + sha256" + api);
        b.write(
            "parquet_tensor_sha256",
            ParquetShardFile.sink(parquet(ParquetShardFile.Compression.NONE, true)),
            raw,
            rawBytes,
            "ParquetShardFile tensor, no compression, + sha256" + api);
        b.write(
            "parquet_bytes_sha256",
            ParquetShardFile.sink(parquet(ParquetShardFile.Compression.NONE, true)),
            png,
            pngBytes,
            "ParquetShardFile PNG bytes, no compression, + sha256" + api);
        // Compressed variants: information, no peer.
        b.write(
            "arrow_zstd",
            ArrowShardFile.sink(arrow(ArrowShardFile.Compression.ZSTD, false)),
            raw,
            rawBytes,
            "ArrowShardFile, zstd level 3" + api);
        b.write(
            "arrow_lz4",
            ArrowShardFile.sink(arrow(ArrowShardFile.Compression.LZ4, false)),
            raw,
            rawBytes,
            "ArrowShardFile, LZ4 frame" + api);
        b.write(
            "parquet_tensor_zstd",
            ParquetShardFile.sink(parquet(ParquetShardFile.Compression.ZSTD, false)),
            raw,
            rawBytes,
            "ParquetShardFile tensor, zstd level 3" + api);
      }
      b.readNpyMmap(raw, rawBytes);
    } finally {
      deleteTree(out);
    }
  }

  private static NpyShardFile.Options npy(boolean sha256) {
    return NpyShardFile.Options.defaults().withSha256(sha256);
  }

  private static ArrowShardFile.Options arrow(ArrowShardFile.Compression c, boolean sha256) {
    return ArrowShardFile.Options.defaults().withCompression(c).withSha256(sha256);
  }

  private static ParquetShardFile.Options parquet(ParquetShardFile.Compression c, boolean sha256) {
    return ParquetShardFile.Options.defaults().withCompression(c).withSha256(sha256);
  }

  /** Times sinks and the read-back in one output folder, deleting its files before each pass. */
  private static final class Bench {
    private final Path out;
    private final int warmup;
    private final int passes;
    private final String only;
    boolean warming;

    Bench(Path out, int warmup, int passes, String only) {
      this.out = out;
      this.warmup = warmup;
      this.passes = passes;
      this.only = only;
    }

    private boolean skip(String row) {
      return !only.isEmpty() && !Arrays.asList(only.split(",")).contains(row);
    }

    void write(String row, ShardSink sink, List<Sample> rows, long payload, String api)
        throws IOException {
      if (skip(row)) {
        return;
      }
      if (warming) {
        clean(out);
        sink.write(out, BASE, rows, LABELS);
        return;
      }
      double[] rates = new double[passes];
      List<WrittenFile> files = null;
      for (int i = 0; i < warmup + passes; i++) {
        clean(out);
        long start = System.nanoTime();
        files = sink.write(out, BASE, rows, LABELS);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (i >= warmup) {
          rates[i - warmup] = payload / 1e6 / seconds;
        }
      }
      if (row.equals("npy")) {
        System.out.println(ResultLine.check(row, files.get(0).bytes()));
      }
      long written = files.stream().mapToLong(WrittenFile::bytes).sum();
      System.out.println(
          ResultLine.result(
              row, 1, "MB/s", median(rates), api + ", " + written + " bytes in " + files.size()));
      System.out.flush();
    }

    void readNpyMmap(List<Sample> rows, long payload) throws IOException {
      if (skip("read_npy_mmap")) {
        return;
      }
      clean(out);
      NpyShardFile.sink(npy(false)).write(out, BASE, rows, LABELS);
      Path file = out.resolve(BASE + ".x.npy");
      double[] rates = new double[passes];
      long sum = 0;
      for (int i = 0; i < warmup + passes; i++) {
        long start = System.nanoTime();
        sum = sumBytes(NpyShardFile.readNpy(file).data());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (i >= warmup) {
          rates[i - warmup] = payload / 1e6 / seconds;
        }
      }
      System.out.println(ResultLine.check("read_npy_mmap", sum));
      System.out.println(
          ResultLine.result(
              "read_npy_mmap",
              1,
              "MB/s",
              median(rates),
              "NpyShardFile.readNpy (memory-mapped) + sum of every byte"));
      System.out.flush();
    }
  }

  /** Sum of every byte of {@code data} as unsigned, read 8 bytes at a time in 16-bit lanes. */
  static long sumBytes(ByteBuffer data) {
    ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    final long lanes = 0x00ff00ff00ff00ffL;
    int n = d.limit();
    int i = d.position();
    long total = 0;
    while (n - i >= 8) {
      // Each long adds at most 2 x 255 to a 16-bit lane: 128 longs cannot overflow one.
      int end = Math.min(i + 8 * 128, n - (n - i) % 8);
      long acc = 0;
      for (; i < end; i += 8) {
        long v = d.getLong(i);
        acc += (v & lanes) + ((v >>> 8) & lanes);
      }
      long pairs = (acc & 0x0000ffff0000ffffL) + ((acc >>> 16) & 0x0000ffff0000ffffL);
      total += (pairs & 0xffffffffL) + (pairs >>> 32);
    }
    for (; i < n; i++) {
      total += d.get(i) & 0xff;
    }
    return total;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static List<Sample> rawRows(NpyShardFile.NpyArray x) {
    long[] shape = x.shape();
    int h = Math.toIntExact(shape[1]);
    int w = Math.toIntExact(shape[2]);
    int c = Math.toIntExact(shape[3]);
    int size = h * w * c;
    List<Sample> rows = new ArrayList<>();
    for (int i = 0; i < shape[0]; i++) {
      byte[] px = new byte[size];
      x.data().get((int) ((long) i * size), px);
      rows.add(row(i, ImagePayload.raw(px, w, h, c)));
    }
    return List.copyOf(rows);
  }

  private static List<Sample> pngRows(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no .png files in " + dir);
    }
    List<Sample> rows = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      byte[] png = Files.readAllBytes(files.get(i));
      // Width and height from the IHDR chunk; the benchmark images are 8-bit RGB.
      ByteBuffer ihdr = ByteBuffer.wrap(png, 16, 8);
      rows.add(row(i, ImagePayload.encoded(png, "png", ihdr.getInt(), ihdr.getInt(), 3, 1)));
    }
    return List.copyOf(rows);
  }

  private static Sample row(int i, ImagePayload payload) {
    String id = String.format("img-%05d.png", i);
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(List.of(LABELS.names().get(i % LABELS.size())))
        .split(Split.TRAIN)
        .fold(i % 5)
        .payloadHash(String.format("%064x", i))
        .payload(payload)
        .build();
  }

  private static long payloadBytes(List<Sample> rows) {
    return rows.stream().mapToLong(s -> ((ImagePayload) s.payload()).bytes().length).sum();
  }

  private static Path outDir() throws IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return Files.createTempDirectory(shm, "shardsmith-bench-");
    }
    return Files.createTempDirectory("shardsmith-bench-");
  }

  private static void clean(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
