package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.video.ClipPlan;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import dev.shardsmith.transforms.kernels.video.VideoFailure;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clips end to end on the DirectRunner: tree.avi (committed) and opencv-doc's Megamind.avi ({@code
 * sample-data/fetch opencv-doc}) cut into overlapping, strided clips of 4 frames, augmented (hflip
 * p 0.5 and a brightness/contrast op, one draw per clip) and written as Parquet, Arrow and .npy.
 * numpy sees {@code x} as N x T x H x W x C; every row (Parquet by DuckDB, .npy by its meta) holds
 * the frames of one clip in order; the manifest's counts satisfy invariant 3 with clips as samples;
 * no video straddles splits.
 */
class VideoClipPipelineTest {
  private static final Path SAMPLE = Path.of("../sample-data").toAbsolutePath().normalize();
  private static final Path FETCHED =
      SAMPLE.resolve("fetched/opencv-doc/usr/share/doc/opencv-doc/examples/data");
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");
  private static final ClipPlan PLAN = new ClipPlan(4, 2, 6); // step 6 < T * S = 8: overlapping

  @TempDir Path tmp;

  /** Clip id -> the pts of its frames, from one kernel decode of {@code file}. */
  private static Map<String, List<Long>> clipPts(String name, Path file) throws Exception {
    VideoDecoder.Scan scan = VideoDecoder.scan(file);
    Map<Long, Long> pts = new TreeMap<>();
    VideoDecoder.decode(
        file,
        scan,
        0,
        scan.keyframes(),
        FrameSelection.all(),
        new VideoDecoder.Sink() {
          @Override
          public void kept(VideoDecoder.DecodedFrame f) {
            pts.put(f.index(), f.ptsMicros());
          }

          @Override
          public void skipped(long p, long index, String reason) {}

          @Override
          public void failed(VideoFailure f) {}
        });
    Map<String, List<Long>> out = new TreeMap<>();
    for (long k = 0; k < PLAN.candidates(scan.packets()); k++) {
      List<Long> p = new ArrayList<>();
      for (int j = 0; j < PLAN.frames(); j++) {
        p.add(pts.get(PLAN.index(k, j)));
      }
      out.put(name + "@" + p.get(0), p);
    }
    return out;
  }

  /** The clip id of a row: a derived row's id is its source clip's id plus a suffix. */
  private static String clipOf(String rowId) {
    return rowId.replaceAll("(@\\d+).*", "$1");
  }

  @Test
  void clipsRunEndToEndAsTensorsOfTFramesWithSoundCounts() throws Exception {
    Path data = tmp.resolve("in");
    Files.createDirectories(data.resolve("tree"));
    Files.createDirectories(data.resolve("megamind"));
    Files.copy(SAMPLE.resolve("video/tree/tree.avi"), data.resolve("tree/tree.avi"));
    Files.copy(FETCHED.resolve("Megamind.avi"), data.resolve("megamind/megamind.avi"));
    Map<String, List<Long>> tree = clipPts("tree/tree.avi", data.resolve("tree/tree.avi"));
    assertEquals(11, tree.size()); // (68 - 7) / 6 + 1
    long megamindCandidates =
        PLAN.candidates(VideoDecoder.scan(FETCHED.resolve("Megamind.avi")).packets());
    Path cfg = data.resolve("clips.yaml");
    Files.writeString(
        cfg,
        "name: clips\n"
            + "seed: 7\n"
            + "input:\n"
            + "  kind: video\n"
            + "  files: ['*/*.avi']\n"
            + "  clips: {frames: 4, stride: 2, step: 6}\n"
            + "split: {mode: exact, train: 0.5, val: 0.25, test: 0.25}\n"
            + "preprocess: {resize: 32, crop: 32}\n"
            + "augment:\n"
            + "  copies: 1\n"
            + "  hflip: {p: 0.5}\n"
            + "  ops: [{op: brightness_contrast, p: 1}]\n"
            + "output: {formats: [parquet, arrow, npy], shard_rows: 16, mode: overwrite}\n");
    Path out = tmp.resolve("out");
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(out), DIRECT);

    // invariant 3, clips as samples
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(2, c.sources().ok());
    assertEquals(tree.size() + megamindCandidates, c.samples().extracted(), c.toString());
    long rejected = c.samples().rejected().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(c.samples().extracted(), c.samples().kept() + rejected, c.toString());
    assertTrue(c.samples().kept() >= tree.size() + megamindCandidates / 2, c.toString());
    // odd frames belong to no clip: tree.avi alone leaves 34 of its 68 frames unused
    assertTrue(((Number) m.run().get("frames_unused")).longValue() >= 34, m.run().toString());

    // .npy: numpy reads x as N x T x H x W x C, and the meta's pts are those of the row's clip
    String script =
        "import sys, json, numpy as np\n"
            + "for meta in sys.argv[1:]:\n"
            + "  m = json.load(open(meta))\n"
            + "  x = np.load(meta.replace('.meta.json', '.x.npy'))\n"
            + "  print(json.dumps({'ids': m['ids'], 'split': m['split'], 'group': m['group'],"
            + " 'video': m['video_id'], 'pts': m['pts_micros'], 'dtype': x.dtype.str,"
            + " 'shape': list(x.shape), 'meta_shape': m['arrays']['x']['shape']}))\n";
    List<String> metas = new ArrayList<>();
    for (Manifest.ShardEntry e : m.shards()) {
      if (e.path().endsWith(".meta.json")) {
        metas.add(out.resolve(e.path()).toString());
      }
    }
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
    cmd.addAll(metas);
    Process py = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, py.waitFor(), text);
    Map<String, String> splitOfVideo = new TreeMap<>();
    long npyRows = 0;
    for (String line : text.strip().split("\n")) {
      JsonNode n = new ObjectMapper().readTree(line);
      int rows = n.get("ids").size();
      assertEquals("|u1", n.get("dtype").asText());
      assertEquals("[" + rows + ",4,32,32,3]", n.get("shape").toString(), line);
      assertEquals(n.get("shape"), n.get("meta_shape"), line);
      for (int r = 0; r < rows; r++) {
        String id = n.get("ids").get(r).asText();
        String video = n.get("video").get(r).asText();
        List<Long> pts = new ArrayList<>();
        n.get("pts").get(r).forEach(p -> pts.add(p.asLong()));
        assertEquals(video, n.get("group").get(r).asText(), id);
        assertEquals(clipOf(id), video + "@" + pts.get(0), id);
        assertEquals(4, pts.size(), id);
        for (int j = 1; j < pts.size(); j++) {
          assertTrue(pts.get(j) > pts.get(j - 1), id + " " + pts);
        }
        if (video.equals("tree/tree.avi")) {
          assertEquals(tree.get(clipOf(id)), pts, id);
        }
        String prev = splitOfVideo.putIfAbsent(video, n.get("split").get(r).asText());
        assertTrue(
            prev == null || prev.equals(n.get("split").get(r).asText()),
            "video " + video + " straddles splits");
        npyRows++;
      }
    }
    assertEquals(2, splitOfVideo.size(), splitOfVideo.toString());
    assertEquals(c.samples().written(), npyRows);

    // Parquet, read by DuckDB: the same rows, each with the pts of its clip
    Map<String, String> parquet = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, split, \"group\", video_id, pts_micros::VARCHAR FROM read_parquet('"
                    + out
                    + "/*/*.parquet')")) {
      while (rs.next()) {
        String id = rs.getString(1);
        assertEquals(rs.getString(3), rs.getString(4), id);
        assertEquals(splitOfVideo.get(rs.getString(4)), rs.getString(2), id);
        if (rs.getString(4).equals("tree/tree.avi")) {
          assertEquals(tree.get(clipOf(id)).toString(), rs.getString(5), id);
        }
        parquet.put(id, rs.getString(2));
      }
    }
    assertEquals(c.samples().written(), parquet.size());

    // Arrow: a fixed-shape tensor of shape [T, H, W, C]
    long arrowRows = 0;
    try (BufferAllocator alloc = new RootAllocator()) {
      for (Manifest.ShardEntry e : m.shards()) {
        if (!e.path().endsWith(".arrow")) {
          continue;
        }
        try (FileChannel ch = FileChannel.open(out.resolve(e.path()));
            ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
          Field image = r.getVectorSchemaRoot().getSchema().findField("image");
          // registered in this JVM, the extension comes back as its type; else as field metadata
          String meta =
              image.getType() instanceof ArrowType.ExtensionType t
                  ? t.serialize()
                  : image.getMetadata().get("ARROW:extension:metadata");
          assertTrue(meta != null && meta.contains("\"shape\":[4,32,32,3]"), image.toString());
          while (r.loadNextBatch()) {
            arrowRows += r.getVectorSchemaRoot().getRowCount();
          }
        }
      }
    }
    assertEquals(c.samples().written(), arrowRows);
  }
}
